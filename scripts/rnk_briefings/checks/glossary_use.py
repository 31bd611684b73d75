"""Glossary names used in one language only: a term whose name occurs on the pages of one language
but not of the other is almost always misspelt in data/glossary.yml, and its readers silently lose
its explanation (the hover on the term, the entry the text names).

Names are matched as the tooltips match them (glossary.annotate_terms): whole words in English and
in Latin script, anywhere in Japanese text; an entry counts as used in a language when its name in
that language occurs on a page of it. The pages that list the entries (the
glossary blocks) are read as written, so that the lists themselves do not count.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from ..inputs.glossary import LATIN_WORD, Entry
from ..inputs.site_model import LANGUAGES, Problem

HIDDEN = [
    re.compile(r"^\[\^[^\]\n]+\]:.*$", re.M),  # footnote definitions: locators name the copy's headings
    re.compile(r"<!--(?:[^<]|<(?!!--))*?-->"),  # linear: an attempt ends at the next <!--
]
LANGUAGE_NAMES = {"ja": "Japanese", "en": "English"}
WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*")
NEAR = 0.8  # how close a phrase must be to count as the name misspelt (one character in five)


def _visible(text: str) -> str:
    for pattern in HIDDEN:
        text = pattern.sub(" ", text)
    return text


def _occurs(name: str, text: str, lang: str, lowered: str = "") -> bool:
    """Whether a name occurs in a text, as a reader would find it.

    Latin script (English names, abbreviations) is matched as whole words, ignoring case, with an
    English plural allowed; Japanese anywhere. Words are bounded as the tooltips bound them
    (`glossary.LATIN_WORD`), so 「CNN報道」 holds CNN. `lowered`: the text in lower case, when the caller has it.
    """
    if not (lang == "en" or name.isascii()):
        return name in text
    lowered = lowered or text.lower()
    name = name.lower()
    if name not in lowered:
        return False
    return re.search(rf"(?<![{LATIN_WORD}]){re.escape(name)}(?:e?s)?(?![{LATIN_WORD}])", lowered) is not None


def _names(entry: Entry, lang: str) -> list[str]:
    """The entry's name in a language (its abbreviation is compared with itself, so it proves nothing)."""
    return [entry.name[lang]] if entry.name[lang] and len(entry.name[lang]) > 1 else []


def _nearest_phrase(name: str, texts: list[str], lang: str) -> str | None:
    """The phrase of the pages closest to a name that occurs on none of them: the name as misspelt, if it is.

    Phrases of as many words as the name, give or take one (as many characters in Japanese, give
    or take two), around the words (the pairs of characters) they share with the name.
    """
    candidates: set[str] = set()
    for text in texts:
        if lang == "en" or name.isascii():
            # Words as written, an initial's full stop kept ("Robert E. Kelly"), a sentence's dropped.
            words = [w if re.fullmatch(r"[A-Z]\.", w) else w.rstrip(".") for w in WORD.findall(text)]
            shared = {word.lower() for word in name.split()}
            size = len(name.split())
            for at in (i for i, word in enumerate(words) if word.lower() in shared):
                for n in range(max(1, size - 1), size + 2):
                    candidates.update(" ".join(words[i : i + n]) for i in range(max(0, at - n + 1), at + 1))
        else:
            plain = re.sub(r"\s+", "", text)
            pairs = {name[i : i + 2] for i in range(len(name) - 1)}
            for at in (i for i in range(len(plain) - 1) if plain[i : i + 2] in pairs):
                for n in range(max(1, len(name) - 2), len(name) + 3):
                    candidates.update(plain[i : i + n] for i in range(max(0, at - n + 2), at + 1))
    # A part of the name is the name shortened, not misspelt.
    candidates = {c for c in candidates if c.lower() not in name.lower()}
    near = difflib.get_close_matches(name, candidates, n=1, cutoff=NEAR)
    return near[0] if near else None


def check(
    terms: list[Entry],
    pages: dict[str, dict[str, str]],
    files: dict[str, dict[str, Path]],
    glossary_file: Path,
) -> list[Problem]:
    """Each glossary entry used in one language only, at its name's line in the glossary file.

    `pages`: per language, each page's text (relative path -> text); `files`: the page files.
    """
    glossary_lines = glossary_file.read_text(encoding="utf-8").split("\n")
    texts = {lang: {rel: _visible(text) for rel, text in pages[lang].items()} for lang in LANGUAGES}
    lowered = {lang: {rel: text.lower() for rel, text in texts[lang].items()} for lang in LANGUAGES}
    problems = []
    for entry in terms:
        used = {
            lang: [
                rel
                for rel, text in sorted(texts[lang].items())
                if any(_occurs(n, text, lang, lowered[lang][rel]) for n in _names(entry, lang))
            ]
            for lang in LANGUAGES
        }
        for lang, other in (("ja", "en"), ("en", "ja")):
            if not used[other] or used[lang]:
                continue
            counterparts = [texts[lang][rel] for rel in used[other] if rel in texts[lang]]
            near = _nearest_phrase(entry.name[lang], counterparts, lang)
            if near is None:  # written in another form, not misspelt: the build cannot tell (CONTRIBUTING.md)
                continue
            rel = used[other][0]
            name = next(n for n in _names(entry, other) if _occurs(n, texts[other][rel], other))
            problems.append(
                Problem(
                    glossary_file.as_posix(),
                    _name_line(glossary_lines, entry.id, lang),
                    f"glossary {entry.kind} '{entry.name[lang]}' ({lang}) occurs on no {LANGUAGE_NAMES[lang]} page, "
                    f"while its {LANGUAGE_NAMES[other]} name '{name}' occurs in {_line_in(files[other].get(rel), name, other)}",
                    f"did you mean '{near}'? correct `{lang}:` in the glossary to the name the {LANGUAGE_NAMES[lang]} "
                    f"pages write (docs/{lang}/{rel}), so that its readers get the term's explanation",
                )
            )
    return problems


def _name_line(lines: list[str], entry_id: str, lang: str) -> int:
    """The line of an entry's `ja:` or `en:` in the glossary file (of the entry, if that is not found)."""
    start = next(
        (i for i, text in enumerate(lines) if re.fullmatch(rf"- id: ['\"]?{re.escape(entry_id)}['\"]?\s*", text)), None
    )
    if start is None:
        return 1
    for offset, text in enumerate(lines[start + 1 :], start + 2):
        if text.startswith("- "):
            break
        if text.startswith(f"  {lang}:"):
            return offset
    return start + 1


def _line_in(path: Path | None, name: str, lang: str) -> str:
    """`docs/<lang>/page.md:line` of a name's first occurrence in the file as written (the page alone when it comes from data)."""
    if path is None:
        return "a page"
    for number, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if not text.startswith("[^") and _occurs(name, text, lang):
            return f"{path.as_posix()}:{number}"
    return path.as_posix()
