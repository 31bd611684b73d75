"""Each page's revision history: read from its front matter, checked, and rendered at the foot of the page.

Authors list what changed, newest first, under `revisions:` in the front matter of both languages:

    revisions:
      - date: 2026-12-01
        summary: 出典と照合して記述を見直し、誤りを訂正した。
        correction: true            # optional: the change corrects an error
        section: 北朝鮮の見返り      # optional: the anchor (id) of the heading the change concerns
      - date: 2026-11-21
        summary: 初版を公開。

The rules (checked with file and line, see CONTRIBUTING.md):

- every page has at least one entry; dates are full dates (YYYY-MM-DD), newest first, one entry per date;
- the oldest entry is the first publication: its date is `published`;
- the newest entry is not later than `reviewed` (a change is checked against the sources when it is made;
  a review that changes nothing a reader must know of moves `reviewed` without an entry);
- a summary is one line of plain text; `correction` is true or false; `section` is a heading of the page;
- both languages have the same dates, the same correction flags and the same sections (by position).

The newest entry's date is the page's version date: the one a citation of the page names.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from .citations import ATTR_LIST, heading_anchor, heading_of, lines_outside_fences
from .data_files import html_text, md_text
from .notation import format_date, parse_partial_date
from .site_model import LANGUAGES, SAFE_LOADER, UNSAFE_TEXT, PageSource, Problem

FIELDS = ("date", "summary", "correction", "section")
HEADING_TEXT = {"ja": "改訂履歴", "en": "Revision history"}
CORRECTION = {"ja": "訂正", "en": "Correction"}
ANCHOR = "revisions"
FIRST_SUMMARY = {"ja": "初版を公開。", "en": "First published."}


@dataclass(frozen=True)
class Revision:
    """One entry of a page's revision history."""

    date: dt.date
    summary: str
    correction: bool = False
    section: str | None = None  # the anchor of a heading of the page
    line: int = 1


@dataclass(frozen=True)
class Heading:
    anchor: str
    text: str
    index: int  # position among the page's headings (0 = the first)


def headings(page: PageSource) -> tuple[Heading, ...]:
    """The page's headings, as the toc extension names them."""
    return _headings_in(page.body)


@functools.lru_cache(maxsize=256)  # asked for each revision and section named: read once per body
def _headings_in(body: str) -> tuple[Heading, ...]:
    found: list[Heading] = []
    for _, text in lines_outside_fences(body):
        match = heading_of(text)
        if match:
            found.append(Heading(heading_anchor(match[1]), ATTR_LIST.sub("", match[1]), len(found)))
    return tuple(found)


def _entry_lines(path: Path) -> list[int]:
    """The file line of each item of `revisions:` in the front matter (1 where it cannot be told)."""
    text = path.read_text(encoding="utf-8")
    end = text.find("\n---\n", 3)
    try:
        node = yaml.compose(text[4 : end + 1], Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return []
    for key, value in getattr(node, "value", []) if isinstance(node, yaml.MappingNode) else []:
        if key.value == "revisions" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 2 for item in value.value]
    return []


def _revisions_line(path: Path) -> int:
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if text.startswith("revisions:"):
            return number
    return 1


