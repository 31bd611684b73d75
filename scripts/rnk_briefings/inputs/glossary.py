"""The glossary (data/glossary.yml): one entry per term, organisation, person or place, both languages.

It renders the reference pages that list the entries (the Glossary, and People and places) and
gives every other page its hover explanations of terms, so that a term is defined once.

Every value is escaped where it is written (data_files.md_text); a name in the other language
than the page's is marked with its `lang`. Hover explanations go into a `title` that Material's
tooltips copy into innerHTML, so they are escaped for that too (data_files.tooltip_title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .data_files import (
    attribute,
    check_choice,
    check_fields,
    fields,
    lang_span,
    line_of,
    load_list,
    md_text,
    refuse_markup,
    reporter,
    tooltip_title,
)
from .site_model import LANGUAGES, Problem

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

KINDS = {
    "term": {"ja": "用語", "en": "Terms"},
    "organisation": {"ja": "組織", "en": "Organisations"},
    "person": {"ja": "人物", "en": "People"},
    "place": {"ja": "地名", "en": "Places"},
    "weapon": {"ja": "兵器・装備", "en": "Weapons and equipment"},
    "event": {"ja": "出来事", "en": "Events"},
}
# Kinds explained on hover wherever they are used. People and places are introduced by the text
# itself and listed on their own page; explaining every name too would double a page's tooltips.
EXPLAINED_KINDS = ("term", "organisation", "weapon", "event")
REQUIRED = ("id", "kind", "ja", "en", "ja_note", "en_note", "sources")
OPTIONAL = ("abbr", "original", "short", "geo")
# A place's key in the pinned geodata (inputs/geodata.py): a GeoNames place, or a shared border.
GEO_FIX = "write `geo: {name: Vladivostok, country: RU}` (GeoNames) or `geo: {border: [Russia, North Korea]}`"


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    name: dict[str, str]
    note: dict[str, str]
    sources: tuple[str, ...]
    abbr: str | None = None
    original: str | None = None
    geo: dict | None = None  # {name, country} or {border: [country, country]}, checked by inputs.geodata
    geo_line: int = 0
    # The short forms running text uses for a person or organisation ("Kelly", 「ケリー」), by language:
    # the build compares who is named in each claim of the two languages (checks/claims.py).
    short: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def anchor(self) -> str:
        return f"gl-{self.id}"


def load_glossary(path: Path, source_keys: set[str]) -> tuple[list[Entry], list[Problem]]:
    """All entries in file order, and every problem with its line."""
    raw, problems = load_list(path)
    entries: list[Entry] = []
    seen: set[str] = set()
    for item in raw:
        data = fields(item)
        before = len(problems)

        problem = reporter(problems, path, item)

        if not check_fields(data, REQUIRED, OPTIONAL, problem, "glossary entry", {"kind": KINDS}):
            continue
        if not ID_PATTERN.match(str(data["id"])):
            problem("id", f"glossary id {str(data['id'])!r} is not lowercase ASCII with hyphens", "e.g. `id: adiz`")
        if data["id"] in seen:
            problem("id", f"duplicate glossary id '{data['id']}'", "give each entry its own id")
        seen.add(data["id"])
        check_choice(data, "kind", KINDS, problem)
        for key in data["sources"]:
            if key not in source_keys:
                problem("sources", f"unknown source '{key}'", "use a key from data/sources.yml")
        geo = _geo_key(data.get("geo"), data["kind"], problem)
        short = _short_names(data.get("short"), problem)
        if len(problems) > before:
            continue
        entries.append(
            Entry(
                id=data["id"],
                kind=data["kind"],
                name={"ja": data["ja"], "en": data["en"]},
                note={"ja": data["ja_note"], "en": data["en_note"]},
                sources=tuple(data["sources"]),
                abbr=data.get("abbr"),
                original=data.get("original"),
                geo=geo,
                geo_line=line_of(item, "geo"),
                short=short,
            )
        )
    return entries, problems


def _geo_key(value: object, kind: str, problem) -> dict | None:
    """A place's geodata key, its shape checked (whether the data holds it is checked by inputs.geodata)."""
    if value is None:
        return None
    if kind != "place":
        problem("geo", f"only a place has a geodata key, not a {kind}", "remove `geo:` from this entry")
        return None
    geo = fields(value) if isinstance(value, dict) else {}
    named = set(geo) == {"name", "country"} and all(isinstance(geo[k], str) and geo[k] for k in geo)
    border = (
        set(geo) == {"border"}
        and isinstance(geo["border"], list)
        and len(geo["border"]) == 2
        and all(isinstance(c, str) and c for c in geo["border"])
    )
    if not (named or border):
        problem("geo", "`geo:` must name a GeoNames place and country, or a border between two countries", GEO_FIX)
        return None
    return geo


