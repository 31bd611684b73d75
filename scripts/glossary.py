"""The glossary (data/glossary.yml): one entry per term, organisation, person or place, both languages.

It renders the Glossary page and gives every page its hover explanations of terms, so that a
term is defined once.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from data_files import check_fields, fields, load_list, reporter
from site_model import Problem

KINDS = {
    "term": {"ja": "用語", "en": "Terms"},
    "organisation": {"ja": "組織", "en": "Organisations"},
    "person": {"ja": "人物", "en": "People"},
    "place": {"ja": "地名", "en": "Places"},
    "weapon": {"ja": "兵器・装備", "en": "Weapons and equipment"},
    "event": {"ja": "出来事", "en": "Events"},
}
REQUIRED = ("id", "kind", "ja", "en", "ja_note", "en_note", "sources")
OPTIONAL = ("abbr", "original")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    name: dict[str, str]
    note: dict[str, str]
    sources: tuple[str, ...]
    abbr: str | None = None
    original: str | None = None

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

        if not check_fields(data, REQUIRED, OPTIONAL, problem, "glossary entry"):
            continue
        if data["id"] in seen:
            problem("id", f"duplicate glossary id '{data['id']}'", "give each entry its own id")
        seen.add(data["id"])
        if data["kind"] not in KINDS:
            problem("kind", f"unknown kind '{data['kind']}'", f"use one of: {', '.join(KINDS)}")
        for key in data["sources"]:
            if key not in source_keys:
                problem("sources", f"unknown source '{key}'", "use a key from data/sources.yml")
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
            )
        )
    return entries, problems


def render_glossary(entries: list[Entry], lang: str) -> str:
    """Markdown: a section per kind, an entry per term with both names, its note and citations."""
    other = "en" if lang == "ja" else "ja"
    lines, notes = [], []
    for kind, names in KINDS.items():
        group = [e for e in entries if e.kind == kind]
        if not group:
            continue
        lines.append(f"## {names[lang]}\n")
        for entry in group:
            labels = [f"{entry.anchor()}-{i}" for i in range(1, len(entry.sources) + 1)]
            extras = [entry.name[other]] + [x for x in (entry.abbr, entry.original) if x]
            joined = "、".join(extras) if lang == "ja" else ", ".join(extras)
            aside = f"（{joined}）" if lang == "ja" else f" ({joined})"
            refs = "".join(f"[^{label}]" for label in labels)
            lines.append(
                f'<span id="{entry.anchor()}"></span>**{entry.name[lang]}**{aside}  \n{entry.note[lang]}{refs}\n'
            )
            notes += [f"[^{label}]: @{key}" for label, key in zip(labels, entry.sources, strict=True)]
    return "\n".join(lines) + "\n" + "\n".join(notes) + "\n"


TAG = re.compile(r"(<[^>]+>)")
# Text inside these elements is never annotated.
SKIP = {"a", "abbr", "code", "pre", "script", "style", "sup", "svg", "title", "h1", "h2", "h3", "h4", "h5", "h6"}


def _term_pattern(text: str, lang: str) -> str:
    """Whole words in English and for Latin-script terms; anywhere in Japanese text."""
    if lang == "en" or text.isascii():
        return rf"(?<![\w-]){re.escape(text)}(?![\w-])"
    return re.escape(text)


def annotate_terms(html_text: str, entries: list[Entry], lang: str) -> str:
    """Explain the first use of each glossary term on a page with <abbr title="…">, in the page's language.

    Text inside links, code, headings, footnote markers and existing abbreviations is left alone.
    """
    other = "en" if lang == "ja" else "ja"
    explanations: dict[str, str] = {}
    for entry in entries:
        separator = "：" if lang == "ja" else ": "
        for text in (entry.name[lang], entry.abbr):
            if text and len(text) > 1:
                explanations.setdefault(text, f"{entry.name[other]}{separator}{entry.note[lang]}")
    if not explanations:
        return html_text
    ordered = sorted(explanations, key=len, reverse=True)  # the longer term wins where two overlap
    pattern = re.compile("|".join(_term_pattern(text, lang) for text in ordered))
    done: set[str] = set()

    def explain(match: re.Match) -> str:
        text = match.group(0)
        if text in done:
            return text
        done.add(text)
        return f'<abbr title="{html.escape(explanations[text], quote=True)}">{text}</abbr>'

    parts = TAG.split(html_text)
    depth = 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in SKIP and not part.endswith("/>"):
                depth += -1 if part.startswith("</") else 1
        elif depth == 0 and part.strip():
            parts[index] = pattern.sub(explain, part)
    return "".join(parts)
