"""Citations: footnotes whose definition names a registry source, checked and rendered.

Authors write standard Markdown footnotes:

    ...were sent.[^wt-troops]
    [^wt-troops]: @salmon-2025, section "戦勝記念日に訪問か"

This module finds every reference and definition in a page (with lines and the section each
reference stands in), reports what is wrong (a locator must be a section the registry lists for
the source, in the page's language: see registry.py), and rewrites each definition into a full
citation in the page's language that links to the source's entry on the Sources page.

Everything it writes is escaped where it is written (`data_files.html_text` / `md_text`), and
text in the other language than the page's is marked with its `lang` (WCAG 3.1.2).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from pymdownx.slugs import slugify

from .data_files import attribute, html_text, lang_span, md_escape, md_text
from .notation import format_date, parse_partial_date
from .registry import KINDS, Source
from .site_model import LANGUAGES, PageSource, Problem, nearest

# Every pattern here is linear in its text, however hostile (tests/test_hostile_inputs.py): a class
# that scans for a closing character never also crosses its opening one or a line end, so one failed
# attempt ends where the next could start, and no pattern starts with a repeat that a search would
# retry at every position of a long run.
DEFINITION = re.compile(r"^\[\^([^\]]*)\]:[ \t]*(.*)$")
# A footnote reference as Python-Markdown's footnotes read it (the label runs to the first `]`).
REFERENCE = re.compile(r"\[\^([^\[\]\n]*)\](?!:)")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+)$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
INLINE_CODE = re.compile(r"`[^`]*`")
ATTR_LIST = re.compile(r"(?<!\s)\s*\{[^{}]*\}\s*$")


def heading_of(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line, its closing `#`s and spaces left out; None for other lines."""
    match = HEADING.match(line)
    if not match:
        return None
    text = match.group(2)
    bare = text.rstrip(" \t").rstrip("#").rstrip(" \t")
    return len(match.group(1)), bare or text[:1]


CITATION = re.compile(r"^@(?P<key>[^\s,]+)(?:\s*,\s*(?P<locator>.*))?$")
LABEL = re.compile(r"^[A-Za-z0-9_-]+$")
SOURCES_PAGE = "sources.md"

_slug = slugify(case="lower")


def heading_anchor(text: str) -> str:
    """The id the toc extension gives a heading (same slugify as mkdocs.yml)."""
    return _slug(ATTR_LIST.sub("", text), "-")


@dataclass(frozen=True)
class Reference:
    label: str
    line: int
    section: str  # heading text of the section it stands in ("" before the first heading)
    anchor: str


@dataclass(frozen=True)
class Definition:
    label: str
    key: str
    locator: str | None
    line: int


@dataclass
class PageCitations:
    """What one page cites, as read from its Markdown file."""

    page: PageSource
    references: list[Reference] = field(default_factory=list)
    definitions: dict[str, Definition] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def keys_in_order(self) -> list[str]:
        """Registry keys in order of first reference."""
        keys: list[str] = []
        for ref in self.references:
            definition = self.definitions.get(ref.label)
            if definition and definition.key and definition.key not in keys:
                keys.append(definition.key)
        return keys


def lines_outside_fences(body: str, first_line: int = 1):
    """(line number, text) of each line of a page's body outside fenced code blocks."""
    in_fence = False
    for offset, text in enumerate(body.split("\n")):
        if ("`" in text or "~" in text) and FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield first_line + offset, text


def page_language(path) -> str | None:
    """The language of a page file: the folder below `docs/` (docs/en/briefings/x.md is English)."""
    parts = list(path.parts)
    if "docs" in parts:
        index = len(parts) - 1 - parts[::-1].index("docs")
        if index + 1 < len(parts) and parts[index + 1] in LANGUAGES:
            return parts[index + 1]
    return next((part for part in reversed(parts[:-1]) if part in LANGUAGES), None)