def _short_names(value: object, problem) -> dict[str, tuple[str, ...]]:
    """`short: {ja: [ケリー], en: [Kelly]}`: lists of plain names, in either or both languages."""
    if value is None:
        return {}
    fix = "write `short: {ja: [ケリー], en: [Kelly]}` (lists of the short names running text uses)"
    value = fields(value) if isinstance(value, dict) else value
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        problem("short", "short must map ja and/or en to lists of names", fix)
        return {}
    result = {}
    for lang, names in value.items():
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            problem("short", f"short.{lang} must be a list of names", fix)
            return {}
        for name in names:
            if not refuse_markup(problem, "short", name, "a short name"):
                return {}
        result[lang] = tuple(n.strip() for n in names)
    return result


def render_glossary(entries: list[Entry], lang: str, kinds: list[str]) -> str:
    """Markdown: a section per kind, an entry per term with both names, its note and citations."""
    other = "en" if lang == "ja" else "ja"
    lines, notes = [], []
    for kind in kinds:
        names = KINDS[kind]
        group = [e for e in entries if e.kind == kind]
        if not group:
            continue
        lines.append(f"## {names[lang]}\n")
        for entry in group:
            labels = [f"{entry.anchor()}-{i}" for i in range(1, len(entry.sources) + 1)]
            # The other language's name, the abbreviation and the original spelling, each once.
            # Each with its language: the other name in the other language, Latin spellings in English.
            extras = {entry.name[other]: other} if entry.name[other] else {}
            for text in (entry.abbr, entry.original):
                if text:
                    extras.setdefault(text, "en" if text.isascii() else "ja")
            extras.pop(entry.name[lang], None)
            shown = [lang_span(md_text(text), text_lang, lang) for text, text_lang in extras.items()]
            joined = "、".join(shown) if lang == "ja" else ", ".join(shown)
            aside = "" if not extras else f"（{joined}）" if lang == "ja" else f" ({joined})"
            refs = "".join(f"[^{label}]" for label in labels)
            lines.append(
                f'<span id="{attribute(entry.anchor())}"></span>**{md_text(entry.name[lang])}**{aside}  \n'
                f"{md_text(entry.note[lang])}{refs}\n"
            )
            notes += [f"[^{label}]: @{key}" for label, key in zip(labels, entry.sources, strict=True)]
    return "\n".join(lines) + "\n" + "\n".join(notes) + "\n"


TAG = re.compile(r"(<[^<>]+>)")
TAG_NAME = re.compile(r"</?([a-zA-Z0-9]+)")
# Text inside these elements is never annotated.
SKIP = {"a", "abbr", "code", "pre", "script", "style", "sup", "svg", "title", "h1", "h2", "h3", "h4", "h5", "h6"}


def _explanations(entries: list[Entry], lang: str) -> dict[str, tuple[str, str]]:
    """Each term and abbreviation of the page's language: (entry id, explanation), longest terms first."""
    other, separator = ("en", "：") if lang == "ja" else ("ja", ": ")
    explanations: dict[str, tuple[str, str]] = {}
    for entry in entries:
        if entry.kind not in EXPLAINED_KINDS:
            continue
        for text in (entry.name[lang], entry.abbr):
            if text and len(text) > 1:
                explanations.setdefault(text, (entry.id, f"{entry.name[other]}{separator}{entry.note[lang]}"))
    return dict(sorted(explanations.items(), key=lambda item: len(item[0]), reverse=True))


def _names(entries: list[Entry], lang: str) -> set[str]:
    """Every name the glossary holds in the page's language (all kinds: people and places too)."""
    return {text for e in entries for text in (e.name[lang], e.abbr, e.original) if text}


# What continues a word of Latin script (a regular-expression class): Latin letters, digits, `_`
# and `-`. A name in Latin script is matched only where none of these is directly before or after
# it: "NATO" is not in "NATOs" or "pre-NATO", but 「CNN報道」 holds CNN. The tooltips and the
# glossary-use check (checks/glossary_use.py) both match by it.
LATIN_WORD = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f_-"
_LATIN_WORD_CHARACTER = re.compile(f"[{LATIN_WORD}]")


