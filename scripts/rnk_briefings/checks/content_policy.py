"""The content policy: what the sources of the site may hold, checked before anything is built.

Everything under `docs/` is published, and a page's raw HTML reaches every reader's browser, so
the build (through `checks.check_site`), `make check` and `scripts/docs.py check` refuse:

- any file in `docs/` other than the Markdown pages of the two languages and, in `docs/assets/`,
  files of the listed types (`ASSET_TYPES`); any file that would replace one of the theme's or
  one the build generates (Material's scripts and styles, the search index, the sitemap, 404.html);
- symbolic links anywhere in `docs/`, `data/` or `overrides/` (the build would publish their target);
- in `overrides/`, anything but templates (`*.html`): other files there are published as they are;
- files above the size limits (`MAX_BYTES`), file names outside `[a-z0-9-]` segments;
- in page sources: raw HTML that the site's allowlist (`inputs.html_allowlist`) would change, read
  by an HTML5 parser as a browser reads it (elements, attributes, URLs, classes, titles); the
  renderer (`mdx.sanitize`) applies the same allowlist to the rendered page, Markdown links included;
- SVG assets outside the SVG subset (`svg_assets`, parsed as XML); in CSS assets, anything loaded
  from another host;
- invisible characters (`inputs.characters`: bidi controls, zero-width characters) in any page,
  data file or text asset, at their line and column.

The post-build check (`html_policy`) checks the built HTML again, whatever produced it.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import yaml

from ..inputs import characters, html_allowlist
from ..inputs.site_model import LANGUAGES, Problem, RefusedYAML, refuse_anchors
from . import svg_assets

# What docs/assets/ may hold, by file type. SVG is XML that can carry scripts: it is checked below.
ASSET_TYPES = (".css", ".svg", ".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".ico")
# Size limits, in bytes. The longest page is about 16 KB; a page near the limit is several pages.
MAX_BYTES = {"page": 200_000, "asset": 1_000_000, "data": 1_000_000, "template": 100_000}
# Where the theme and the build put their own files: nothing in docs/ may be published there.
RESERVED = ("assets/javascripts/", "assets/stylesheets/", "search/", "downloads/", "sitemap.xml", "404.html")
PAGE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)*\.md")
ASSET_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*")
# Not published: the i18n plugin's folder layout leaves docs/README.md to the repository (exclude_docs).
UNPUBLISHED = ("README.md",)

CSS_REMOTE = re.compile(r"@import|url\(\s*[\"']?\s*(?:[a-z][a-z0-9+.-]*:|//)", re.I)
# The project's own script in overrides/ (the theme publishes it as it is): reviewed like the templates.
THEME_SCRIPTS = ("assets/rnk-switcher.js", "assets/rnk-notes.js", "assets/rnk-search.js")


def check(docs_dir: Path, root: Path) -> list[Problem]:
    """Every violation of the content policy in docs/, data/ and overrides/."""
    problems = _symlinks([docs_dir, root / "data", root / "overrides"])
    problems += _docs_files(docs_dir)
    problems += _other_files(root / "data", (".yml",), "data", "data files")
    problems += _other_files(root / "overrides", (".html",), "template", "theme templates", THEME_SCRIPTS)
    problems += invisible_characters([docs_dir, root / "data"])
    problems += yaml_anchors(docs_dir, root / "data")
    return problems


def yaml_anchors(docs_dir: Path, data_dir: Path) -> list[Problem]:
    """YAML anchors and aliases in data/ and front matter, refused before anything is loaded (alias bombs)."""
    problems = []
    files = [(p, 0) for p in sorted(data_dir.glob("*.yml"))] + [(p, 1) for p in sorted(docs_dir.rglob("*.md"))]
    for path, offset in files:
        if not path.is_file() or path.is_symlink() or path.stat().st_size > MAX_BYTES["data"]:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if offset:  # a page: its front matter only
            end = text.find("\n---\n", 3)
            if not text.startswith("---\n") or end < 0:
                continue
            text = text[4 : end + 1]
        try:
            refuse_anchors(text)
        except RefusedYAML as error:
            line = error.problem_mark.line + 1 + offset if error.problem_mark else 1
            problems.append(
                Problem(path.as_posix(), line, f"YAML anchors and aliases are refused: {error.problem}", error.fix)
            )
        except yaml.YAMLError:
            continue  # a syntax error: the loaders report it with its line
    return problems


# The text files authors write; in Markdown and SVG a character reference (&#x202e;) counts too.
TEXT_TYPES = {".md": True, ".svg": True, ".yml": False, ".css": False}


def invisible_characters(folders: list[Path]) -> list[Problem]:
    """Bidi controls and zero-width characters (`inputs.characters`) in any text file, at line and column.

    Also a file that is not UTF-8, which every later reader would fail on.
    """
    problems = []
    for folder in folders:
        for path in _walk(folder) if folder.is_dir() else ():
            if path.suffix in TEXT_TYPES and path.is_file() and path.stat().st_size <= MAX_BYTES["asset"]:
                raw = path.read_bytes()
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as error:
                    line = raw.count(b"\n", 0, error.start) + 1
                    problems.append(Problem(path.as_posix(), line, "the file is not UTF-8 text", "save it as UTF-8"))
                    continue
                for line, message in characters.find(text, references=TEXT_TYPES[path.suffix]):
                    problems.append(Problem(path.as_posix(), line, message, characters.FIX))
    return problems


def _walk(folder: Path):
    """Every file and folder below `folder`, without following symbolic links."""
    for parent, folders, files in os.walk(folder, followlinks=False):
        for name in sorted(folders + files):
            yield Path(parent, name)


def _symlinks(folders: list[Path]) -> list[Problem]:
    return [
        Problem(
            path.as_posix(),
            1,
            f"symbolic link to {os.readlink(path)}: the build would publish whatever it points to",
            "replace the link with the file itself, or remove it",
        )
        for folder in folders
        if folder.is_dir()
        for path in _walk(folder)
        if path.is_symlink()
    ]


def _special_file(path: Path) -> Problem | None:
    """A pipe, socket or device where a file belongs: reading it would block or never end."""
    if path.is_file():
        return None
    return Problem(
        path.as_posix(), 1, "not a regular file (a pipe, socket or device)", "replace it with an ordinary file"
    )


def _too_big(path: Path, kind: str) -> Problem | None:
    size = path.stat().st_size
    if size <= MAX_BYTES[kind]:
        return None
    return Problem(
        path.as_posix(),
        1,
        f"the file is {size:,} bytes, above the limit of {MAX_BYTES[kind]:,} bytes for a {kind}",
        "split a page into several pages; make an asset smaller (or leave it out)",
    )


def _docs_files(docs_dir: Path) -> list[Problem]:
    """docs/ holds the pages of the two languages and the shared assets, with safe names and sizes."""
    problems: list[Problem] = []
    for path in _walk(docs_dir):
        if path.is_symlink() or path.is_dir():
            continue
        if special := _special_file(path):
            problems.append(special)
            continue
        rel = path.relative_to(docs_dir).as_posix()
        top, _, rest = rel.partition("/")
        if top in LANGUAGES and rest:
            problems += _page_file(path, top, rest)
        elif top == "assets" and rest:
            problems += _asset_file(path, rel)
        elif rel not in UNPUBLISHED:
            problems.append(
                Problem(
                    path.as_posix(),
                    1,
                    f"docs/ holds only pages (docs/{LANGUAGES[0]}/, docs/{LANGUAGES[1]}/) and docs/assets/: "
                    f"'{rel}' would be published as it is",
                    "move the file out of docs/, or write it as a Markdown page in both languages",
                )
            )
    return problems


def _page_file(path: Path, lang: str, rel: str) -> list[Problem]:
    name = path.as_posix()
    if not rel.endswith(".md"):
        return [
            Problem(
                name,
                1,
                f"only Markdown pages (*.md) belong in docs/{lang}/: '{rel}' would be published as it is",
                "write the content as a Markdown page (in both languages), or put an image in docs/assets/",
            )
        ]
    if not PAGE_NAME.fullmatch(rel) or rel.split("/")[0] in (*LANGUAGES, "assets", "search", "downloads"):
        return [
            Problem(
                name,
                1,
                f"page file name {rel!r} is not lowercase ASCII words with hyphens, or takes a reserved folder name",
                "rename it, e.g. briefings/sanctions.md (letters a-z, digits, hyphens; folders with '/'), "
                "not under en/, assets/, search/ or downloads/",
            )
        ]
    big = _too_big(path, "page")
    if big:
        return [big]
    text = path.read_text(encoding="utf-8", errors="replace")
    return check_page_text(text, name) + markdown_bounds(text, name)


def _asset_file(path: Path, rel: str) -> list[Problem]:
    name = path.as_posix()
    reserved = _theme_files()
    if rel in reserved or rel.startswith(RESERVED):
        return [
            Problem(
                name,
                1,
                f"'{rel}' would replace a file of the theme or of the build on every page",
                "give the asset another name, outside assets/javascripts/ and assets/stylesheets/",
            )
        ]
    if not path.name.lower().endswith(ASSET_TYPES):
        return [
            Problem(
                name,
                1,
                f"'{rel}' is not one of the asset types the site publishes ({', '.join(ASSET_TYPES)})",
                "remove it; scripts, HTML and other files are not published from docs/",
            )
        ]
    if not ASSET_NAME.fullmatch(rel.removeprefix("assets/")):
        return [
            Problem(
                name,
                1,
                f"asset name {rel!r} is not lowercase ASCII (letters, digits, '.', '-', '_')",
                "rename it, e.g. assets/map-2024.svg",
            )
        ]
    big = _too_big(path, "asset")
    if big:
        return [big]
    if path.suffix == ".svg":  # parsed as XML and held to the SVG subset
        return svg_assets.check_svg(path.read_text(encoding="utf-8", errors="replace"), name)
    if path.suffix == ".css":
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
            if CSS_REMOTE.search(line):
                return [
                    Problem(
                        name,
                        number,
                        "the css file holds @import or a url() that loads from another address",
                        "keep the styles in this file and refer only to files in docs/assets/ by relative url(...)",
                    )
                ]
    return []


@functools.cache
def _theme_files() -> frozenset[str]:
    """Every file the theme itself publishes (assets/images/favicon.png, its scripts and styles)."""
    import material  # the theme package; imported here so the policy module loads without it

    templates = Path(material.__file__).parent / "templates"
    return frozenset(p.relative_to(templates).as_posix() for p in (templates / "assets").rglob("*") if p.is_file())


def _other_files(
    folder: Path, types: tuple[str, ...], kind: str, what: str, allowed: tuple[str, ...] = ()
) -> list[Problem]:
    problems: list[Problem] = []
    for path in _walk(folder) if folder.is_dir() else ():
        if path.is_symlink() or path.is_dir() or "__pycache__" in path.parts:
            continue
        if special := _special_file(path):
            problems.append(special)
            continue
        if not path.name.endswith(types) and path.relative_to(folder).as_posix() not in allowed:
            problems.append(
                Problem(
                    path.as_posix(),
                    1,
                    f"{folder.name}/ holds only {what} ({', '.join(types)}); '{path.name}' does not belong there",
                    f"remove it, or move it out of {folder.name}/",
                )
            )
        elif big := _too_big(path, kind):
            problems.append(big)
    return problems


# A Markdown autolink (`<https://…>`, `<name@example.org>`) reads as a start tag to an HTML parser:
# it is not raw HTML. Nor is md_in_html's `markdown` attribute, which the rendering removes.
HTML_TAG_NAME = re.compile(r"[a-z][a-z0-9-]*", re.I)
MARKDOWN_ATTRIBUTES = {"markdown"}


def check_page_text(text: str, name: str) -> list[Problem]:
    """Raw HTML in one page's Markdown that the site's HTML allowlist would change (removed or rewritten)."""
    problems: list[Problem] = []
    for change in html_allowlist.changes(text):
        if change.tag and not HTML_TAG_NAME.fullmatch(change.tag):
            continue
        if change.attributes and set(change.attributes) <= MARKDOWN_ATTRIBUTES and change.after:
            continue
        problems.append(
            Problem(
                name,
                html_allowlist.source_line(text, change),
                f"raw HTML: {change.describe()}",
                'write only what CONTRIBUTING.md, "What raw HTML and assets may hold", lists: the site\'s layout, '
                "scripts and styles come from the theme, never from a page, and it loads nothing from other hosts",
            )
        )
    return problems


# The renderer's work on a page stays small whatever the page holds. Python-Markdown looks for the
# `]` that closes each `[` (links, images, footnotes) through the rest of the paragraph, and nests a
# call per list level: 10,000 unclosed `[` took 45 s, 290 list levels overflow Python's stack. The
# longest bracket work of a page of the site is about 1,500 characters; no page indents past 4 levels.
MAX_BRACKET_WORK = 100_000  # characters scanned for closing brackets, summed over the page
MAX_DEPTH = 16  # list or quotation levels (an indentation of 4 columns, or one `>`, each)
_BLOCKS = re.compile(r"\n[ \t]*\n")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")


def markdown_bounds(text: str, name: str) -> list[Problem]:
    """A page nested too deeply, or with brackets the renderer would scan for too long, at its line."""
    problems: list[Problem] = []
    in_fence = False
    for number, line in enumerate(text.split("\n"), 1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        spaces = line.expandtabs(4)
        indent = len(spaces) - len(spaces.lstrip(" "))
        quotes = len(re.match(r"[ >]*", line).group(0).replace(" ", ""))
        if indent >= 4 * MAX_DEPTH or quotes > MAX_DEPTH:
            problems.append(
                Problem(
                    name,
                    number,
                    f"the text is nested more than {MAX_DEPTH} levels deep (lists or quotations)",
                    "flatten the lists: the renderer's work grows with each level",
                )
            )
            break
    work, start = 0, 0
    for block in _BLOCKS.split(text):
        opened: list[int] = []
        for bracket in re.finditer(r"[\[\]]", block):
            if bracket.group(0) == "[":
                opened.append(bracket.start())
            elif opened:
                work += bracket.start() - opened.pop()
        work += sum(len(block) - index for index in opened)
        if work > MAX_BRACKET_WORK:
            problems.append(
                Problem(
                    name,
                    text.count("\n", 0, text.find(block, start)) + 1,
                    "from this paragraph on, the page has so many unclosed or far-apart `[` that rendering it "
                    "would take minutes",
                    "close each [ of a link or footnote on the same line; write a literal bracket as \\[",
                )
            )
            break
        start += len(block)
    return problems
