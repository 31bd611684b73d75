"""Japanese–English parity of citations: the same sources for the same claims, item by item.

The two versions of a page are cut into the same sections (parity.sections) and each section into
its paragraphs, list items and table rows (parity.items). Compared, each at the line to edit:

- a source cited on one page only, at the item that cites it and at its counterpart's line;
- per item, when both sections have the same number of items: the registry keys cited, in order
  of first use (so a sentence that lost its footnote is found even when the same source is cited
  elsewhere in the section); a reference removed while its definition stays is named at the item
  that lost it, in place of "defined but never referenced";
- per section, when the items cannot be paired: the keys cited, in order of first use.

Items whose footnotes are themselves broken (undefined, unknown key) are left out: those are
reported where they are, once.
"""

from __future__ import annotations

from collections import Counter

from ..inputs.citations import REFERENCE, PageCitations
from ..inputs.site_model import Problem
from .parity import Item, Section, _quote, items, sections

FIX = "cite the same sources, in the same order, for the same claims in both languages"


def _item_keys(
    item: Item | Section, cited: PageCitations, known: set[str], skip: set[str], repeats: bool = False
) -> list[str] | None:
    """The keys an item cites, in order (each once unless `repeats`); None when one of its footnotes is broken.

    A broken footnote (undefined, unknown key, a label citing another source in the other language)
    is reported where it is.
    """
    keys: list[str] = []
    for match in REFERENCE.finditer(item.text):
        definition = cited.definitions.get(match.group(1))
        if not definition or definition.key not in known or match.group(1) in skip:
            return None
        if repeats or definition.key not in keys:
            keys.append(definition.key)
    return keys


def _in_order(fewer: list[str], more: list[str]) -> bool:
    """Whether `fewer` is `more` with some footnotes left out (the rest in the same order)."""
    rest = iter(more)
    return all(key in rest for key in fewer)


def _quoted(item: Item, lang: str) -> str:
    return f"「{_quote(item.text, 40)}」" if lang == "ja" else f'"{_quote(item.text, 40)}"'


def _unused_label(cited: PageCitations, key: str, other: PageCitations, other_item: Item) -> tuple[str, int] | None:
    """The label the counterpart item uses for `key`, when this page defines it but never references it."""
    used = {ref.label for ref in cited.references}
    for match in REFERENCE.finditer(other_item.text):
        label = match.group(1)
        theirs = other.definitions.get(label)
        mine = cited.definitions.get(label)
        if theirs and theirs.key == key and mine and mine.key == key and label not in used:
            return label, mine.line
    for label, mine in cited.definitions.items():
        if mine.key == key and label not in used:
            return label, mine.line
    return None