def parse_page(page: PageSource, sources: dict[str, Source], lang: str | None = None) -> PageCitations:
    """Find and check every citation of a page (locators in `lang`, by default the page's folder's language)."""
    result = PageCitations(page)
    name = page.path.as_posix()
    lang = lang or page_language(page.path)

    def problem(line: int, message: str, fix: str) -> None:
        result.problems.append(Problem(name, line, message, fix))

    section, anchor = "", ""
    for line, text in lines_outside_fences(page.body, page.body_line):
        heading = heading_of(text)
        if heading:
            section, anchor = ATTR_LIST.sub("", heading[1]), heading_anchor(heading[1])
        definition = DEFINITION.match(text)
        if definition:
            label, body = definition.group(1), definition.group(2).strip()
            if label in result.definitions:
                first = result.definitions[label].line
                problem(
                    line,
                    f"footnote [^{label}] is defined twice: here and at line {first}",
                    f"keep one definition of [^{label}]: delete this line or line {first}, or give one a new label",
                )
            citation = CITATION.match(body)
            result.definitions.setdefault(label, Definition(label, "", None, line))  # known, even if malformed
            if not body.startswith("@"):
                problem(
                    line,
                    f"footnote [^{label}] does not cite a source",
                    "write `[^label]: @source-key` or `@source-key, locator`",
                )
            elif not citation or (citation.group("locator") is not None and not citation.group("locator").strip()):
                problem(
                    line,
                    f"footnote [^{label}] has a malformed citation '{body}'",
                    "write `@source-key` or `@source-key, locator` (a comma, then a non-empty locator)",
                )
            else:
                key = citation.group("key")
                if key not in sources:
                    close = nearest(key, sources)
                    hint = f"did you mean '@{close}'?" if close else "add the source to data/sources.yml first"
                    problem(line, f"unknown source key '@{key}' in footnote [^{label}]", hint)
                elif citation.group("locator") is not None and lang:
                    wrong = sources[key].locator_problem(citation.group("locator").strip(), lang)
                    if wrong:
                        problem(line, f"footnote [^{label}]: {wrong[0]}", wrong[1])
                result.definitions[label] = Definition(label, key, citation.group("locator"), line)
            text = ""
        for match in REFERENCE.finditer(INLINE_CODE.sub("", text)):
            result.references.append(Reference(match.group(1), line, section, anchor))
    for label in {d.label for d in result.definitions.values()} | {r.label for r in result.references}:
        if not LABEL.match(label):
            lines = [r.line for r in result.references if r.label == label]
            lines += [result.definitions[label].line] if label in result.definitions else []
            problem(
                min(lines),
                f"footnote label [^{label}] is not ASCII letters, digits, '-' or '_'",
                "rename it, e.g. [^wt-troops] (non-ASCII labels break footnote tooltips)",
            )
    referenced = {r.label for r in result.references}
    unused = [d for d in result.definitions.values() if d.label not in referenced]
    undefined: dict[str, list[int]] = {}
    for ref in result.references:
        if ref.label not in result.definitions:
            undefined.setdefault(ref.label, []).append(ref.line)
    for label, lines in undefined.items():  # one message per label, at its first use
        lines = sorted(set(lines))
        elsewhere = f" (also line {', '.join(map(str, lines[1:]))})" if len(lines) > 1 else ""
        near = nearest(label, [d.label for d in unused])
        problem(
            lines[0],
            f"footnote [^{label}] is used but never defined{elsewhere} (it would show as literal text)",
            f"did you mean [^{near}] (defined at line {result.definitions[near].line})?"
            if near
            else f"add `[^{label}]: @source-key` at the end of the page",
        )
    suggested = {nearest(label, [d.label for d in unused]) for label in undefined}
    for definition in unused:
        if definition.label in suggested:
            continue  # a misspelt label: reported once, where it is used
        problem(
            definition.line,
            f"footnote [^{definition.label}] is defined but never referenced",
            f"cite it in the text as [^{definition.label}] or delete the definition",
        )
    result.problems.sort(key=lambda p: p.line)
    return result


def relative_link(from_page: str, to_page: str) -> str:
    """A Markdown link target from one page to another (both relative to the language folder)."""
    return posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")


