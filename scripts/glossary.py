"""The glossary (data/glossary.yml): one entry per term, organisation, person or place, both languages.

It renders the Glossary page and gives every page its hover explanations of terms, so that a
term is defined once.
"""

from __future__ import annotations

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
