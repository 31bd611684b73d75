"""Japanese–English parity: notation normalisation (table-driven and property-based) and drift fixtures."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import assert_build_fails, line_of, replace_once
from rnk_briefings.checks.parity import values
from rnk_briefings.inputs.notation import (
    format_date,
    format_number,
    parse_en_number,
    parse_ja_number,
    parse_partial_date,
)

# Each row: Japanese text, English text that must count as saying the same numbers and dates.
SAME = [
    ("1万1000人", "11,000 troops"),
    ("1万1千人", "11,000 troops"),
    ("60万人", "600,000 soldiers"),
    ("約3000人", "about 3,000"),
    ("60万人以上", "more than 600,000"),
    ("100万発", "1 million shells"),
    ("100万発", "1,000,000 shells"),
    ("1万1000～1万3000人", "11,000–13,000"),
    ("1万1000〜1万3000人", "11,000-13,000"),
    ("2008～2014年", "2008–2014"),
    ("5%近く", "nearly 5%"),
    ("2024年6月19日", "19 June 2024"),
    ("2023年9月", "September 2023"),
    ("2017年", "in 2017"),
    ("5月9日", "9 May"),
    ("2025年3月10日から20日まで", "from 10 to 20 March 2025"),
    ("2025年3月10日～20日", "10–20 March 2025"),
    ("今年6月", "this June"),
    ("5月に", "in May"),
    ("MiG-27", "MiG-27"),
    ("第3世代", "3rd-generation"),
    ('<span data-parity="skip">第3世代</span>の戦闘機', "third-generation fighters"),
    ("本文[^wt-2024]。", "Text.[^wt-2024]"),
    ("[年表](../timeline.md#2024年)", "[timeline](../timeline.md#2024)"),
]

DIFFERENT = [
    ("1万1000人", "12,000 troops"),
    ("1万1000～1万3000人", "11,000 to 13,000"),  # a range must stay a range
    ("1万1000～1万3000人", "12,000"),  # and must not be averaged
    ("2024年6月19日", "19 June 2023"),
    ("2024年6月19日", "June 2024"),  # precision is part of the date
    ("60万人", "60,000"),
    ("3000人", "300 troops"),
]


@pytest.mark.parametrize(("ja", "en"), SAME)
def test_the_same_statement_in_both_notations_compares_equal(ja, en):
    assert values(ja, "ja") == values(en, "en")


@pytest.mark.parametrize(("ja", "en"), DIFFERENT)
def test_a_different_number_or_date_is_noticed(ja, en):
    assert values(ja, "ja") != values(en, "en")


def test_may_the_verb_is_not_a_date():
    assert values("Pyongyang May see gains.", "en") == values("平壌は利益を得るかもしれない。", "ja")


integers = st.integers(min_value=0, max_value=10**12)


@given(integers)
def test_japanese_numbers_read_back_to_their_value(n):
    assert parse_ja_number(format_number(n, "ja")) == n


@given(integers)
def test_english_numbers_read_back_to_their_value(n):
    assert parse_en_number(format_number(n, "en")) == n


@given(integers)
def test_a_number_written_in_each_language_compares_equal(n):
    assert values(format_number(n, "ja") + "人", "ja") == values(format_number(n, "en") + " people", "en")


@given(integers, integers)
def test_a_range_written_in_each_language_compares_equal(a, b):
    low, high = sorted((a, b))
    ja = f"{format_number(low, 'ja')}～{format_number(high, 'ja')}人"
    en = f"{format_number(low, 'en')}–{format_number(high, 'en')} people"
    assert values(ja, "ja") == values(en, "en")


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


@given(dates, st.sampled_from(["year", "month", "day"]))
def test_a_date_written_in_each_language_compares_equal_and_reads_back(date, precision):
    iso = {"year": f"{date:%Y}", "month": f"{date:%Y-%m}", "day": date.isoformat()}[precision]
    partial = parse_partial_date(iso)
    assert partial.iso() == iso
    assert values(format_date(partial, "ja"), "ja") == values(format_date(partial, "en"), "en")


@given(dates, dates)
def test_different_days_compare_different(a, b):
    if a != b:
        ja = format_date(parse_partial_date(a.isoformat()), "ja")
        en = format_date(parse_partial_date(b.isoformat()), "en")
        assert values(ja, "ja") != values(en, "en")


# Drift fixtures: each breaks one page of a copy of the project in one language only.


DRIFT = {
    "a number changed": (
        lambda p: replace_once(p / "docs/en/briefings/deployments.md", "11,000–13,000", "11,000–14,000"),
        lambda p: [
            f"docs/ja/briefings/deployments.md:{line_of(p / 'docs/ja/briefings/deployments.md', '1万1000～1万3000')}:",
            "states 11000–13000 where docs/en/briefings/deployments.md:"
            f"{line_of(p / 'docs/en/briefings/deployments.md', '11,000–14,000')}",
            "states 11000–14000",
            "fix: give both sentences the same numbers and dates",
        ],
    ),
    "a date changed": (
        lambda p: replace_once(p / "docs/ja/briefings/exchanges.md", "2025年3月14日", "2025年3月13日"),
        lambda p: [
            f"docs/ja/briefings/exchanges.md:{line_of(p / 'docs/ja/briefings/exchanges.md', '2025年3月13日')}:",
            "states 2025-03-13 where",
            "states 2025-03-14",
        ],
    ),
    "a number added to a Japanese sentence": (
        lambda p: replace_once(
            p / "docs/ja/briefings/deployments.md", "1万1000～1万3000", "1万1000～1万3000（うち500人は工兵）"
        ),
        lambda p: [
            f"docs/ja/briefings/deployments.md:{line_of(p / 'docs/ja/briefings/deployments.md', 'うち500人は工兵')}:",
            "states 500, which the same section of docs/en/briefings/deployments.md does not",
            "fix: state the same in section",
        ],
    ),
    "a section added in one language": (
        lambda p: replace_once(
            p / "docs/en/briefings/motives.md", "## Key points", "## Preface\n\nText.\n\n## Key points"
        ),
        lambda p: [
            f"docs/en/briefings/motives.md:{line_of(p / 'docs/en/briefings/motives.md', '## Preface')}:",
            'heading "Preface" (##) has no counterpart in docs/ja/briefings/motives.md',
            "fix: add the same heading to docs/ja/briefings/motives.md at the top, or remove it here",
        ],
    ),
    "a heading demoted": (
        lambda p: replace_once(p / "docs/ja/briefings/outlook.md", "\n## ", "\n### "),
        lambda p: ["docs/en/briefings/outlook.md:", "does not match", "(###)"],
    ),
    "a citation swapped in one section": (
        lambda p: replace_once(
            p / "docs/en/figures.md",
            "## How to read the table\n",
            "## How to read the table\n\nSee the essay.[^extra]\n\n[^extra]: @kelly-2025\n",
        ),
        lambda p: ["docs/en/figures.md:", "citations differ in section", "'kelly-2025'"],
    ),
    "a front-matter field in one language only": (
        lambda p: replace_once(p / "docs/ja/glossary.md", "reviewed:", "author: 編集部\nreviewed:"),
        lambda p: ["docs/en/glossary.md:1:", "front matter fields differ", "author"],
    ),
}


@pytest.mark.parametrize("case", DRIFT)
def test_drift_between_languages_fails_the_build(case, project, tmp_path):
    drift, expected = DRIFT[case]
    drift(project)
    assert_build_fails(project, tmp_path / "out", expected(project), case)