def _link_text(text: str) -> str:
    """Author-supplied text as the text of a Markdown link: escaped like any other value."""
    return md_text(text)


def merge_repeated_notes(markdown: str) -> str:
    """One note per source and locator: a label whose citation repeats an earlier one is cited as that one.

    Authors name a footnote after its claim (`[^xu-intel]`), so a page may hold many notes citing
    the same section of the same source. The reader gets one note for them, with lettered
    back-links to each place that cites it, and the page is lighter.
    """
    first: dict[str, str] = {}
    alias: dict[str, str] = {}
    for match in re.finditer(r"^\[\^([^\]\n]+)\]:[ \t]*(@.*)$", markdown, flags=re.M):
        label, citation = match.group(1), ", ".join(part.strip() for part in match.group(2).rstrip().split(","))
        if citation in first:
            alias[label] = first[citation]
        else:
            first[citation] = label
    if not alias:
        return markdown
    markdown = re.sub(
        r"^\[\^([^\]\n]+)\]:[^\n]*\n?", lambda m: "" if m.group(1) in alias else m.group(0), markdown, flags=re.M
    )
    markdown = REFERENCE.sub(lambda m: f"[^{alias.get(m.group(1), m.group(1))}]", markdown)
    return re.sub(r"(\[\^[^\[\]\n]+\])(?:\1)+", r"\1", markdown)  # the same note twice in a row: once


def render_definitions(
    markdown: str, sources_url: str, lang: str, cited: PageCitations, sources: dict[str, Source]
) -> str:
    """Replace each `[^x]: @key, locator` with a full citation linked to the Sources page.

    The citation is written as HTML, not as a Markdown link: a page has dozens of them, and
    Markdown's link parsing was a fifth of the page's build time. `sources_url` is the Sources
    page's URL relative to the page; the anchors exist because that page is built from the same
    registry.
    """

    def citation(match: re.Match) -> str:
        definition = cited.definitions[match.group(1)]
        source = sources[definition.key]
        locator = definition.locator.strip() if definition.locator else None
        text = _inline(source.citation_html(lang, locator))
        link = f'<a href="{attribute(sources_url)}#{attribute(source.anchor())}">{text}</a>'
        if source.url:
            link += " " + url_link(source.url)
        return f"[^{definition.label}]: {link}"

    return re.sub(r"^\[\^([^\]\n]+)\]:[ \t]*@.*$", citation, markdown, flags=re.M)


def _inline(html_fragment: str) -> str:
    """HTML written into a Markdown line: Markdown's inline syntax in its text escaped too.

    `html_fragment` is already HTML-escaped text with tags of our own; backslash-escape the
    characters that would make Markdown markup (a `[x](javascript:…)` in a title) outside the tags.
    """
    return "".join(part if part.startswith("<") else md_escape(part) for part in re.split(r"(<[^<>]*>)", html_fragment))


def url_link(url: str) -> str:
    """A source's own URL as a link: an escaped href attribute, the text escaped (never a `<url>` autolink)."""
    return f'<a href="{attribute(url)}">{md_escape(html_text(url))}</a>'


LABELS = {
    "ja": {
        "kind": "種類",
        "author": "著者",
        "outlet": "掲載",
        "publisher": "公開元",
        "version": "版",
        "licence": "ライセンス",
        "date": "日付",
        "original_title": "原題",
        "url": "URL",
        "notes": "注記",
        "cited_on": "引用しているページ",
        "not_cited": "まだどのページからも引用されていない。",
    },
    "en": {
        "kind": "Kind",
        "author": "Author",
        "outlet": "Published in",
        "publisher": "Publisher",
        "version": "Version",
        "licence": "Licence",
        "date": "Date",
        "original_title": "Original title",
        "url": "URL",
        "notes": "Notes",
        "cited_on": "Cited on",
        "not_cited": "Not cited by any page yet.",
    },
}


