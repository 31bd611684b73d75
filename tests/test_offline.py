"""The offline bundle, unzipped into a folder of any name and opened from file:// with the network blocked."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile

import pytest

from conftest import ROOT, build
from reader import Watch, search, switch_language, tooltip_text
from rnk_briefings.inputs.editions import BUNDLE_NAME
from rnk_briefings.publications import html_policy, offline
from rnk_briefings.publications.offline import bundle
from test_csp import VIOLATIONS, policy, violations

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def offline_work(tmp_path_factory):
    return tmp_path_factory.mktemp("offline")


@pytest.fixture(scope="session")
def unzipped(offline_work):
    """Build the offline variant, pack it as the release does, and unzip it under another name."""
    work = offline_work
    assert (ROOT / "node_modules/iframe-worker/shim/index.js").is_file(), "run `npm ci` (make test does)"
    result = build(ROOT, work / "site", env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stderr
    archive, checksum = bundle(work / "site", work / "dist")
    assert re.fullmatch(rf"{BUNDLE_NAME}-\d{{4}}-\d{{2}}-\d{{2}}\.zip", archive.name)
    digest, name = checksum.read_text(encoding="utf-8").split()
    assert name == archive.name and digest == hashlib.sha256(archive.read_bytes()).hexdigest()
    target = work / "Briefings copy (USB)"
    with zipfile.ZipFile(archive) as zipped:
        top = {n.split("/")[0] for n in zipped.namelist()}
        assert top == {archive.stem}, "one top folder"
        zipped.extractall(work / "unzipped")
    (work / "unzipped" / archive.stem).rename(target)
    return target


OFFLINE = "file:|data:|blob:|about:"  # all an unzipped bundle may load: nothing from any network


def test_pages_render_in_both_languages_from_file(unzipped, page):
    watch = Watch(page, OFFLINE)
    for rel, title in [
        ("index.html", "露朝接近ブリーフィング"),
        ("en/index.html", "Russia"),
        ("briefings/motives.html", None),
        ("en/timeline.html", "Timeline"),
    ]:
        page.goto((unzipped / rel).as_uri())
        heading = page.inner_text("article h1")
        assert heading and (title is None or title in heading)
        assert page.get_attribute("html", "lang") == ("en" if rel.startswith("en/") else "ja")
    watch.assert_clean()


def test_switcher_works_from_file(unzipped, page):
    watch = Watch(page, OFFLINE)
    page.goto((unzipped / "briefings/china.html").as_uri())
    switch_language(page, "English")
    page.wait_for_url((unzipped / "en/briefings/china.html").as_uri())
    switch_language(page, "日本語")
    page.wait_for_url((unzipped / "briefings/china.html").as_uri())
    page.goto((unzipped / "en/index.html").as_uri())
    switch_language(page, "日本語")
    page.wait_for_url((unzipped / "index.html").as_uri())
    watch.assert_clean()


def test_search_works_from_file_in_both_languages(unzipped, page):
    watch = Watch(page, OFFLINE)
    page.goto((unzipped / "index.html").as_uri())
    japanese = search(page, "偵察衛星")
    assert any("/briefings/exchanges.html" in link for link in japanese)
    assert not any("/en/" in link for link in japanese), "results in the reader's language only"
    page.goto((unzipped / "en/index.html").as_uri())
    english = search(page, "satellite")
    assert any("/en/briefings/exchanges.html" in link for link in english)
    assert all("/en/" in link for link in english), "results in the reader's language only"
    watch.assert_clean()


def test_footnote_tooltip_works_from_file(unzipped, page):
    watch = Watch(page, OFFLINE)
    page.goto((unzipped / "briefings/deployments.html").as_uri())
    assert re.search(r"\d{4}年", tooltip_text(page, "sup a.footnote-ref"))
    watch.assert_clean()


def test_download_page_in_the_bundle_says_it_is_the_bundle(unzipped):
    assert "いま読んでいるのがオフライン版である" in (unzipped / "download.html").read_text(encoding="utf-8")
    assert "You are reading the offline bundle" in (unzipped / "en/download.html").read_text(encoding="utf-8")
    assert not list(unzipped.rglob("*.zip")), "the bundle does not contain itself"


def test_web_build_publishes_the_bundle_on_the_download_page(unzipped, offline_work, project, tmp_path):
    """The web build after `make offline` links the bundle, its checksum, size and date, in both languages."""
    shutil.copytree(offline_work / "dist", project / "dist")
    archive = next((project / "dist").glob("*.zip"))
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    published = tmp_path / "site" / "downloads"
    assert (published / archive.name).read_bytes() == archive.read_bytes()
    assert (published / f"{archive.name}.sha256").is_file()
    size = f"{archive.stat().st_size / 1_000_000:.1f} MB"
    day = archive.stem.rsplit("-", 3)[1:]
    for rel, date in (
        ("download/index.html", f"{int(day[0])}年{int(day[1])}月{int(day[2])}日"),
        ("en/download/index.html", None),
    ):
        html = (tmp_path / "site" / rel).read_text(encoding="utf-8")
        assert f'href="{"../" * rel.count("/")}downloads/{archive.name}"' in html
        assert f"downloads/{archive.name}.sha256" in html and size in html
        assert date is None or date in html


def test_bundle_passes_the_post_build_check_with_its_own_policy(unzipped):
    assert html_policy.check_site_dir(unzipped) == []
    rules = policy((unzipped / "index.html").read_text(encoding="utf-8"))
    # The worker shim's iframe script is allowed by its hash, like the theme's: no 'unsafe-inline'.
    assert rules["default-src"] == ["'none'"] and rules["script-src"][0] == "'self'"
    assert not any("unsafe" in source for source in rules["script-src"]), rules
    assert html_policy.csp_hash(offline.iframe_script(ROOT)) in rules["script-src"]


def test_every_page_of_the_bundle_loads_with_no_violation(unzipped, page):
    page.add_init_script(VIOLATIONS)
    watch = Watch(page, OFFLINE)
    # 404.html is for web servers (it links by absolute address); no page of the bundle leads to it.
    pages = sorted(p for p in unzipped.rglob("*.html") if p.name != "404.html")
    assert len(pages) > 20
    for path in pages:
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        assert violations(page) == [], path
    page.goto((unzipped / "en/briefings/deployments.html").as_uri())
    assert search(page, "troops")
    page.keyboard.press("Escape")
    assert tooltip_text(page, "sup a.footnote-ref")
    switch_language(page, "日本語")
    page.wait_for_url((unzipped / "briefings/deployments.html").as_uri())
    assert search(page, "派兵")
    assert violations(page) == []
    watch.assert_clean()
