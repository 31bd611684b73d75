"""The same site built by Zensical (Material for MkDocs' successor): the HTML contract of its pages.

Zensical runs no MkDocs hooks or plugins, only the Markdown extensions listed in mkdocs.yml, so
these tests show that the project's rendering lives in its extensions (`rnk_briefings.mdx`): both
languages, every citation written out and linked to the source list, every data block rendered,
and the content of every page the same as in the MkDocs build.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest

from conftest import ROOT, BuiltSite
from htmltools import page_url, tags

SITE_URL = "https://example.org/rnk/"
MARKERS = (
    "<!-- timeline",
    "<!-- figures-table",
    "<!-- figures-chart",
    "<!-- glossary:",
    "<!-- source-list",
    "<!-- download",
)


def build_zensical(project: Path, site_dir: Path) -> subprocess.CompletedProcess:
    """`scripts/docs.py build-zensical` of a project folder (what `make build-zensical` runs)."""
    env = {**os.environ, "SITE_URL": SITE_URL}
    command = [sys.executable, "scripts/docs.py", "build-zensical", str(site_dir)]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory) -> BuiltSite:
    site_dir = tmp_path_factory.mktemp("zensical") / "site"
    result = build_zensical(ROOT, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(site_dir, SITE_URL)


def _rel(site: BuiltSite, path: Path) -> str:
    return path.relative_to(site.root).as_posix()


def _content(html: str, site_url: str) -> str:
    """The page's own content (from the date line to the end of the article), whitespace normalised.

    The two builds are published at different addresses; absolute links to the site are made alike.
    """
    article = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert article, "no article"
    text = article.group(1)
    start = text.find('<p class="page-meta">')
    assert start >= 0, "no date line"
    # Zensical drops Material's search-exclusion attribute (its search has its own rules).
    text = re.sub(r' data-search-exclude(="")?', "", text[start:])
    return re.sub(r"\s+", " ", text.replace(site_url, "SITE_URL/")).replace("> <", "><")


def test_both_languages_at_the_root_and_under_en_with_the_right_lang(zensical_site, site):
    pages = {_rel(zensical_site, p) for p in zensical_site.pages()}
    assert pages == {_rel(site, p) for p in site.pages()}
    assert {"index.html", "en/index.html", "sources/index.html", "en/sources/index.html"} <= pages
    for rel in pages:
        lang = "en" if rel.startswith("en/") else "ja"
        assert f'<html lang="{lang}"' in zensical_site.html(rel), rel


def test_every_footnote_is_a_full_citation_linking_to_an_entry_of_the_source_list(zensical_site):
    anchors = {
        lang: {a["id"] for a in tags(zensical_site.html(f"{prefix}sources/index.html"), "h3") if "id" in a}
        for lang, prefix in (("ja", ""), ("en", "en/"))
    }
    notes = 0
    for path in zensical_site.pages():
        rel = _rel(zensical_site, path)
        html = zensical_site.html(rel)
        lang, prefix = ("en", "en/") if rel.startswith("en/") else ("ja", "")
        own = page_url(SITE_URL, rel)
        for note in re.findall(r'<li id="fn:[^"]+">(.*?)</li>', html, re.S):
            notes += 1
            first = tags(note, "a")[0]["href"]
            target, anchor = urldefrag(urljoin(own, first))
            assert target == SITE_URL + prefix + "sources/", (rel, first)
            assert anchor in anchors[lang], (rel, anchor)
            assert "@" not in re.sub(r"<[^>]+>", "", note).split("http")[0], (rel, note)
    assert notes > 100


def test_every_data_block_is_rendered_and_no_marker_or_literal_citation_is_left(zensical_site):
    for path in zensical_site.pages():
        rel = _rel(zensical_site, path)
        html = zensical_site.html(rel)
        for marker in MARKERS:
            assert marker not in html, (rel, marker)
        assert "[[fig:" not in html, rel
        assert not re.search(r"\]: @[a-z0-9-]+", html), rel
    for prefix in ("", "en/"):
        assert 'class="figure-chart"' in zensical_site.html(f"{prefix}figures/index.html")
        assert "<table>" in zensical_site.html(f"{prefix}figures/index.html")
        assert 'class="timeline' in zensical_site.html(f"{prefix}timeline/index.html")
        for listing in ("glossary", "people"):  # each entry has an anchor and at least one citation
            html = zensical_site.html(f"{prefix}{listing}/index.html")
            entries = re.findall(r'<span id="(gl-[^"]+)"></span>', html)
            assert len(entries) >= 5, listing
            assert len(re.findall(r'class="footnote-ref"', html)) >= len(entries), listing
        assert 'id="src-salmon-2025"' in zensical_site.html(f"{prefix}sources/index.html")
        assert 'class="page-meta"' in zensical_site.html(f"{prefix}briefings/motives/index.html")


def test_every_page_has_the_same_content_as_the_mkdocs_build(zensical_site, site):
    for path in site.pages():
        rel = _rel(site, path)
        if rel.endswith("download/index.html"):
            continue  # lists the offline bundle, which only the MkDocs build publishes (see the README)
        assert _content(zensical_site.html(rel), SITE_URL) == _content(site.html(rel), site.site_url), rel


def test_glossary_terms_and_footnotes_are_named_in_the_page_language(zensical_site):
    html = zensical_site.html("en/briefings/motives/index.html")
    assert 'aria-label="Footnote 1"' in html
    assert "<abbr title=" in html
    assert 'aria-label="脚注1"' in zensical_site.html("briefings/motives/index.html")


def test_a_broken_citation_fails_the_zensical_build_with_file_and_line(project, tmp_path):
    page = project / "docs/ja/briefings/china.md"
    text = page.read_text(encoding="utf-8")
    assert "@salmon-2025," in text
    page.write_text(text.replace("@salmon-2025,", "@salmon-2052,", 1), encoding="utf-8")
    result = build_zensical(project, tmp_path / "site")
    assert result.returncode != 0
    assert "docs/ja/briefings/china.md:" in result.stderr
    assert "unknown source key '@salmon-2052'" in result.stderr
    assert not (tmp_path / "site").exists()


def test_the_extensions_stop_zensical_even_without_the_check_step(project, tmp_path):
    """Run zensical-i18n directly (no `docs.py check` first): the extensions themselves refuse a broken site."""
    page = project / "docs/en/briefings/china.md"
    page.write_text(page.read_text(encoding="utf-8").replace("@salmon-2025,", "@salmon-2052,", 1), encoding="utf-8")
    zensical_i18n = Path(sys.executable).with_name("zensical-i18n")
    result = subprocess.run(
        [str(zensical_i18n), "build", "-f", "mkdocs.yml"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "docs/en/briefings/china.md:" in result.stdout + result.stderr