def read_revisions(page: PageSource) -> tuple[list[Revision], list[Problem]]:
    """The page's revisions as written (newest first), and every problem with its line."""
    name = page.path.as_posix()
    raw = page.meta.get("revisions")
    problems: list[Problem] = []
    if not isinstance(raw, list) or not raw:
        line = _revisions_line(page.path) if raw is not None else 1
        fix = "add `revisions:` with at least the first publication: `- date: <published>` and `summary: …`"
        return [], [Problem(name, line, "front matter has no revision history ('revisions:' list)", fix)]
    lines = _entry_lines(page.path)
    anchors = {h.anchor for h in headings(page)}
    result = []
    for number, entry in enumerate(raw):
        line = lines[number] if number < len(lines) else 1

        def problem(message: str, fix: str, line: int = line) -> None:
            problems.append(Problem(name, line, message, fix))

        if not isinstance(entry, dict):
            problem("a revision is not a `date:` / `summary:` entry", "write `- date: YYYY-MM-DD` and `summary: …`")
            continue
        unknown = [k for k in entry if k not in FIELDS]
        if unknown:
            problem(f"unknown revision field '{unknown[0]}'", f"use only: {', '.join(FIELDS)}")
        try:
            date = parse_partial_date(entry.get("date", ""))
            if date.precision != "day":
                raise ValueError("give the full date")
            day = dt.date(date.year, date.month, date.day)
        except ValueError as error:
            problem(f"revision date is not a full date: {error}", "write `date: YYYY-MM-DD`")
            continue
        summary = entry.get("summary")
        if not isinstance(summary, str) or not summary.strip():
            problem(f"the revision of {day} has no summary", "write `summary:` and one sentence on what changed")
            continue
        if "\n" in summary.strip() or UNSAFE_TEXT.search(summary):
            problem(
                f"the summary of the revision of {day} is not one line of plain text",
                'write one line without <, >, ", &…; entities or control characters',
            )
        correction = entry.get("correction", False)
        if not isinstance(correction, bool):
            problem(
                f"'correction' of the revision of {day} is not true or false",
                "write `correction: true` or leave it out",
            )
            correction = False
        section = entry.get("section")
        if correction and section is None:
            problem(
                f"the correction of {day} does not name the section it changed",
                "add `section:` with the anchor of the heading whose text was corrected, and say in `summary:` what was wrong and what the page says now",
            )
        if section is not None and str(section) not in anchors:
            problem(
                f"the revision of {day} names section '{section}', which is not a heading of this page",
                f"use the anchor of one of its headings: {', '.join(sorted(anchors)) or '(none)'}",
            )
            section = None
        result.append(Revision(day, summary.strip(), correction, None if section is None else str(section), line))
    for earlier, later in zip(result[1:], result[:-1], strict=True):
        if earlier.date >= later.date:
            problems.append(
                Problem(
                    name,
                    earlier.line,
                    f"revisions are not newest first, one per date: {earlier.date} comes after {later.date}",
                    "list the entries from the newest to the oldest; put two changes of one day in one summary",
                )
            )
    problems += _dates_problems(name, page.meta, result)
    return result, problems


def _dates_problems(name: str, meta: dict, revisions: list[Revision]) -> list[Problem]:
    """The oldest entry is `published`; the newest is not later than `reviewed`."""
    problems = []
    if not revisions:
        return problems
    try:
        published, reviewed = (parse_partial_date(meta.get(f, "")) for f in ("published", "reviewed"))
    except ValueError:
        return problems  # read_page reports the front matter's own dates
    if published.precision == reviewed.precision == "day" and published.sort_key() > reviewed.sort_key():
        return problems  # read_page reports it, once, at `reviewed:`
    oldest, newest = revisions[-1], revisions[0]
    if published.precision == "day" and oldest.date.isoformat() != published.iso():
        problems.append(
            Problem(
                name,
                oldest.line,
                f"the oldest revision ({oldest.date}) is not the first publication (published: {published.iso()})",
                "the last entry of `revisions:` records the first publication, on the `published:` date",
            )
        )
    if reviewed.precision == "day" and newest.date.isoformat() > reviewed.iso():
        problems.append(
            Problem(
                name,
                newest.line,
                f"the revision of {newest.date} is later than 'reviewed' ({reviewed.iso()})",
                "a change is checked against the sources when it is made: set `reviewed:` to its date",
            )
        )
    return problems


def compare(
    ja: PageSource, ja_revisions: list[Revision], en: PageSource, en_revisions: list[Revision]
) -> list[Problem]:
    """The English history has the Japanese one's dates, correction flags and sections (by heading position)."""
    ja_index = {h.anchor: h.index for h in headings(ja)}
    en_index = {h.anchor: h.index for h in headings(en)}

    def shape(revisions: list[Revision], index: dict[str, int]) -> list[tuple]:
        return [(r.date, r.correction, index.get(r.section) if r.section else None) for r in revisions]

    ja_shape, en_shape = shape(ja_revisions, ja_index), shape(en_revisions, en_index)
    if ja_shape == en_shape:
        return []
    at = next(
        (i for i, (a, b) in enumerate(zip(ja_shape, en_shape, strict=False)) if a != b),
        min(len(ja_shape), len(en_shape)),
    )
    line = en_revisions[at].line if at < len(en_revisions) else (en_revisions[-1].line if en_revisions else 1)
    want = ja_revisions[at] if at < len(ja_revisions) else None
    what = (
        f"the Japanese page has {len(ja_shape)} revision(s), this page {len(en_shape)}"
        if want is None or at >= len(en_revisions)
        else f"revision {at + 1} differs from the Japanese page ({want.date}, correction: {str(want.correction).lower()}"
        + (f", section {want.section}" if want.section else "")
        + ")"
    )
    return [
        Problem(
            en.path.as_posix(),
            line,
            f"revision history differs from {ja.path.as_posix()}: {what}",
            "give both languages the same dates, `correction:` flags and sections, in the same order",
        )
    ]