def _whole_word(text: str, start: int, end: int) -> bool:
    """No character of a Latin word (`LATIN_WORD`) directly before or after (the rule for Latin script)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_LATIN_WORD_CHARACTER.match(before) or _LATIN_WORD_CHARACTER.match(after))


# A capitalised word right after a name ending in one continues the name: "the South" in
# "the South Korean daily" is part of a proper noun, not the term.
NAME_GOES_ON = re.compile(r"[ \u00a0][A-Z]")


def _occurrences(text: str, term: str, latin: bool):
    """Where a term occurs in text: as a whole word in Latin script, anywhere in Japanese."""
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if not latin or _whole_word(text, start, end):
            yield start, end
        start = text.find(term, start + 1)


def _inside_longer_name(text: str, start: int, end: int, longer: tuple[str, ...], latin: bool) -> bool:
    """The match is part of a longer name: one the glossary holds (`longer`: those that contain the term), or an English proper noun going on."""
    term = text[start:end]
    if latin and term.split()[-1][:1].isupper() and NAME_GOES_ON.match(text, end):
        return True
    for name in longer:
        if name in text:
            for s, e in _occurrences(text, name, latin or name.isascii()):
                if s <= start and end <= e:
                    return True
    return False


@dataclass(frozen=True)
class _Terms:
    """What annotating a page in one language needs of the glossary, worked out once per glossary."""

    explanations: dict[str, tuple[str, str]]  # longest first
    longer: dict[str, tuple[str, ...]]  # per term, the glossary's longer names that contain it


_terms_of: dict[tuple[int, str], tuple[list[Entry], _Terms]] = {}


def _terms(entries: list[Entry], lang: str) -> _Terms:
    cached = _terms_of.get((id(entries), lang))
    if cached is None or cached[0] is not entries:
        explanations = _explanations(entries, lang)
        names = _names(entries, lang)
        longer = {term: tuple(n for n in names if len(n) > len(term) and term in n) for term in explanations}
        cached = _terms_of[id(entries), lang] = (entries, _Terms(explanations, longer))
    return cached[1]


def annotate_terms(html_text: str, entries: list[Entry], lang: str) -> str:
    """Explain the first use of each term (EXPLAINED_KINDS) on a page with <abbr title="…">, in the page's language.

    An entry is explained once, under its name or its abbreviation, whichever comes first: each
    explanation is a tooltip that Material sets up when the page loads.

    Text inside links, code, headings, footnote markers and existing abbreviations is left alone.
    Terms match whole terms only: as whole words in English and in Latin script, anywhere in
    Japanese text; the longest term wins where two overlap; and a term never matches inside a
    longer name the glossary holds (of any kind: 平壌 in 平壌順安国際空港) or an English proper
    noun that goes on ("the South" in "the South Korean daily").
    """
    # The text outside the elements left alone, as text nodes (the parts between tags).
    parts = TAG.split(html_text)
    readable: list[int] = []
    depth = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = TAG_NAME.match(part)
            if name and name.group(1).lower() in SKIP and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
        elif depth == 0 and part.strip():
            readable.append(index)
    # Only the terms that text contains are looked for, and only until their entry is explained.
    glossary = _terms(entries, lang)
    text_alone = "\n".join(parts[index] for index in readable)
    pending = [(term, value) for term, value in glossary.explanations.items() if term in text_alone]  # longest first

    def explain(text: str) -> str:
        nonlocal pending
        hits: list[tuple[int, int, str, str]] = []
        for term, (entry_id, explanation) in pending:
            if term not in text or any(entry_id == hit[3] for hit in hits):
                continue
            latin = lang == "en" or term.isascii()
            for start, end in _occurrences(text, term, latin):
                if any(start < e and s < end for s, e, _, _ in hits):
                    continue  # a longer term holds this text
                if _inside_longer_name(text, start, end, glossary.longer[term], latin):
                    continue
                hits.append((start, end, explanation, entry_id))
                break
        if not hits:
            return text
        done = {hit[3] for hit in hits}
        pending = [item for item in pending if item[1][0] not in done]
        for start, end, explanation, _ in sorted(hits, reverse=True):
            text = f'{text[:start]}<abbr title="{tooltip_title(explanation)}">{text[start:end]}</abbr>{text[end:]}'
        return text

    for index in readable:
        if not pending:
            break  # every term the text holds is explained
        parts[index] = explain(parts[index])
    return "".join(parts)
