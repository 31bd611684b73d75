"""The key figures and the timeline as downloads (CSV with a BOM, JSON), read back and compared with data/."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urljoin

import pytest
import yaml

from conftest import ROOT
from htmltools import page_url, tags
from test_offline import offline_work, unzipped  # noqa: F401 (the offline bundle's fixtures)

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the data files need libyaml
DATA = {
    name: yaml.load((ROOT / f"data/{name}.yml").read_text(encoding="utf-8"), LOADER) for name in ("figures", "timeline")
}
SOURCES = {s["key"]: s for s in yaml.load((ROOT / "data/sources.yml").read_text(encoding="utf-8"), LOADER)}
FOLDER = {"ja": "downloads/", "en": "en/downloads/"}


def _csv(site, lang: str, name: str) -> list[dict]:
    raw = (site.root / FOLDER[lang] / f"{name}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a byte order mark, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _json(site, lang: str, name: str) -> dict:
    return json.loads((site.root / FOLDER[lang] / f"{name}.json").read_text(encoding="utf-8"))


def _date_inferred(key: str) -> bool:
    return "date" in (SOURCES[key].get("inferred") or [])


def _locator(figure: dict, lang: str, row_locator: str) -> None:
    if not figure.get("locator"):
        assert not row_locator
    elif lang == "ja" or figure["locator"].isascii():
        assert figure["locator"] in row_locator or row_locator in ("冒頭", "opening paragraphs")
    else:
        assert row_locator  # written in the English notation of the same section


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_figures_download_matches_the_ledger(site, lang):
    rows, document = _csv(site, lang, "figures"), _json(site, lang, "figures")
    figures = DATA["figures"]
    assert [r["id"] for r in rows] == [f["id"] for f in figures] == [r["id"] for r in document["figures"]]
    assert document["language"] == lang
    for figure, row, record in zip(figures, rows, document["figures"], strict=True):
        value = figure["value"] if isinstance(figure["value"], list) else [figure["value"], None]
        assert [record["low"], record["high"]] == value
        assert row["low"] == str(value[0]) and row["high"] == ("" if value[1] is None else str(value[1]))
        assert row["label"] == record["label"] == figure["label"][lang]
        assert row["refers_to"] == record["refers_to"] == str(figure["refers_to"])
        assert row["reported"] == record["reported"] == str(figure["reported"])
        assert row["unit"] == figure["unit"] and row["qualifier"] == (figure.get("qualifier") or "")
        assert row["source_key"] == record["source"]["key"] == figure["source"]
        source = SOURCES[figure["source"]]
        assert source["title"] in record["source"]["citation"] or lang == "en"
        assert row["source_citation"] == record["source"]["citation"]
        assert (row["reported_inferred"] == "true") == record["reported_inferred"] == _date_inferred(figure["source"])
        assert row["refers_to_inferred"] in ("true", "false")
        if figure.get("dated_from"):
            assert record["refers_to_inferred"] == _date_inferred(figure["dated_from"])
        _locator(figure, lang, row["source_locator"])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_timeline_download_matches_the_timeline(site, lang):
    rows, document = _csv(site, lang, "timeline"), _json(site, lang, "timeline")
    events = sorted(DATA["timeline"], key=lambda e: str(e["date"]))  # the loader sorts by date, stably
    assert len(rows) == len(events) == len(document["timeline"])
    by_text = {e[lang]: e for e in events}
    for row, record in zip(rows, document["timeline"], strict=True):
        event = by_text[row["text"]]
        assert record["text"] == row["text"]
        assert row["date"] == record["date"] == str(event["date"])
        assert row["end"] == ("" if event.get("end") is None else str(event["end"]))
        assert row["source_keys"].split("\n") == [s["key"] for s in record["sources"]] == event["sources"]
        assert len(row["source_citations"].split("\n")) == len(event["sources"])
        assert row["date_inferred"] in ("true", "false")
        if event.get("dated_from"):
            assert record["date_inferred"] == _date_inferred(event["dated_from"])
        elif event["kind"] == "event":
            assert record["date_inferred"] is False
        for source in record["sources"]:
            assert (source["locator"] is not None) == (source["key"] in (event.get("locators") or {}))


def test_figures_and_timeline_pages_link_to_their_downloads(site):
    for lang in ("ja", "en"):
        for name in ("figures", "timeline"):
            rel = ("" if lang == "ja" else "en/") + f"{name}/index.html"
            links = [a["href"] for a in tags(site.html(rel), "a") if a["href"].endswith(("csv", "json"))]
            targets = {urljoin(page_url(site.site_url, rel), href) for href in links}
            assert targets == {f"{site.site_url}{FOLDER[lang]}{name}.{ext}" for ext in ("csv", "json")}, rel


@pytest.mark.browser
def test_the_offline_bundle_has_the_downloads_and_links_them(unzipped):  # noqa: F811
    for lang in ("ja", "en"):
        for name in ("figures", "timeline"):
            page = unzipped / ("" if lang == "ja" else "en/") / f"{name}.html"
            hrefs = [a["href"] for a in tags(page.read_text(encoding="utf-8"), "a")]
            for ext in ("csv", "json"):
                target = (unzipped / FOLDER[lang] / f"{name}.{ext}").resolve()
                assert target.is_file()
                assert target in {(page.parent / h).resolve() for h in hrefs}
