"""Claims as strong in English as in Japanese: the same hedges and the same attributions, unit by unit.

A reader of one language cannot see that the other language hedges a claim or says whose view it
is; the build can. A **claim unit** is the text of a paragraph, list item or table row that ends
at a footnote marker (or a run of adjacent markers); the two languages' units are paired by the
labels of the markers that end them (authors use the same labels in both languages, which the
parity check already relies on). For each pair:

- **certainty**: the hedges each unit holds, by class (`HEDGES`: *likely*, *possible*,
  *reported*, *attempt*). A class in one language's unit and not in the other's is an error at the
  unit that lacks it (the stronger one), quoting both units.
- **attribution**: whose view it is. A reporting phrase (`REPORTING`: "according to", 「によれば」,
  "said", 「と述べた」 …) in one unit and none in the other, or a person, organisation or outlet
  (the glossary's people and organisations, the registry's authors and outlets) named in one unit
  and not in the other, is an error at the unit that lacks it.

The lexicons are documented for authors in CONTRIBUTING ("Hedges and attributions"). There are
no waivers in pages: where a lexicon is wrong, the lexicon is fixed here. Units that only one
language has are the parity check's business, not this one's.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..inputs.citations import FENCE, HEADING, PageCitations
from ..inputs.glossary import Entry
from ..inputs.registry import Source
from ..inputs.site_model import Problem

# Hedges by class, per language. A class is one strength of claim: an author who writes 「可能性が
# 高い」 in Japanese writes "likely" (not "may", not nothing) in English.
HEDGES: dict[str, dict[str, re.Pattern]] = {
    "likely": {
        "ja": re.compile(
            r"可能性(?:が|は|も)(?:高|大き|低|小さ)[いく]|公算が(?:大き|高|小さ)[いく]|見込みが(?:大き|高)い|考えにくい|おそらく|恐らく"
        ),
        "en": re.compile(r"\b(?:likely|unlikely|probabl[ey]|improbable)\b", re.I),
    },
    "possible": {
        "ja": re.compile(
            r"可能性|かもしれ|かねない|かねず|排除でき(?:ない|ず)|(?:恐れ|おそれ)が(?:ある|あり)|ありう|あり得"
            r"|(?<=[いきしちにひみりぎじびぴえけせてねへめれげぜでべぺ])(?:うる|得る)(?!さ)"
        ),
        "en": re.compile(
            r"\b(?i:possibl[ey]|possibilit(?:y|ies)|perhaps|potential(?:ly)?|conceivabl[ey])\b"
            r"(?<!best possible)(?<!soon as possible)(?<!much as possible)(?<!far as possible)"
            r"|\b(?:may|might)\b|\bcould(?! not)(?!n't)|cannot be ruled out|can't be ruled out"
        ),
    },
    "reported": {
        "ja": re.compile(
            r"とみられ|と見られ|と思われ|推定|推論|推計|推測|見通し(?!にく)|予想(?!し)|予測(?!し)|とされ|見込まれ|模様|らしい|ようだ|ようである"
            r"|伝えられ|報じられ|考えられ|想定を(?:はるかに|大きく)?(?:上回|超え)"
        ),
        "en": re.compile(
            r"\b(?:(?:is|are|was|were|be|been|being) (?:thought|believed|estimated|expected|said|reported|projected)"
            r"|estimate[sd]?|estimation|expectations?|forecasts?|(?<!equirectangular )projections?|outlook|reportedly|apparent(?:ly)?"
            r"|appears? to|appeared to|seem\w*|infer\w*|presumabl[ey]|supposedly)\b",
            re.I,
        ),
    },
    "attempt": {
        "ja": re.compile(
            r"(?<!だろ)(?<!であろ)(?<=[おこそとのほもよろごぞどぼぽ])うと(?:し|する|した)|試み|図っ|図る|目指|狙い|狙う"
        ),
        "en": re.compile(
            r"\b(?:try|tries|tried|trying|attempt\w*|bid to|efforts? to|aim(?:s|ed|ing)? (?:to|at)|aims?)\b", re.I
        ),
    },
}

# Attribution. EXPLICIT: phrases that make a unit someone's statement or view ("according to",
# 「によれば」). ATTRIBUTED: any way of saying who speaks (a reporting verb, a pronoun, a possessive).
# A unit with an explicit attribution whose counterpart has no attribution at all states as the
# site's own what the other language gives as someone's view.
EXPLICIT = {
    "ja": re.compile(
        r"によれば|によると|の見方では|の見立てでは|の考えでは|の分析では|の説明では|の話として|の報道では"
        r"|(?:彼|同氏|同紙|同誌|同記事|記事|論考)(?:は|によれば|の見方)|と(?:述べ|語っ|語る|語り|みる|みて|みてい|見てい|考えてい)"
    ),
    "en": re.compile(
        r"\b(?:according to|in (?:\w+(?:'s|’s)|his|her|their|its) (?:view|account|reading|analysis|words|judgement)"
        r"|is said to|are said to|was said to)\b",
        re.I,
    ),
}
ATTRIBUTED = {
    "ja": re.compile(
        r"によれば|によると|の見方|の見立て|の考え|の分析|の説明|の話|の報道|の判断|の評価|の議論|の記述|の見通し|に対し"
        r"|彼|同氏|同紙|同誌|記事|論考|報道|報じ|伝え|述べ|語|論じ|指摘|説明|主張|強調|評価|判断|分析|推論|紹介|引用|引く|引い|触れ"
        r"|振り返|挙げ|数え|位置づけ|みなし|扱|書|記し|記して|呼|見る|見た|見て|みる|みた|みて|予想し|予想す|見込|考え|疑問視|想定"
        r"|とする|とし|として|とした|という|とされ|とみられ"
    ),
    "en": re.compile(
        r"\b(?:according|view|views|account|reading|said|says|say|told|tells|argu\w*|remark\w*|recall\w*|not(?:e|es|ed|ing)"
        r"|write|writes|wrote|written|report\w*|add|adds|added|judge[sd]?|judg\w*|see|sees|saw|seen|call|calls|called"
        r"|describ\w*|puts?|treat\w*|reason\w*|explain\w*|warn\w*|stress\w*|conclud\w*|gives?|gave|list\w*|cit\w*"
        r"|counts?|counted|point\w*|expect\w*|believ\w*|think\w*|thought|assess\w*|estimat\w*"
        r"|identif\w*|present\w*|credit\w*|question\w*|quot\w*|saying|disput\\w*|article|paper|daily)\b",
        re.I,
    ),
}

MARKERS = re.compile(r"(?:\[\^[^\[\]\s]+\])+")
LABEL = re.compile(r"\[\^([^\[\]\s]+)\]")
QUOTE = {"ja": re.compile(r"「[^「」]*」"), "en": re.compile(r"“[^“”]*”")}
NOISE = re.compile(r"<[^<>]+>|\]\([^)\]]*\)|\{[#.:][^{}]*\}|`[^`]*`")  # linear (see inputs/citations.py)
ITEM_START = re.compile(r"^\s*(?:[-*+]|\d+\.|\|)\s")


@dataclass(frozen=True)
class Unit:
    """The text of one claim, the line of the marker that ends it, and the labels of that marker run."""

    section: int  # the page's sections are numbered alike in both languages (the parity check sees to it)
    item: int  # the paragraph, list item, table row or cell it belongs to
    labels: tuple[str, ...]
    line: int
    text: str


def units(cited: PageCitations) -> list[Unit]:
    """Every claim unit of a page: paragraph, list item and table cell text cut at its note markers."""
    found: list[Unit] = []
    pending: list[str] = []  # the current item's text since its last marker
    in_fence, section, item = False, 0, 0
    for offset, line in enumerate(cited.page.body.split("\n")):
        number = cited.page.body_line + offset
        heading = not in_fence and HEADING.match(line)
        section += bool(heading)
        if FENCE.match(line):
            in_fence = not in_fence
        starts_item = ITEM_START.match(line) or line.lstrip().startswith("|")
        if in_fence or FENCE.match(line) or heading or not line.strip() or line.startswith("[^") or starts_item:
            pending.clear()  # the item ends here
            item += 1
            if in_fence or FENCE.match(line) or heading or not line.strip() or line.startswith("[^"):
                continue
        cells = line.split("|") if line.lstrip().startswith("|") else [line]
        for cell in cells:
            position = 0
            for match in MARKERS.finditer(cell):
                pending.append(cell[position : match.start()])
                labels = tuple(LABEL.findall(match.group(0)))
                found.append(Unit(section, item, labels, number, " ".join(pending)))
                pending.clear()
                position = match.end()
            pending.append(cell[position:])
            if len(cells) > 1:  # a table cell is an item of its own
                pending.clear()
                item += 1
    return found


def _plain(text: str, lang: str) -> str:
    return NOISE.sub(" ", text)


def hedges(text: str, lang: str) -> set[str]:
    """The hedge classes a unit's text holds; a phrase counts once, in the first class that holds it
    (「可能性は低い」 is *likely*, "unlikely", not also *possible*)."""
    plain = _plain(text, lang)
    found = set()
    for name, patterns in HEDGES.items():
        if patterns[lang].search(plain):
            found.add(name)
            plain = patterns[lang].sub(" ", plain)
    return found


def attribution(text: str, lang: str) -> str | None:
    """'explicit', 'attributed' or None: how a unit says whose statement or view it gives."""
    plain = _plain(text, lang)
    if EXPLICIT[lang].search(plain):
        return "explicit"
    return "attributed" if ATTRIBUTED[lang].search(plain) else None


@dataclass(frozen=True)
class Named:
    """A person, organisation or outlet, with the forms each language writes it in."""

    name: str  # as the English reader knows it
    forms: dict[str, tuple[str, ...]]


def named_parties(terms: list[Entry], sources: dict[str, Source]) -> list[Named]:
    """The people and organisations of the glossary, and the registry's authors and outlets.

    Each is known by its name in each language, its abbreviation (in both languages), its short
    names (`short:` in the glossary) and, in English, its name without a leading "The".
    """
    parties: dict[str, Named] = {}
    taken: set[str] = set()  # a Japanese form names one party: the glossary's, then the registry's

    def add(name: str, ja: tuple[str, ...], en: tuple[str, ...]) -> None:
        en = tuple(dict.fromkeys((*en, *(form.removeprefix("The ") for form in en if form.startswith("The ")))))
        parties[name] = Named(name, {"ja": tuple(dict.fromkeys(ja)), "en": en})
        taken.update(ja)

    for entry in terms:
        if entry.kind in ("person", "organisation"):
            abbr = (entry.abbr,) if entry.abbr else ()
            ja = (entry.name["ja"], *abbr, *entry.short.get("ja", ()))
            add(entry.name["en"], ja, (entry.name["en"], *abbr, *entry.short.get("en", ())))
    for source in sources.values():
        for name, field in (("author", source.author), ("outlet", source.outlet)):
            if not field or not field.get("en") or not field.get("ja") or source.is_inferred(name):
                continue  # an inferred outlet is a description, not a name
            ja, en = (PARENTHESIS.sub("", field[lang]).strip() for lang in ("ja", "en"))
            if ja not in taken and en not in parties:
                add(en, (ja,), (en,))
    return list(parties.values())


PARENTHESIS = re.compile(r"(?<!\s)\s*[（(][^（(）)]*[）)]")
KANJI = "一-龯々〆"


def _form_pattern(form: str, lang: str) -> re.Pattern:
    """A name as a whole word: not part of a longer word of the same script."""
    if lang == "en":
        return re.compile(rf"(?<![\w-]){re.escape(form)}(?![\w-])")
    if re.fullmatch(r"[ァ-ヺー・]+", form):  # 「ド」 in 「ドは」, not in 「ドローン」
        return re.compile(rf"(?<![ァ-ヺー・]){re.escape(form)}(?![ァ-ヺー])")
    if len(form) <= 2 and re.fullmatch(rf"[{KANJI}]+", form):  # 「徐」 in 「徐は」, not in 「徐々に」 or 「文章」
        after = rf"(?![{KANJI}])" if len(form) == 1 else ""
        return re.compile(rf"(?<![{KANJI}]){re.escape(form)}{after}")
    return re.compile(re.escape(form))


def parties_in(text: str, lang: str, parties: list[Named], patterns: dict) -> dict[str, int]:
    """The parties a unit names, each with the position it is first named at.

    Longer names are found first and masked, so that "Kim" is not found again in "Kim Jong Il".
    """
    plain = _plain(text, lang)
    if (lang, id(parties)) not in patterns:
        forms = sorted(((f, p.name) for p in parties for f in p.forms[lang]), key=lambda fp: -len(fp[0]))
        patterns[lang, id(parties)] = [(form, _form_pattern(form, lang), name) for form, name in forms]
    found: dict[str, int] = {}
    for form, pattern, name in patterns[lang, id(parties)]:
        if form not in plain:  # most names are not in a given unit: skip the pattern
            continue
        for match in pattern.finditer(plain):
            found[name] = min(found.get(name, match.start()), match.start())
        plain = pattern.sub(lambda m: " " * len(m.group(0)), plain)
    return found


# A pronoun in a unit that names no one stands for whoever its paragraph named first: "Kelly argues
# that … . For Pyongyang, he concludes, …".
PRONOUN = {
    "ja": re.compile(r"彼(?:は|の|に|が)|同氏|同紙|同誌|同記事|この記事|(?:^|[。、\sで])記事は"),
    "en": re.compile(
        r"\b(?:[Hh]e|[Ss]he)\b|\b(?:in|by) (?:his|her|its) (?:view|account|words|reading)|according to (?:him|her)\b"
        r"|\b[Tt]he (?:same )?(?:article|paper|newspaper|magazine|essay)\b|\b(?:[Hh]is|[Hh]er|[Ii]ts) (?:article|essay)\b"
    ),
}


def _named_with_pronouns(units: dict[tuple, Unit], lang: str, parties: list[Named], patterns: dict) -> dict[tuple, set]:
    """The parties each unit names; a unit that names none but has a pronoun names those its paragraph named first."""
    result: dict[tuple, set] = {}
    first: dict[int, set] = {}  # per paragraph, the parties of its first unit that names any
    for key, unit in sorted(units.items(), key=lambda kv: (kv[1].item, kv[1].line)):
        named = set(parties_in(unit.text, lang, parties, patterns))
        if named:
            first.setdefault(unit.item, named)
        elif unit.item in first and PRONOUN[lang].search(_plain(unit.text, lang)):
            named = set(first[unit.item])
        result[key] = named
    return result


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(ITEM_START.sub("", NOISE.sub("", text), count=1).split()).strip(" 、。,;:")
    return text if len(text) <= limit else "…" + text[-(limit - 1) :]


HEDGE_WORDS = {
    "likely": ("「可能性が高い」「公算が大きい」", '"likely", "probably"'),
    "possible": ("「可能性がある」「かもしれない」「かねない」", '"may", "might", "could", "possibly"'),
    "reported": (
        "「とみられる」「推定」「見通し」「予想」「とされる」",
        '"thought", "estimated", "expected", "reportedly"',
    ),
    "attempt": ("「～しようとしている」「試み」", '"tries to", "seeks to", "attempts"'),
}


def compare(ja: PageCitations, en: PageCitations, parties: list[Named]) -> list[Problem]:
    """Every claim unit whose certainty or attribution differs between the languages, at the stronger side."""
    files = {"ja": ja.page.path.as_posix(), "en": en.page.path.as_posix()}
    paired: dict[str, dict[tuple, Unit]] = {"ja": {}, "en": {}}
    for lang, cited in (("ja", ja), ("en", en)):
        seen: Counter[tuple] = Counter()
        for unit in units(cited):
            seen[unit.section, unit.labels] += 1
            paired[lang][(unit.section, unit.labels, seen[unit.section, unit.labels])] = unit
    problems: list[Problem] = []
    patterns: dict = {}
    named = {lang: _named_with_pronouns(paired[lang], lang, parties, patterns) for lang in ("ja", "en")}
    for key in sorted(paired["ja"].keys() & paired["en"].keys(), key=lambda k: paired["ja"][k].line):
        units_of = {"ja": paired["ja"][key], "en": paired["en"][key]}
        quotes = {"ja": f"「{_quote(units_of['ja'].text)}」", "en": f'"{_quote(units_of["en"].text)}"'}

        def problem(side: str, message: str, fix: str, units_of=units_of, quotes=quotes) -> None:
            other = "en" if side == "ja" else "ja"
            problems.append(
                Problem(
                    files[side],
                    units_of[side].line,
                    f"{quotes[side]} {message} than {files[other]}:{units_of[other].line} {quotes[other]}",
                    fix,
                )
            )

        found = {lang: hedges(units_of[lang].text, lang) for lang in ("ja", "en")}
        if found["ja"] != found["en"]:
            side = "en" if found["ja"] - found["en"] else "ja"
            other = "ja" if side == "en" else "en"
            missing = sorted(found[other] - found[side])
            words = " or ".join(HEDGE_WORDS[name][0 if side == "ja" else 1] for name in missing)
            problem(
                side,
                f"is stated more firmly ({', '.join(missing)} hedge missing)",
                f"keep the source's hedge in both languages: write {words} here, or drop the hedge in the other language if the source has none",
            )
            continue
        names = {lang: named[lang][key] for lang in ("ja", "en")}
        if names["ja"] != names["en"]:
            side = "en" if names["ja"] - names["en"] else "ja"
            other = "ja" if side == "en" else "en"
            missing = sorted(names[other] - names[side])
            problem(
                side,
                f"does not name {', '.join(missing)}, so it says less about whose view it is",
                f"name {', '.join(missing)} here as the other language does (the glossary has each name in both languages)",
            )
            continue
        said = {lang: attribution(units_of[lang].text, lang) for lang in ("ja", "en")}
        for side, other in (("en", "ja"), ("ja", "en")):
            if said[other] == "explicit" and said[side] is None:
                problem(
                    side,
                    "is written as the site's own statement, not attributed",
                    "say whose statement or view it is, as the other language does ("
                    + ("「…によれば」「…は…と述べた」" if side == "ja" else '"according to …", "… said"')
                    + ")",
                )
    return problems
