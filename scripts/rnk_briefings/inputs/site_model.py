"""The site's shape: its languages, which page files exist in each, and the URLs between them.

Shared by the build hooks and the command-line checks.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from . import characters
from .notation import parse_partial_date

# libyaml's parser when PyYAML has it (it does in the locked wheels), with Python constructors.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RefusedYAML(yaml.MarkedYAMLError):
    """YAML that is valid but refused, at its line: an anchor or alias, or an invisible character in a value."""

    def __init__(self, problem: str, mark, fix: str) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.fix = fix


ALIAS_FIX = "write the value out in full: anchors (&name) and aliases (*name) are not used here (a few can expand to billions of values)"


def refuse_anchors(text: str, loader=SAFE_LOADER, characters_too: bool = False) -> None:
    """Raise RefusedYAML at the first anchor or alias (the content policy runs this before any loading).

    `characters_too`: also at the first value holding an invisible character (`inputs.characters`).
    """
    if not ("&" in text or "*" in text or (characters_too and ("\\" in text or characters.REFUSED.search(text)))):
        # Nothing to find: an anchor is written with `&`, an alias with `*`, and a value holds an
        # invisible character only as written or as a `\` escape (a syntax error is the loader's to report).
        return
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            raise RefusedYAML(f"an alias (*{event.anchor})", event.start_mark, ALIAS_FIX)
        if getattr(event, "anchor", None) is not None:
            raise RefusedYAML(f"an anchor (&{event.anchor})", event.start_mark, ALIAS_FIX)
        if characters_too and isinstance(event, yaml.ScalarEvent):
            for _, character in characters.refused_in(event.value):
                raise RefusedYAML(
                    f"a value holds the invisible character {characters.describe(character)}",
                    event.start_mark,
                    characters.FIX,
                )


def load_yaml(text: str, loader=SAFE_LOADER):
    """YAML as data, refusing anchors and aliases and invisible characters in any value, however written.

    The events are read first (libyaml, linear in the text): an alias bomb of a few hundred bytes
    fails at its first anchor, before anything is built from it. Nesting too deep for Python's
    constructors is reported as a YAML error too.
    """
    refuse_anchors(text, loader, characters_too=True)
    try:
        return yaml.load(text, Loader=loader)
    except RecursionError:
        raise RefusedYAML("values nested too deeply", None, "write the data as a flat list of entries") from None


DEFAULT_LANGUAGE = "ja"
LANGUAGES = ("ja", "en")
# The accessible name of each heading's ¶ link (Python-Markdown's toc gives only an English title).
PERMALINK_NAME = {"ja": "この見出しへのリンク", "en": "Link to this heading"}


@dataclass(frozen=True)
class Problem:
    """One author mistake: where it is and what to do about it."""

    file: str
    line: int
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}\n    fix: {self.fix}"


def nearest(name: str, known: Iterable[str]) -> str | None:
    """The known name closest to a misspelt one ("did you mean"), if any is close enough."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def report(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    lines = [f"{len(problems)} problem(s) found:"] + [str(p) for p in problems]
    return "\n".join(lines)


def name_permalinks(html: str, lang: str) -> str:
    """Give each heading's ¶ link a name in the page's language (an aria-label, so no tooltip to set up)."""
    return html.replace(
        '<a class="headerlink" href=', f'<a class="headerlink" aria-label="{PERMALINK_NAME[lang]}" href='
    )


def page_files(docs_dir: Path, language: str) -> set[str]:
    """Markdown pages of one language, as paths relative to that language's folder."""
    root = docs_dir / language
    return {p.relative_to(root).as_posix() for p in root.rglob("*.md")}


def missing_translations(docs_dir: Path) -> list[Problem]:
    """Every page that exists in one language folder but not in the other."""
    pages = {lang: page_files(docs_dir, lang) for lang in LANGUAGES}
    problems = []
    for lang in LANGUAGES:
        for other in LANGUAGES:
            for rel in sorted(pages[lang] - pages[other]):
                have = (docs_dir / lang / rel).as_posix()
                want = (docs_dir / other / rel).as_posix()
                problems.append(
                    Problem(
                        have,
                        1,
                        f"page has no {other} counterpart: {want} is missing",
                        f"create {want} with the same sections and citations, or remove {have}",
                    )
                )
    return problems


