"""MkDocs' own link validation, with the line of the link and a fix added to each message.

MkDocs (`validation:` in mkdocs.yml) finds broken links and anchors and names the file; this
logging filter adds where in the file the link is and what to do, like the project's own checks,
with the nearest existing page or anchor ("did you mean") for a near miss.
"""

from __future__ import annotations

import difflib
import logging
import posixpath
import re
import urllib.parse
from pathlib import Path

LINK_MESSAGE = re.compile(
    r"^Doc file '(?P<file>[^']+)' contains (?P<kind>a|an absolute|an unrecognized relative) link '(?P<link>[^']+)'(?P<rest>.*)$",
    re.S,
)
FIXES = {
    "a": "point the link at an existing .md file (relative to this page) and an existing heading",
    "an absolute": "use a relative link to the .md file, e.g. ../sources.md",
    "an unrecognized relative": "link to the .md file itself (e.g. method.md), not to a folder or an output URL",
}
LOGGERS = ("mkdocs.structure.pages", "mkdocs.commands.build")
# The anchors of each rendered page (`src_uri` -> ids), recorded by the hook as pages are rendered.
ANCHORS: dict[str, set[str]] = {}
MISSING_PAGE = re.compile(r"but the target '(?P<target>[^']+)' is not found")
MISSING_ANCHOR = re.compile(
    r"but (?:the doc '(?P<doc>[^']+)' does not contain an anchor|there is no such anchor on this page)"
)


class LinkLineFilter(logging.Filter):
    """Rewrites MkDocs' link warnings as `docs/<file>:<line>: <message>` plus a fix."""

    def __init__(self, docs_dir: Path, files=None) -> None:
        super().__init__()
        self.docs_dir = docs_dir
        self.files = files  # MkDocs' Files of the build, once known: the pages and anchors to suggest

    def filter(self, record: logging.LogRecord) -> bool:
        match = LINK_MESSAGE.match(record.getMessage())
        if match and match["link"].startswith(("#fn:", "#fnref")):
            return False  # footnotes: the project's checks report these, at the footnote's line
        if match:
            path = self.docs_dir / match["file"]
            line = _line_of(path, match["link"])
            location = f"docs/{match['file']}"
            same = _same_language(match["file"], match["link"], self.docs_dir)
            near = self.suggestion(match["file"], match["link"], match["rest"])
            fix = f"did you mean '{near}'?" if near else FIXES[match["kind"]]
            if not near and match["kind"] == "a" and not match["link"].partition("#")[0].endswith(".md"):
                fix = "point the link at an existing file of docs/assets/ (relative to this page)"
            if same is not None:
                fix = (
                    f"link to the page in this page's language{f': did you mean {same!r}?' if same else ''} "
                    "(the language switcher at the top of every page leads readers to the other language)"
                )
            record.msg = f"{location}:{line}: {record.getMessage()}\n    fix: {fix}"
            record.args = ()
        return True

    def suggestion(self, page: str, link: str, rest: str) -> str | None:
        """The link as it would be to the nearest existing page or anchor, if one is close."""
        if self.files is None:
            return None
        folder = posixpath.dirname(page)
        path, _, anchor = link.partition("#")
        if MISSING_PAGE.search(rest) and not path.endswith(".md"):  # an image or another asset
            assets = {
                posixpath.relpath(f.src_uri, folder or "."): f.src_uri
                for f in self.files
                if not f.src_uri.endswith(".md")
            }
            wanted = re.sub(r"[^a-z0-9./_-]+", "-", urllib.parse.unquote(path).lower())
            near = difflib.get_close_matches(wanted, list(assets), n=1, cutoff=0.6)
            return near[0] if near else None
        if MISSING_PAGE.search(rest):
            language = page.split("/", 1)[0] + "/"
            pages = {
                posixpath.relpath(f.src_uri, folder or "."): f.src_uri
                for f in self.files.documentation_pages()
                if f.src_uri.startswith(language)
            }
            near = difflib.get_close_matches(path, list(pages), n=1, cutoff=0.6)
            return near[0] + (f"#{anchor}" if anchor else "") if near else None
        found = MISSING_ANCHOR.search(rest)
        if found and anchor:
            anchors = sorted(ANCHORS.get(found["doc"] or page, ()))
            near = difflib.get_close_matches(anchor, anchors, n=1, cutoff=0.6)
            return f"{path}#{near[0]}" if near else None
        return None


LANGUAGE_FOLDERS = ("ja", "en")


def _same_language(page: str, link: str, docs_dir: Path) -> str | None:
    """For a link into the other language's folder: the same page in the page's language ("" if none).

    None when the link does not lead into the other language. `page` is e.g. "en/method.md".
    """
    path = link.partition("#")[0]
    if not path or "://" in path or path.startswith("/"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    language, _, rest = target.partition("/")
    own = page.split("/", 1)[0]
    if language not in LANGUAGE_FOLDERS or language == own:
        return None
    rest = rest.rstrip("/")
    for candidate in [rest] if rest.endswith(".md") else [f"{rest}.md", f"{rest}/index.md"] if rest else ["index.md"]:
        if (docs_dir / own / candidate).is_file():
            return posixpath.relpath(f"{own}/{candidate}", posixpath.dirname(page) or ".")
    return ""


NAV_LOGGER = "mkdocs.structure.nav"
NAV_MESSAGES = re.compile(
    r"^(?:The following pages exist in the docs directory, but are not included in the \"nav\" configuration"
    r"|A reference to '[^']*' is included in the 'nav' configuration, which is not found)"
)


class NavMessageFilter(logging.Filter):
    """Leaves out MkDocs' nav messages: the checks (checks/navigation.py) report each at its mkdocs.yml line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not NAV_MESSAGES.match(record.getMessage())


def _line_of(path: Path, link: str) -> int:
    """The first line of the file that holds the link (1 when it cannot be found)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next(
        (
            number
            for number, text in enumerate(lines, 1)
            if f"({link}" in text or f"'{link}'" in text or f'"{link}"' in text
        ),
        1,
    )


def install(docs_dir: Path, files=None) -> None:
    """Attach the filter once to the loggers that report links (again on each `mkdocs serve` rebuild).

    Called from on_config (no files yet) and again from on_files, so that near misses can be suggested.
    """
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, LinkLineFilter)]:
            logger.removeFilter(old)
        logger.addFilter(LinkLineFilter(docs_dir, files))
    nav_logger = logging.getLogger(NAV_LOGGER)
    for old in [f for f in nav_logger.filters if isinstance(f, NavMessageFilter)]:
        nav_logger.removeFilter(old)
    nav_logger.addFilter(NavMessageFilter())