def citing_sections(scan: dict[str, PageCitations]) -> dict[str, list[tuple[str, str, str, str]]]:
    """For each source key: (page path, page title, section, anchor) of every section citing it."""
    index: dict[str, list[tuple[str, str, str, str]]] = {}
    for rel, cited in sorted(scan.items()):
        for ref in cited.references:
            definition = cited.definitions.get(ref.label)
            if not definition:
                continue
            entry = (rel, str(cited.page.meta.get("title", rel)), ref.section, ref.anchor)
            if entry not in index.setdefault(definition.key, []):
                index[definition.key].append(entry)
    return index


def _toc_label(source: Source, lang: str) -> str:
    """On a page in another language than the title's, the table of contents names the entry in the page's language.

    The theme's table of contents keeps a heading's text but not its `lang` markup; a label in the
    page's language leaves no unmarked run there. The value keeps only plain characters: inline
    Markdown would otherwise turn `[x](…)` in it into a link before attr_list reads it.
    """
    if source.language == lang or lang != "en" or source.original_title or not source.title_en:
        return ""  # the shown title is already in the page's language
    label = WORDS_TOC[source.is_inferred("title")].format(title=source.title_en)
    return ' data-toc-label="' + TOC_UNSAFE.sub("", label) + '"'


# Inline Markdown runs before attr_list reads the label: keep only letters, digits, spaces and plain punctuation.
TOC_UNSAFE = re.compile(r"[^\w\s'’“”,.:;?!()–—-]")
WORDS_TOC = {False: "“{title}” (our translation)", True: "[{title}]"}


def render_source_list(lang: str, sources: dict[str, Source], scan: dict[str, PageCitations]) -> str:
    """The Sources page body: every registry entry, fully described, with the pages citing it."""
    words = LABELS[lang]
    index = citing_sections(scan)
    blocks = []
    for source in sorted(sources.values(), key=lambda s: (s.date.sort_key(), s.key)):
        rows = [f"{words['kind']}: {KINDS[source.kind][lang]}"]
        if source.author:
            rows.append(f"{words['author']}: {md_text(source.author[lang])}")
        if source.outlet:
            rows.append(f"{words['outlet']}: {md_text(source.display_outlet(lang))}")
        for name in ("publisher", "licence"):
            if getattr(source, name):
                rows.append(f"{words[name]}: {md_text(getattr(source, name)[lang])}")
        if source.version:
            rows.append(f"{words['version']}: {md_text(source.version)}")
        rows.append(f"{words['date']}: {md_text(source.display_date(lang))}")
        if source.original_title:
            # The original of a translation: in the other language than the copy's.
            original_lang = "en" if source.language == "ja" else "ja"
            rows.append(f"{words['original_title']}: {lang_span(md_text(source.original_title), original_lang, lang)}")
        if source.url:
            rows.append(f"{words['url']}: {url_link(source.url)}")
        if source.notes:
            rows.append(f"{words['notes']}: {md_text(source.notes[lang])}")
        by_page: dict[str, list[str]] = {}
        for rel, title, section, anchor in index.get(source.key, []):
            link = relative_link(SOURCES_PAGE, rel)
            items = by_page.setdefault(f"[{_link_text(title)}]({link})", [])
            if anchor:
                items.append(f"[{_link_text(section)}]({link}#{anchor})")
        places = [
            page + (f"（{'、'.join(items)}）" if lang == "ja" else f" ({', '.join(items)})") if items else page
            for page, items in by_page.items()
        ]
        rows.append(
            f"{words['cited_on']}: " + (("／" if lang == "ja" else "; ").join(places) if places else words["not_cited"])
        )
        blocks.append(
            f"### {_inline(source.title_html(lang))} {{#{source.anchor()}{_toc_label(source, lang)}}}\n\n"
            + "\n".join(f"- {row}" for row in rows)
        )
    return "\n\n".join(blocks) + "\n"


def period_of(cited: PageCitations, sources: dict[str, Source]) -> tuple[Source, Source] | None:
    """The earliest and latest of the documents a page cites (a map's data sets are dated releases, not reports)."""
    documents = (sources[k] for k in cited.keys_in_order() if k in sources and sources[k].kind != "dataset")
    dated = sorted(documents, key=lambda s: s.date.sort_key())
    return (dated[0], dated[-1]) if dated else None


