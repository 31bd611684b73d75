"""What the sources cover: the latest event they report, under every page's title, in the PDFs and the feeds.

The line is computed from the timeline (the latest entry of kind `event`), never written by hand;
a forecast whose date has passed says that the sources report no outcome.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from rnk_briefings.inputs.notation import parse_partial_date
from rnk_briefings.inputs.registry import load_registry
from rnk_briefings.inputs.timeline import Event, coverage_text, has_passed, load_timeline, render_timeline

SOURCES, _ = load_registry(ROOT / "data" / "sources.yml")
EVENTS, _ = load_timeline(ROOT / "data" / "timeline.yml", SOURCES)
LATEST = {"ja": "2025年4月4日", "en": "4 April 2025"}  # the timeline's latest event, as the data stands


def _event(date: str, kind: str = "event", end: str | None = None) -> Event:
    return Event(parse_partial_date(date), parse_partial_date(end) if end else None, kind, {"ja": "x", "en": "x"}, ())


def test_the_latest_event_is_computed_from_the_timeline():
    assert LATEST["en"] in coverage_text(EVENTS, "en") and LATEST["ja"] in coverage_text(EVENTS, "ja")
    later = [*EVENTS, _event("2025-06-01", "forecast"), _event("2025-05-20", "report"), _event("2025-04-30")]
    assert "30 April 2025" in coverage_text(later, "en"), "forecasts and reports are not events"
    assert "2025年4月30日" in coverage_text(later, "ja")
    assert "later events are not covered" in coverage_text(later, "en")


def test_a_forecast_has_passed_only_after_its_last_day():
    december = _event("2024-12", "forecast")
    assert not has_passed(december, dt.date(2024, 12, 31))
    assert has_passed(december, dt.date(2025, 1, 1))
    assert not has_passed(_event("2024-12"), dt.date(2026, 1, 1)), "an event is no forecast"
    text = render_timeline([december], "en", dt.date(2026, 12, 2))
    assert "the sources used here report no outcome" in text
    assert "report no outcome" not in render_timeline([december], "en", dt.date(2024, 12, 2))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_says_what_the_sources_cover(site, lang):
    in_language = {"ja": lambda rel: not rel.startswith("en/"), "en": lambda rel: rel.startswith("en/")}[lang]
    pages = [p for p in site.pages() if in_language(p.relative_to(site.root).as_posix())]
    dated = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        meta = re.search(r'<p class="page-meta">(.*?)</p>', html, re.S)
        if meta is None:  # pages without a date line: the home page, search
            continue
        dated += 1
        assert LATEST[lang] in meta.group(1), path
        for dataset in (s for s in SOURCES.values() if s.kind == "dataset"):  # a release date, not a report's
            assert dataset.display_date(lang) not in meta.group(1), path
        assert ("それ以降の出来事は扱っていない" if lang == "ja" else "later events are not covered") in meta.group(1)
    assert dated >= 12


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_feed_subtitle_says_what_the_sources_cover(site, lang):
    feed = ET.fromstring((site.root / ("" if lang == "ja" else "en/") / "feed.xml").read_bytes())
    subtitle = feed.find("{http://www.w3.org/2005/Atom}subtitle").text
    assert LATEST[lang] in subtitle


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_passed_forecasts_on_the_timeline_say_the_sources_report_no_outcome(site, lang):
    html = site.html(("" if lang == "ja" else "en/") + "timeline/index.html")
    forecasts = html.count("timeline__kind--forecast")
    assert forecasts >= 3
    note = "当サイトの出典はその結果を伝えていない" if lang == "ja" else "the sources used here report no outcome"
    assert html.count(note) == forecasts  # every forecast in the data is dated before this edition