def hreflang_links(site_url: str, alternates: list[dict]) -> list[dict[str, str]]:
    """Absolute alternate URLs for the page being built, plus x-default (the default language).

    `alternates` is Material's `extra.alternate`, which the i18n plugin fills per page with
    root-relative links such as "/en/" or "en/method/".
    """
    base = site_url if site_url.endswith("/") else site_url + "/"
    links = [{"hreflang": alt["lang"], "href": urljoin(base, alt["link"])} for alt in alternates]
    default = [link for link in links if link["hreflang"] == DEFAULT_LANGUAGE]
    return links + [{"hreflang": "x-default", "href": default[0]["href"]}] if default else links


def home_alternates(site_url: str, alternates: list[dict]) -> list[dict]:
    """The switcher entries pointing at each language's home page, by absolute address."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    homes = {lang: base if lang == DEFAULT_LANGUAGE else f"{base}{lang}/" for lang in LANGUAGES}
    return [{**alt, "link": homes[alt["lang"]]} for alt in alternates]


def yaml_problem(error: Exception) -> tuple[int, str, str]:
    """(1-based line in the YAML text, what is wrong, how to fix it) for a YAML error, by its cause.

    PyYAML reports some mistakes where it noticed them, a line late: a missing colon is noticed on
    the next line, so the line of the key it was reading is given instead.
    """
    problem = str(getattr(error, "problem", None) or error)
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else 1
    if isinstance(error, RefusedYAML):
        return line, problem, error.fix
    if "could not find expected ':'" in problem and context_mark is not None:
        return context_mark.line + 1, "a line has no colon after its field name", "write `field: value`"
    if "tab" in problem or "'\\t'" in problem:
        return line, "a tab character", "YAML does not allow tabs: indent with spaces"
    if "mapping values are not allowed" in problem:
        return line, "a value contains ': '", 'put the value in double quotes, e.g. title: "Kim: the summit"'
    if isinstance(error, ValueError):
        return line, str(error), "write a real date as YYYY-MM-DD"
    return line, problem, "fix the YAML syntax on this line (see CONTRIBUTING.md, 'Front matter')"


@dataclass
class PageSource:
    """A Markdown page as read from disk: its front matter, its body, and where the body starts."""

    path: Path
    meta: dict
    body: str
    body_line: int  # line number (1-based) of the body's first line in the file
    problems: list[Problem]


FRONT_MATTER_FIELDS = ("title", "description", "published", "reviewed")
DATE_FIELDS = ("published", "reviewed")  # full dates: first published, last checked against the sources


def read_page(path: Path) -> PageSource:
    """Read a page and check its front matter (title, description, published and reviewed dates)."""
    text = path.read_text(encoding="utf-8")
    problems: list[Problem] = []
    meta: dict = {}
    body, body_line = text, 1
    name = path.as_posix()
    if not text.startswith("---\n"):
        problems.append(
            Problem(
                name,
                1,
                "page has no front matter",
                "start the file with `---`, title, description, published, reviewed, `---`",
            )
        )
    else:
        end = text.find("\n---\n", 3)
        if end < 0:
            problems.append(Problem(name, 1, "front matter is not closed", "end the front matter with a line `---`"))
        else:
            raw = text[4 : end + 1]
            body = text[end + 5 :]
            body_line = raw.count("\n") + 3
            try:
                meta = load_yaml(raw) or {}
            except (yaml.YAMLError, ValueError) as error:  # ValueError: an impossible date
                line, message, fix = yaml_problem(error)
                what = "front matter holds" if isinstance(error, RefusedYAML) else "front matter is not valid YAML:"
                problems.append(Problem(name, line + 1, f"{what} {message}", fix))
            if not isinstance(meta, dict):
                problems.append(
                    Problem(
                        name,
                        2,
                        "front matter must be `field: value` lines",
                        "write title:, description:, published:, reviewed:",
                    )
                )
                meta = {}
    if not problems:
        for field_name in FRONT_MATTER_FIELDS:
            if not meta.get(field_name):
                problems.append(
                    Problem(
                        name, 1, f"front matter lacks '{field_name}'", f"add `{field_name}:` between the `---` lines"
                    )
                )
        problems += _unsafe_text(name, raw, meta)
        dates = {}
        for field_name in DATE_FIELDS:
            if not meta.get(field_name):
                continue
            try:
                date = parse_partial_date(meta[field_name])
                if date.precision != "day":
                    raise ValueError("give the full date")
                dates[field_name] = date  # only full dates are compared below
            except ValueError as error:
                problems.append(
                    Problem(
                        name,
                        _field_line(raw, field_name),
                        f"'{field_name}' is not a full date: {error}",
                        f"write `{field_name}: YYYY-MM-DD`",
                    )
                )
        if len(dates) == 2 and dates["published"].sort_key() > dates["reviewed"].sort_key():
            published, reviewed = dates["published"].iso(), dates["reviewed"].iso()
            problems.append(
                Problem(
                    name,
                    _field_line(raw, "reviewed"),
                    f"'reviewed' ({reviewed}) is earlier than 'published' ({published})",
                    "a page is reviewed on or after it is published: set `reviewed:` to the day you last checked "
                    f"the page against its sources, or correct `published:` (line {_field_line(raw, 'published')})",
                )
            )
    return PageSource(path, meta, body, body_line, problems)


def _field_line(raw_front_matter: str, field_name: str) -> int:
    """The file line of a top-level front-matter field (the front matter starts on line 2)."""
    for offset, text in enumerate(raw_front_matter.split("\n")):
        if text.startswith(f"{field_name}:"):
            return offset + 2
    return 1


# Title and description are plain text, written into <title>, the heading and the nav as they are
# (Material does not escape them there) and into attributes escaped (overrides/main.html, Material's
# footer): markup, entities and control characters are refused; quotes are text like any other.
TEXT_FIELDS = ("title", "description")
UNSAFE_TEXT = re.compile(r"[<>\x00-\x1f\x7f]|&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.I)


def _unsafe_text(name: str, raw: str, meta: dict) -> list[Problem]:
    """Refuse markup, entities and control characters in title and description: plain text has none."""
    problems = []
    for field_name in TEXT_FIELDS:
        value = meta.get(field_name)
        line = next((n for n, text in enumerate(raw.split("\n"), 2) if text.startswith(f"{field_name}:")), 1)
        if not isinstance(value, str):
            problems.append(
                Problem(name, line, f"'{field_name}' is not text", f"write `{field_name}:` followed by a sentence")
            )
        elif match := UNSAFE_TEXT.search(value):
            problems.append(
                Problem(
                    name,
                    line,
                    f"'{field_name}' contains {match.group(0)!r}, which plain text never needs",
                    'write it without <, >, ", &…; entities or control characters (use 「」 or “ ” for quotations)',
                )
            )
    return problems


def site_relative_alternates(site_url: str, alternates: list[dict]) -> list[dict]:
    """Switcher links relative to the site root ("en/"), never root-absolute ("/rnk/en/").

    The i18n plugin gives the home pages root-absolute links, which break under file://.
    """
    path = urlsplit(site_url or "/").path or "/"
    path = path if path.endswith("/") else path + "/"
    result = []
    for alt in alternates:
        link = alt["link"]
        if link.startswith(path):
            link = link[len(path) :] or "./"
        result.append({**alt, "link": link})
    return result


# What a build reads: a copy of these is a complete project (tests and the benchmark build copies).
PROJECT_SOURCES = ("mkdocs.yml", "docs", "data", "overrides", "scripts")


def copy_project(root: Path, target: Path) -> Path:
    """Copy the project's sources into `target` (created if needed), to build or break on purpose."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_SOURCES:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    if (root / "node_modules").is_dir() and not (
        target / "node_modules"
    ).exists():  # the pinned npm data (the maps' geodata), shared rather than copied
        (target / "node_modules").symlink_to((root / "node_modules").resolve(), target_is_directory=True)
    return target