def render_page_meta(
    lang: str, meta: dict, cited: PageCitations, sources: dict[str, Source], coverage: str = ""
) -> str:
    """The line under a page's title: when it was published and last reviewed, what period its sources cover,
    and (`coverage`, from the timeline) the latest event they report."""
    published, reviewed = (format_date(parse_partial_date(meta[f]), lang) for f in ("published", "reviewed"))
    text = (
        f"公開：{published}　最終確認：{reviewed}"
        if lang == "ja"
        else f"Published: {published} · Last reviewed: {reviewed}"
    )
    period = period_of(cited, sources)
    if period:
        first, last = (s.display_date(lang) for s in period)
        span = first if first == last else (f"{first}～{last}" if lang == "ja" else f"{first} – {last}")
        text += f"　出典の日付：{span}" if lang == "ja" else f" · Sources dated: {span}"
    if coverage:
        return f'<p class="page-meta">{text}<br>{html_text(coverage)}</p>\n\n'
    return f'<p class="page-meta">{text}</p>\n\n'


BACKREF = re.compile(r'<li id="fn:([^"]+)">(.*?)</li>', re.S)
BACKLINK = re.compile(r'<a class="footnote-backref" href="#(fnref\d*:[^"]+)" title="[^"]*">&#8617;</a>')
BACKLINK_WORDS = {
    "ja": ("本文の参照箇所へ戻る", "本文の参照箇所 {letter} へ戻る"),
    "en": ("Back to the text", "Back to reference {letter} in the text"),
}


FOOTNOTE_REF = re.compile(r'<a class="footnote-ref" href="#fn:([^"]+)">(\d+)</a>')
FOOTNOTE_NAME = {"ja": "脚注{n}", "en": "Footnote {n}"}
# Two markers with nothing between them (¹²) would read as one number (12): a comma goes between
# them, and only there (a rule in CSS would also fire across the text between two markers).
ADJACENT_MARKERS = re.compile(r'(<sup id="fnref\d*:[^"]+"><a [^>]*>[^<]*</a></sup>)(?=<sup id="fnref)')
MARKER_SEPARATOR = '<sup class="footnote-sep">,</sup>'


def _letters():
    """a, b, … z, then aa, ab, …: the letters of a note's back-links, however often it is cited."""
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    yield from alphabet
    for first in alphabet:
        for second in alphabet:
            yield first + second


def localise_footnotes(html: str, lang: str) -> str:
    """Footnote markers and back-links named in the page's language; repeated notes lettered a, b, c.

    Adjacent markers are separated by a comma (MARKER_SEPARATOR). Back-links get an accessible name but no `title`: with `content.tooltips` every title costs a
    tooltip set up on page load, and a back-link needs none. The notes are left out of the search
    index (`data-search-exclude`): they repeat the Sources page and would match every page.
    """
    single, several = BACKLINK_WORDS[lang]
    html = FOOTNOTE_REF.sub(
        lambda m: (
            f'<a class="footnote-ref" href="#fn:{m.group(1)}" aria-label="{FOOTNOTE_NAME[lang].format(n=m.group(2))}">{m.group(2)}</a>'
        ),
        html,
    )

    def note(match: re.Match) -> str:
        links = BACKLINK.findall(match.group(2))
        if len(links) <= 1:
            body = BACKLINK.sub(
                lambda m: f'<a class="footnote-backref" href="#{m.group(1)}" aria-label="{single}">&#8617;</a>',
                match.group(2),
            )
        else:
            letters = _letters()

            def lettered(m: re.Match) -> str:
                letter = next(letters)
                label = several.format(letter=letter)
                return f'<a class="footnote-backref footnote-backref--lettered" href="#{m.group(1)}" aria-label="{label}">{letter}</a>'

            body = BACKLINK.sub(lettered, match.group(2))
        return f'<li id="fn:{match.group(1)}">{body}</li>'

    html = ADJACENT_MARKERS.sub(lambda m: m.group(1) + MARKER_SEPARATOR, html)
    html = html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)
    return BACKREF.sub(note, html)
