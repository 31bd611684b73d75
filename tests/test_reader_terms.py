"""Glossary tooltips land on the term they define: whole terms only, the longest term wins, and never a
term inside a longer name (one the glossary holds, or an English proper noun that goes on)."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from rnk_briefings.inputs.glossary import Entry, annotate_terms, load_glossary
from rnk_briefings.inputs.registry import load_registry


def entry(id_: str, ja: str, en: str, kind: str = "term", abbr: str | None = None) -> Entry:
    return Entry(id_, kind, {"ja": ja, "en": en}, {"ja": f"{id_}の説明", "en": f"about {id_}"}, ("x",), abbr)


def explained(html: str) -> list[tuple[str, str]]:
    """(text, the entry's note in the title) of every tooltip."""
    return [
        (text, title.split("：")[-1].split(": ")[-1])
        for title, text in re.findall(r'<abbr title="([^"]*)">([^<]*)</abbr>', html)
    ]


@pytest.fixture(scope="module")
def glossary() -> list[Entry]:
    sources, _ = load_registry(ROOT / "data" / "sources.yml")
    entries, problems = load_glossary(ROOT / "data" / "glossary.yml", set(sources))
    assert problems == []
    return entries


def test_the_south_is_not_explained_inside_south_korean_names(glossary):
    south = next(e for e in glossary if e.name["en"] == "the South")
    for text in (
        "<p>According to the South Korean daily, the figure rose.</p>",
        "<p>the South Korean government said so.</p>",
        "<p>the South Korea–US alliance held.</p>",
    ):
        assert not any(note == south.note["en"] for _, note in explained(annotate_terms(text, glossary, "en"))), text
    # The term itself, where it stands alone, is still explained, after a false start in the same text.
    out = annotate_terms("<p>the South Korean daily says the South played its part.</p>", glossary, "en")
    assert ("the South", south.note["en"]) in explained(out)
    assert "<abbr" not in out.split("daily")[0]


def test_english_terms_match_whole_words_only():
    terms = [entry("nato", "北大西洋条約機構", "NATO")]
    assert explained(annotate_terms("<p>NATOs and pre-NATO and NATO-like.</p>", terms, "en")) == []
    assert explained(annotate_terms("<p>Then NATO met.</p>", terms, "en")) == [("NATO", "about nato")]


@pytest.mark.parametrize("text", ["<p>CNN報道によれば</p>", "<p>（CNN）</p>", "<p>CNNは伝えた。</p>"])
def test_a_latin_name_next_to_japanese_text_is_explained_as_the_glossary_check_finds_it(text):
    from rnk_briefings.checks.glossary_use import _occurs

    terms = [entry("cnn", "CNN", "CNN", kind="organisation")]
    assert explained(annotate_terms(text, terms, "ja")) == [("CNN", "cnnの説明")]
    assert _occurs("CNN", text, "ja")


@pytest.mark.parametrize("text", ["<p>CNNs</p>", "<p>xCNN</p>", "<p>CNN_x</p>", "<p>Ä-CNN</p>", "<p>éCNN</p>"])
def test_a_latin_name_inside_a_longer_latin_word_is_not_explained_nor_counted(text):
    from rnk_briefings.checks.glossary_use import _occurs

    terms = [entry("cnn", "CNN", "CNN", kind="organisation")]
    assert explained(annotate_terms(text, terms, "en")) == []
    assert _occurs("CNN", text, "en") == (text == "<p>CNNs</p>")  # the check allows an English plural


def test_the_longest_term_wins_in_english_and_in_japanese():
    terms = [entry("nk", "北朝鮮", "North Korea"), entry("nk-army", "北朝鮮軍", "North Korea Army")]
    assert explained(annotate_terms("<p>北朝鮮軍が動いた。</p>", terms, "ja")) == [("北朝鮮軍", "nk-armyの説明")]
    assert explained(annotate_terms("<p>The North Korea Army moved.</p>", terms, "en")) == [
        ("North Korea Army", "about nk-army")
    ]
    # The shorter term is explained where it stands alone.
    out = explained(annotate_terms("<p>北朝鮮軍が動き、北朝鮮は黙った。</p>", terms, "ja"))
    assert out == [("北朝鮮軍", "nk-armyの説明"), ("北朝鮮", "nkの説明")]


def test_a_japanese_term_never_matches_inside_a_longer_name_of_the_glossary():
    # 南方 (a term) inside 南方軍管区 (a place the glossary lists but does not explain on hover).
    terms = [
        entry("south", "南方", "the South"),
        entry("district", "南方軍管区", "Southern Military District", "place"),
    ]
    assert explained(annotate_terms("<p>南方軍管区の部隊。</p>", terms, "ja")) == []
    assert explained(annotate_terms("<p>南方軍管区の部隊と南方の部隊。</p>", terms, "ja")) == [("南方", "southの説明")]


def test_an_english_term_never_matches_inside_a_longer_name_of_the_glossary(glossary):
    pyongyang = [
        entry("pyongyang", "平壌", "Pyongyang"),
        entry("airport", "平壌順安国際空港", "Pyongyang Sunan International Airport", "place"),
    ]
    assert explained(annotate_terms("<p>At Pyongyang Sunan International Airport.</p>", pyongyang, "en")) == []