def check_site(pages: dict[str, dict]) -> list[Problem]:
    """Check every page's revision history and its parity between the languages (`pages`: SiteIndex.pages)."""
    problems: list[Problem] = []
    read: dict[str, dict[str, list[Revision]]] = {lang: {} for lang in LANGUAGES}
    for lang in LANGUAGES:
        for rel, cited in pages.get(lang, {}).items():
            if not cited.page.meta:  # read_page has reported the front matter
                continue
            read[lang][rel], found = read_revisions(cited.page)
            problems += found
    ja, en = LANGUAGES
    for rel in sorted(read[ja].keys() & read[en].keys()):
        if read[ja][rel] and read[en][rel]:
            problems += compare(pages[ja][rel].page, read[ja][rel], pages[en][rel].page, read[en][rel])
    return problems + _repeated_corrections(pages, read)


def _repeated_corrections(pages: dict[str, dict], read: dict[str, dict[str, list[Revision]]]) -> list[Problem]:
    """A correction says what was wrong on its own page: the same correction text on two pages is refused."""
    problems = []
    for lang in LANGUAGES:
        first: dict[str, tuple[str, int]] = {}
        for rel, revisions in sorted(read[lang].items()):
            for revision in revisions:
                if not revision.correction:
                    continue
                name = pages[lang][rel].page.path.as_posix()
                seen = first.setdefault(" ".join(revision.summary.split()), (name, revision.line))
                if seen != (name, revision.line):
                    problems.append(
                        Problem(
                            name,
                            revision.line,
                            f"the correction of {revision.date} repeats the text of the one at {seen[0]}:{seen[1]}",
                            "say what was wrong on this page and what it says now, in this page's own words",
                        )
                    )
    return problems


def page_revisions(page: PageSource) -> list[Revision]:
    """The page's revisions, newest first (of a checked page: without the problems); read once per page."""
    if not hasattr(page, "revisions_read"):
        page.revisions_read = read_revisions(page)[0]
    return page.revisions_read


def version_date(page: PageSource) -> dt.date | None:
    """The date of the page's current version: its newest revision."""
    revisions = page_revisions(page)
    return revisions[0].date if revisions else None


def section_text(page: PageSource, anchor: str | None) -> str | None:
    """The text of the heading with this anchor."""
    return next((h.text for h in headings(page) if h.anchor == anchor), None) if anchor else None


def display_date(day: dt.date, lang: str) -> str:
    return format_date(parse_partial_date(day), lang)


def render_history(page: PageSource, lang: str) -> str:
    """The page's revision history as Markdown: a heading and one line per change, newest first."""
    items = []
    for revision in page_revisions(page):
        mark = f"**{CORRECTION[lang]}**{'：' if lang == 'ja' else ': '}" if revision.correction else ""
        where = section_text(page, revision.section)
        link = f"（[{md_text(where)}](#{revision.section})）" if where and lang == "ja" else ""
        link = f" ([{md_text(where)}](#{revision.section}))" if where and lang == "en" else link
        date = f'<time datetime="{revision.date.isoformat()}">{html_text(display_date(revision.date, lang))}</time>'
        items.append(f"- {date}{'　' if lang == 'ja' else ' — '}{mark}{md_text(revision.summary)}{link}")
    if not items:
        return ""
    return f"\n\n## {HEADING_TEXT[lang]} {{#{ANCHOR}}}\n\n" + "\n".join(items) + "\n"


@dataclass(frozen=True)
class Change:
    path: str  # the page, below its language folder
    title: str
    revision: Revision
    section: str | None  # the heading text of revision.section


def changes(pages: dict) -> list[Change]:
    """Every revision of the pages of one language (`SiteIndex.pages[lang]`), newest first (pages in path order within a day)."""
    found = []
    for path, cited in sorted(pages.items()):
        page = cited.page
        for revision in page_revisions(page):
            found.append(Change(path, page.meta["title"], revision, section_text(page, revision.section)))
    return sorted(found, key=lambda c: (-c.revision.date.toordinal(), c.path))
