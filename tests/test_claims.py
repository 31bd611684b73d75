"""Claims as strong in English as in Japanese: hedges and attributions compared unit by unit (checks/claims.py).

Each lexicon class and each kind of attribution is tried in both directions on a small page pair;
the audit's four English findings are reintroduced into a copy of the real site; and the real
site reports nothing (the strict build of the `site` fixture fails on any message).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, line_of, replace_once
from rnk_briefings.checks import claims
from rnk_briefings.checks.site import check_site
from rnk_briefings.inputs.citations import parse_page
from rnk_briefings.inputs.glossary import load_glossary
from rnk_briefings.inputs.registry import load_registry
from rnk_briefings.inputs.site_model import read_page

SOURCES, _ = load_registry(ROOT / "data" / "sources.yml")
TERMS, _ = load_glossary(ROOT / "data" / "glossary.yml", set(SOURCES))
PARTIES = claims.named_parties(TERMS, SOURCES)

FRONT = "---\ntitle: T\ndescription: D\npublished: 2026-11-21\nreviewed: 2026-11-21\n---\n\n## {heading}\n\n"


def _pair(tmp_path: Path, ja: str, en: str):
    """A Japanese and an English page with one paragraph each, ending at the same note marker."""
    pages = {}
    for lang, text, heading in (("ja", ja, "見出し"), ("en", en, "Heading")):
        path = tmp_path / "docs" / lang / "page.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(FRONT.format(heading=heading) + text + "[^a]\n\n[^a]: @salmon-2025\n", encoding="utf-8")
        pages[lang] = parse_page(read_page(path), SOURCES, lang)
    return pages["ja"], pages["en"]


def _problems(tmp_path: Path, ja: str, en: str) -> list:
    return claims.compare(*_pair(tmp_path, ja, en), PARTIES)


# (what, Japanese with the hedge, English with the hedge, English without it, Japanese without it)
HEDGED = [
    (
        "likely",
        "停戦の議論に弾みがつく公算が大きい。",
        "talks are likely to gain momentum.",
        "talks will gain momentum.",
        "停戦の議論に弾みがつく。",
    ),
    (
        "likely",
        "北朝鮮軍が戦う可能性は低い。",
        "North Korean troops are unlikely to fight.",
        "North Korean troops will not fight.",
        "北朝鮮軍は戦わない。",
    ),
    (
        "possible",
        "ロシアの影響力を弱めかねない。",
        "it could reduce Russia's influence.",
        "it reduces Russia's influence.",
        "ロシアの影響力を弱める。",
    ),
    (
        "possible",
        "韓国に亡命する可能性がある。",
        "they may defect to South Korea.",
        "they will defect to South Korea.",
        "韓国に亡命する。",
    ),
    (
        "possible",
        "利害も急速に変わりうる。",
        "interests might change quickly.",
        "interests change quickly.",
        "利害も急速に変わる。",
    ),
    (
        "reported",
        "死傷者は5000人とみられる。",
        "casualties are thought to be 5,000.",
        "casualties are 5,000.",
        "死傷者は5000人である。",
    ),
    (
        "reported",
        "死傷者は5000人と推定されている。",
        "casualties are estimated at 5,000.",
        "casualties were 5,000.",
        "死傷者は5000人だった。",
    ),
    (
        "reported",
        "弾薬を容易に使えるとされる。",
        "it is said to use the ammunition readily.",
        "it uses the ammunition readily.",
        "弾薬を容易に使える。",
    ),
    (
        "attempt",
        "プーチンは兵員を動員せずに得ようとした。",
        "Putin tried to get soldiers without mobilising.",
        "Putin got soldiers without mobilising.",
        "プーチンは兵員を動員せずに得た。",
    ),
]


@pytest.mark.parametrize(
    ("kind", "ja", "en", "en_firm", "ja_firm"), HEDGED, ids=[f"{h[0]}-{i}" for i, h in enumerate(HEDGED)]
)
def test_a_hedge_in_one_language_only_is_reported_at_the_firmer_side(tmp_path, kind, ja, en, en_firm, ja_firm):
    assert _problems(tmp_path, ja, en) == [], "the same hedge in both languages is no mistake"
    dropped_in_english = _problems(tmp_path, ja, en_firm)
    assert len(dropped_in_english) == 1
    problem = dropped_in_english[0]
    assert problem.file.endswith("docs/en/page.md") and problem.line == 10
    assert f"({kind} hedge missing)" in problem.message and "docs/ja/page.md:10" in problem.message
    assert "keep the source's hedge" in problem.fix
    dropped_in_japanese = _problems(tmp_path, ja_firm, en)
    assert len(dropped_in_japanese) == 1
    assert dropped_in_japanese[0].file.endswith("docs/ja/page.md")
    assert f"({kind} hedge missing)" in dropped_in_japanese[0].message


def test_a_hedge_of_another_strength_is_reported():
    """「可能性が高い」 is "likely", not "may"."""
    found = claims.hedges("可能性が高い", "ja"), claims.hedges("it may happen", "en")
    assert found == ({"likely"}, {"possible"})


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("the best possible position", "en"),  # a superlative, not a hedge
        ("it could not find a country", "en"),  # past ability denied
        ("得るものは多い", "ja"),  # 得る "to gain", not the possibility suffix
        ("予想していた", "ja"),  # someone's forecast: an attribution, not a hedge of the site's
        ("in May 2024", "en"),
    ],
)
def test_words_that_look_like_hedges_but_are_not(text, lang):
    assert claims.hedges(text, lang) == set()


# Attribution: (kind, Japanese naming the party or the view's owner, English naming it, English without it, Japanese without it)
ATTRIBUTED = [
    (
        "person",
        "ベルムデスは、弾薬が足りないと述べた。",
        "Bermudez said munitions were short.",
        "Munitions were short.",
        "弾薬が足りない。",
    ),
    (
        "organisation",
        "国家情報院は、100万発が渡ったとした。",
        "The NIS said 1 million shells had gone.",
        "1 million shells had gone.",
        "100万発が渡った。",
    ),
    (
        "outlet",
        "ワシントン・タイムズは、部隊が損害を出したと伝えた。",
        "The Washington Times reported heavy casualties.",
        "The units took heavy casualties.",
        "部隊が損害を出した。",
    ),
    (
        "view",
        "彼によれば、プーチンは国々を率いたい。",
        "According to him, Putin wants to lead the countries.",
        "Putin wants to lead the countries.",
        "プーチンは国々を率いたい。",
    ),
]


@pytest.mark.parametrize(("kind", "ja", "en", "en_bare", "ja_bare"), ATTRIBUTED, ids=[a[0] for a in ATTRIBUTED])
def test_an_attribution_in_one_language_only_is_reported(tmp_path, kind, ja, en, en_bare, ja_bare):
    assert _problems(tmp_path, ja, en) == []
    for ja_text, en_text, side in ((ja, en_bare, "en"), (ja_bare, en, "ja")):
        found = _problems(tmp_path, ja_text, en_text)
        assert len(found) == 1, (kind, side, [str(p) for p in found])
        assert found[0].file.endswith(f"docs/{side}/page.md") and found[0].line == 10
        assert "whose view" in found[0].message or "not attributed" in found[0].message


def test_short_names_and_pronouns_are_not_confused_with_other_words():
    patterns: dict = {}
    assert set(claims.parties_in("ドは述べた", "ja", PARTIES, patterns)) == {"Do Jin-ho"}
    assert set(claims.parties_in("ドローンを渡した", "ja", PARTIES, patterns)) == set()
    assert set(claims.parties_in("徐々に増えた", "ja", PARTIES, patterns)) == set()
    assert set(claims.parties_in("Do said", "en", PARTIES, patterns)) == {"Do Jin-ho"}
    assert set(claims.parties_in("the Washington Times", "en", PARTIES, patterns)) == {"The Washington Times"}


MOTIVES = "docs/en/briefings/motives.md"
# The second audit's four English findings, as the pages read before they were fixed:
# (what the fixed English says, what it said, the message's words)
FINDINGS = {
    "a possibility stated as fact (「低下させる可能性がある」)": (
        "such help could anger the United States",
        "such help would anger the United States",
        "(possible hedge missing)",
    ),
    "likely turned into would (「弾みがつく可能性が高い」)": (
        "were likely to gain momentum",
        "would gain momentum",
        "(likely hedge missing)",
    ),
    "Bermudez's view written as the site's own (「彼によれば」)": (
        "In his view, Putin wants to lead",
        "Putin wants to lead",
        "not attributed",
    ),
    "an attempt written as done (「避けようとしている」)": (
        "Putin is trying to avoid mobilising Russia's middle class",
        "Putin has kept Russia's middle class out of the fighting",
        "(attempt hedge missing)",
    ),
}


@pytest.mark.parametrize("finding", FINDINGS)
def test_each_finding_of_the_audit_is_caught_when_reintroduced(project, finding):
    fixed, bad, words = FINDINGS[finding]
    replace_once(project / MOTIVES, fixed, bad)
    _, problems = check_site(project / "docs", project)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.file, problem.line) == (MOTIVES, line_of(project / MOTIVES, bad))
    assert words in problem.message and "docs/ja/briefings/motives.md:" in problem.message
    assert problem.fix


def test_the_real_site_has_no_claim_that_differs_in_strength():
    site, problems = check_site(ROOT / "docs", ROOT)
    ja, en = (site.pages[lang] for lang in ("ja", "en"))
    found = [p for rel in sorted(ja.keys() & en.keys()) for p in claims.compare(ja[rel], en[rel], PARTIES)]
    assert found == [], "\n".join(map(str, found))