class _Comparison:
    def __init__(self, ja: PageCitations, en: PageCitations, known: set[str]) -> None:
        self.pages = {"ja": ja, "en": en}
        self.files = {lang: cited.page.path.as_posix() for lang, cited in self.pages.items()}
        self.known = known
        self.problems: list[Problem] = []
        self.superseded: list[Problem] = []  # "defined but never referenced", said better here
        self.skip: set[str] = set()  # labels whose definitions differ: reported once, at the definition

    def same_labels(self) -> None:
        """A label defined on both pages cites the same source on both: one message at the definition."""
        ja, en = self.pages["ja"].definitions, self.pages["en"].definitions
        for label in sorted(ja.keys() & en.keys()):
            if ja[label].key != en[label].key and ja[label].key in self.known and en[label].key in self.known:
                self.skip.add(label)
                self.problems.append(
                    Problem(
                        self.files["en"],
                        en[label].line,
                        f"footnote [^{label}] cites @{en[label].key} here but @{ja[label].key} in "
                        f"{self.files['ja']}:{ja[label].line}",
                        "give the same label the same source in both languages: correct the definition that is wrong",
                    )
                )

    def lost_reference(self, side: str, item: Item, key: str, other_item: Item) -> None:
        """`item` on `side` lacks `key`, which its counterpart cites."""
        other = "en" if side == "ja" else "ja"
        cited, other_cited = self.pages[side], self.pages[other]
        where = f"{self.files[other]}:{other_item.line} {_quoted(other_item, other)}"
        unused = _unused_label(cited, key, other_cited, other_item)
        if unused:
            label, line = unused
            self.superseded += [
                p for p in cited.problems if p.line == line and p.message.endswith("is defined but never referenced")
            ]
            self.problems.append(
                Problem(
                    self.files[side],
                    item.line,
                    f"{_quoted(item, side)} lost its reference [^{label}] (@{key}): its counterpart {where} cites it",
                    f"put [^{label}] back at the end of the sentence it supports here (its definition, line {line}, is kept)",
                )
            )
            return
        fewer = key in (_item_keys(item, cited, self.known, self.skip) or [])
        self.problems.append(
            Problem(
                self.files[side],
                item.line,
                f"{_quoted(item, side)} cites @{key} fewer times than its counterpart {where}"
                if fewer
                else f"{_quoted(item, side)} does not cite @{key}, which its counterpart {where} cites",
                f"add the footnote that cites @{key} to the sentence it supports here, "
                "or remove it from the counterpart if the source does not say it",
            )
        )

    def pair(self, ja_item: Item, en_item: Item, keys_ja: list[str], keys_en: list[str]) -> None:
        if keys_ja == keys_en:
            return
        sides = (("ja", keys_ja, keys_en, ja_item, en_item), ("en", keys_en, keys_ja, en_item, ja_item))
        for side, mine, theirs, item, other_item in sides:
            other = "en" if side == "ja" else "ja"
            for key in Counter(theirs) - Counter(mine):
                if _unused_label(self.pages[side], key, self.pages[other], other_item):
                    self.lost_reference(side, item, key, other_item)
                    return
        for side, mine, theirs, item, other_item in sides:
            if not Counter(mine) - Counter(theirs) and _in_order(mine, theirs):
                self.lost_reference(side, item, next(iter(Counter(theirs) - Counter(mine))), other_item)
                return
        self.problems.append(
            Problem(
                self.files["en"],
                en_item.line,
                f"{_quoted(en_item, 'en')} cites {', '.join('@' + k for k in keys_en) or 'no source'} where its "
                f"counterpart {self.files['ja']}:{ja_item.line} {_quoted(ja_item, 'ja')} cites "
                f"{', '.join('@' + k for k in keys_ja) or 'no source'}",
                FIX,
            )
        )

    def section(self, a: Section, b: Section, shared: set[str]) -> None:
        """Compare a pair of sections item by item, or as a whole when their items cannot be paired."""
        items_ja, items_en = items(a), items(b)
        if len(items_ja) == len(items_en):
            for ja_item, en_item in zip(items_ja, items_en, strict=True):
                keys_ja = _item_keys(ja_item, self.pages["ja"], self.known, self.skip, repeats=True)
                keys_en = _item_keys(en_item, self.pages["en"], self.known, self.skip, repeats=True)
                if keys_ja is not None and keys_en is not None:
                    self.pair(
                        ja_item, en_item, [k for k in keys_ja if k in shared], [k for k in keys_en if k in shared]
                    )
            return
        keys_ja = _item_keys(a, self.pages["ja"], self.known, self.skip)
        keys_en = _item_keys(b, self.pages["en"], self.known, self.skip)
        if keys_ja is None or keys_en is None:
            return
        keys_ja, keys_en = [k for k in keys_ja if k in shared], [k for k in keys_en if k in shared]
        if keys_ja != keys_en:
            name = (
                f'section 「{a.heading}」 ({self.files["ja"]}:{a.line}) / "{b.heading}" ({self.files["en"]}:{b.line})'
                if a.heading
                else f"the opening of {self.files['ja']}:{a.line} / {self.files['en']}:{b.line}"
            )
            self.problems.append(
                Problem(
                    self.files["en"],
                    b.line,
                    f"citations differ in {name}: ja cites {keys_ja}, en cites {keys_en}",
                    FIX + " (the two sections' paragraphs and list items do not pair up: compare them)",
                )
            )

    def one_page_only(self, pairs: list[tuple[Section, Section]] | None) -> set[str]:
        """Report each source cited on one page only; return the keys cited on both."""
        cited_keys = {
            lang: {
                c.definitions[r.label].key
                for r in c.references
                if r.label in c.definitions and c.definitions[r.label].key in self.known and r.label not in self.skip
            }
            for lang, c in self.pages.items()
        }
        for side, other in (("ja", "en"), ("en", "ja")):
            for key in sorted(cited_keys[side] - cited_keys[other]):
                item, counterpart = self._where(side, key, pairs)
                if (
                    item
                    and isinstance(counterpart, Item)
                    and _unused_label(self.pages[other], key, self.pages[side], item)
                ):
                    self.lost_reference(other, counterpart, key, item)
                    continue
                line = counterpart.line if counterpart else 1
                at = f"{self.files[side]}:{item.line} {_quoted(item, side)}" if item else self.files[side]
                self.problems.append(
                    Problem(
                        self.files[other],
                        line,
                        f"@{key} is cited in {at} but not here",
                        "cite the same sources for the same claims in both languages: add the footnote to "
                        "the counterpart sentence here, or remove it there if the source does not say it",
                    )
                )
        return cited_keys["ja"] & cited_keys["en"]

    def _where(self, side: str, key: str, pairs) -> tuple[Item | None, Item | Section | None]:
        """The item citing `key` first on `side`, and its counterpart (or the counterpart section) on the other side."""
        index = 0 if side == "ja" else 1
        cited = self.pages[side]
        for pair in pairs or [(s, s) for s in sections(cited)]:
            mine, theirs = pair[index], pair[1 - index]
            for position, item in enumerate(items(mine)):
                if key in (_item_keys(item, cited, self.known, self.skip) or []):
                    if pairs is None:
                        return item, None
                    counterparts = items(theirs)
                    return item, counterparts[position] if len(counterparts) == len(items(mine)) else theirs
        return None, None


def compare(ja: PageCitations, en: PageCitations, known: set[str]) -> tuple[list[Problem], list[Problem]]:
    """The citation differences between a page's two versions; and the problems they replace.

    The second list holds problems already found by citations.parse_page ("defined but never
    referenced") that a message here names better: the caller drops them.
    """
    comparison = _Comparison(ja, en, known)
    comparison.same_labels()
    ja_sections, en_sections = sections(ja), sections(en)
    aligned = [s.level for s in ja_sections] == [s.level for s in en_sections]
    pairs = list(zip(ja_sections, en_sections, strict=True)) if aligned else None
    shared = comparison.one_page_only(pairs)
    if pairs:  # otherwise the heading that differs is reported (parity.compare), and sections cannot be paired
        for a, b in pairs:
            comparison.section(a, b, shared)
    return comparison.problems, comparison.superseded
