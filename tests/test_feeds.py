"""The Atom feeds, read by a real feed parser: one entry per revision, stable ids, dates, links, language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
import yaml

from conftest import ROOT
from htmltools import page_url, tags
from reader import Watch
from test_offline import OFFLINE, offline_work, unzipped  # noqa: F401 (the offline bundle's fixtures)

FEEDS = {"ja": "feed.xml", "en": "en/feed.xml"}


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def _written(lang: str) -> list[tuple[str, dict]]:
    """(page, revision) of every revision written in the front matter of a language's pages."""
    folder = ROOT / "docs" / lang
    return [
        (path.relative_to(folder).as_posix(), revision)
        for path in sorted(folder.rglob("*.md"))
        for revision in _front_matter(path)["revisions"]
    ]


def _file_of(site, url: str) -> Path:
    """The built file a URL of the site names."""
    rel = url.removeprefix(site.site_url)
    assert rel != url, f"{url} is not on the site"
    return site.root / (rel + "index.html" if rel.endswith("/") or not rel else rel)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_feed_has_one_entry_per_revision_with_stable_ids_dates_links_and_language(site, lang):
    feed = feedparser.parse((site.root / FEEDS[lang]).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.language == lang
    assert feed.feed.id == site.site_url + FEEDS[lang]
    written = _written(lang)
    assert len(feed.entries) == len(written)
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids), "ids are unique"
    assert all(re.fullmatch(r"tag:127\.0\.0\.1,\d{4}-\d{2}-\d{2}:/rnk/\S*", i) for i in ids), ids[:3]
    dates = [dt.date(*entry.updated_parsed[:3]) for entry in feed.entries]
    assert dates == sorted(dates, reverse=True), "newest first"
    expected = {(page_url(site.site_url, _built(lang, rel)), str(r["date"]), r["summary"]) for rel, r in written}
    found = set()
    for entry, day in zip(feed.entries, dates, strict=True):
        link, anchor = urldefrag(entry.link)
        assert entry.get("language", lang) == lang
        assert _file_of(site, link).is_file(), entry.link
        if anchor:
            assert f'id="{anchor}"' in _file_of(site, link).read_text(encoding="utf-8"), entry.link
        assert day.isoformat() in entry.id and urlsplit(link).path in entry.id
        summary = entry.summary.removeprefix("訂正：").removeprefix("Correction: ")
        found.add((link, day.isoformat(), re.sub(r"（[^）]*）$| \([^)]*\)$", "", summary)))
    assert found == expected


def _built(lang: str, rel: str) -> str:
    stem = rel.removesuffix(".md")
    return ("" if lang == "ja" else "en/") + ("" if stem == "index" else stem + "/")


def test_every_page_announces_its_languages_feed_in_head_and_footer(site):
    for path in site.pages():
        rel = path.relative_to(site.root).as_posix()
        lang = "en" if rel.startswith("en/") else "ja"
        html = path.read_text(encoding="utf-8")
        head = html.split("</head>", 1)[0]
        announced = tags(head, "link", rel="alternate", type="application/atom+xml")
        assert len(announced) == 1, rel
        assert urljoin(page_url(site.site_url, rel), announced[0]["href"]) == site.site_url + FEEDS[lang], rel
        footer = html.split('<footer class="md-footer">', 1)[1]
        linked = [a for a in tags(footer, "a") if a.get("type") == "application/atom+xml"]
        assert [urljoin(page_url(site.site_url, rel), a["href"]) for a in linked] == [site.site_url + FEEDS[lang]], rel


def test_whats_new_lists_the_same_changes_newest_first(site):
    for lang in ("ja", "en"):
        rel = ("" if lang == "ja" else "en/") + "whats-new/index.html"
        html = site.html(rel).split('<h2 id="revisions">', 1)[0]  # the list, not the page's own history
        assert html.count("<li><time datetime=") == len(_written(lang))
        items = re.findall(r'<li><time datetime="([\d-]+)">[^<]*</time>[^<]*<a href="([^"]+)"', html)
        assert len(items) == len(_written(lang)) - 1, "every change but the page's own links to its page"
        dates = [d for d, _ in items]
        assert dates == sorted(dates, reverse=True)
        for _, href in items:
            target = urljoin(page_url(site.site_url, rel), href)
            assert _file_of(site, urldefrag(target)[0]).is_file(), href
        feed = [a["href"] for a in tags(html, "a") if a["href"].endswith("feed.xml")]
        assert urljoin(page_url(site.site_url, rel), feed[0]) == site.site_url + FEEDS[lang]


@pytest.mark.browser
def test_the_offline_bundles_feed_makes_no_network_request(unzipped, page):  # noqa: F811
    for lang, rel in FEEDS.items():
        assert not feedparser.parse((unzipped / rel).read_bytes()).bozo
        watch = Watch(page, OFFLINE)
        page.goto((unzipped / rel).as_uri())
        assert lang in page.content() and "feed" in page.content()
        watch.assert_clean()
        # The page's head link leads to it from file:// too.
        home = unzipped / ("index.html" if lang == "ja" else "en/index.html")
        href = tags(home.read_text(encoding="utf-8"), "link", type="application/atom+xml")[0]["href"]
        assert (home.parent / href).resolve() == (unzipped / rel).resolve()
