"""The PDF edition (`make pdf`), read back with pypdf: contents, page numbers, footnotes, links, glyphs, outline, language.

Both books are built once per session from the real built site. Expected values come from the
built HTML and mkdocs.yml, never from the PDF code.

Missing glyphs: a character that no font covers is drawn with glyph 0 (.notdef, the empty box).
The test decodes every text-showing operator of every page (and of the forms the pages draw),
maps its codes through the font's encoding CMap to CIDs and, for TrueType fonts, through the
CIDToGIDMap to glyph ids, and fails on glyph 0. A control document with a code point that no
font has proves that the check finds one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import shutil
import subprocess
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from conftest import ROOT, build
from reader import Watch, search
from rnk_briefings.inputs.editions import edition_date, pdf_name
from rnk_briefings.inputs.site_model import copy_project
from rnk_briefings.publications.offline import bundle
from rnk_briefings.publications.pdf import build_pdfs

MAX_BYTES = 5_000_000


def squash(text: str) -> str:
    """Text as compared: NFKC (PDF fonts may map kanji to Kangxi radicals), without whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", html.unescape(text)))


def plain(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment)


@pytest.fixture(scope="session")
def books(site, tmp_path_factory) -> dict[str, Path]:
    dist = tmp_path_factory.mktemp("pdf")
    paths = build_pdfs(site.root, dist, ROOT)
    return {path.name.split("-")[2]: path for path in paths}


@pytest.fixture(scope="session")
def readers(books) -> dict[str, PdfReader]:
    return {lang: PdfReader(path) for lang, path in books.items()}


@pytest.fixture(scope="session")
def page_texts(readers) -> dict[str, list[str]]:
    return {lang: [page.extract_text() for page in reader.pages] for lang, reader in readers.items()}


def nav_files() -> list[str]:
    """The built pages in the order of mkdocs.yml's nav, without the Download page."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    files = re.findall(r"^\s+- ([\w/.-]+\.md)\s*$", text[text.index("\nnav:") :], flags=re.M)
    return ["" if f == "index.md" else f.removesuffix(".md") + "/" for f in files if f != "download.md"]


def built_title(site, rel: str) -> str:
    page = site.html(rel + "index.html")
    return html.unescape(plain(re.search(r"<article.*?<h1[^>]*>(.*?)</h1>", page, re.S).group(1))).strip()


def prefix(lang: str) -> str:
    return "" if lang == "ja" else "en/"


def contents(texts: list[str]) -> dict[str, int]:
    """The contents pages' lines 'Title ..... N' as {title: N} (first pages only)."""
    entries = {}
    for text in texts[:4]:
        for line in text.splitlines():
            match = re.fullmatch(r"(.+?)\s*\.{3,}\s*(\d+)", line.strip())
            if match:
                entries[squash(match.group(1))] = int(match.group(2))
    return entries


def test_files_are_named_by_edition_date_and_small(books, readers):
    assert set(books) == {"ja", "en"}
    for lang, path in books.items():
        assert path.name == pdf_name(lang, edition_date(ROOT))
        assert path.stat().st_size <= MAX_BYTES, f"{path.name}: {path.stat().st_size:,} bytes"
        assert 30 <= len(readers[lang].pages) <= 200, len(readers[lang].pages)


def test_edition_date_follows_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")  # 2025-01-01T00:00:00Z
    assert edition_date(ROOT) == dt.date(2025, 1, 1)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cover_names_title_date_commit_and_source_period(site, page_texts, lang):
    cover = squash(page_texts[lang][0])
    home = site.html(prefix(lang) + "index.html")
    site_name = re.search(r'property="og:site_name" content="([^"]+)"', home).group(1)
    assert squash(site_name) in cover
    day = edition_date(ROOT)
    assert (f"{day.year}年{day.month}月{day.day}日" if lang == "ja" else f"{day.day}{day:%B}{day.year}") in cover
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    assert commit.stdout[:12] in cover
    # The period the sources cover: the first and the last date of the Sources page (oldest first).
    dates = re.findall(r"<li>(?:日付|Date): ([^<]+)</li>", site.html(prefix(lang) + "sources/index.html"))
    assert squash(dates[0]) in cover and squash(dates[-1]) in cover
    # What the sources cover: the timeline's latest event, as under every page's title.
    assert (
        squash(
            "2025年4月4日（それ以降の出来事は扱っていない）"
            if lang == "ja"
            else "4 April 2025 (later events are not covered)"
        )
        in cover
    )


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_contents_list_every_page_in_nav_order_with_the_page_it_starts_on(site, page_texts, readers, lang):
    texts = page_texts[lang]
    expected = [squash(built_title(site, prefix(lang) + rel)) for rel in nav_files()]
    listed = contents(texts)
    assert list(listed) == expected, "contents: every page of the nav, in its order"
    outline = {
        squash(o.title): readers[lang].get_destination_page_number(o) + 1
        for o in readers[lang].outline
        if not isinstance(o, list)
    }
    for title, number in listed.items():
        start = squash(texts[number - 1])
        # The chapter title opens the page, and the page's running header (drawn last) is the title too.
        assert start.startswith(title), f"{title}: page {number} starts with {start[:40]!r}"
        assert re.search(re.escape(title) + rf"{number}/\d+$", start), f"{title}: running header of page {number}"
        assert not re.search(re.escape(title) + r"\d+/\d+$", squash(texts[number - 2])), "starts on the page before"
        assert outline[title] == number, f"{title}: bookmark on page {outline[title]}, contents say {number}"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_outline_has_every_page_and_its_sections(site, readers, lang):
    outline = readers[lang].outline
    top = [squash(o.title) for o in outline if not isinstance(o, list)]
    for rel in nav_files():
        assert squash(built_title(site, prefix(lang) + rel)) in top
    page = site.html(prefix(lang) + "briefings/motives/index.html")
    sections = [squash(plain(h)) for h in re.findall(r"<h2[^>]*>(.*?)<a class=\"headerlink\"", page, re.S)]
    title = squash(built_title(site, prefix(lang) + "briefings/motives/"))
    at = next(i for i, o in enumerate(outline) if not isinstance(o, list) and squash(o.title) == title)
    children = outline[at + 1]
    assert isinstance(children, list)
    assert [squash(c.title) for c in children if not isinstance(c, list)] == sections


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_footnote_of_a_briefing_is_in_its_chapter_with_its_source(site, page_texts, readers, lang):
    page = site.html(prefix(lang) + "briefings/motives/index.html")
    notes = re.findall(r'<li id="fn:[^"]+">(.*?)</li>', page, re.S)
    assert len(notes) >= 10  # one note per source and section (the motives briefing cites 12)
    listed = contents(page_texts[lang])
    starts = sorted(listed.values())
    first = listed[squash(built_title(site, prefix(lang) + "briefings/motives/"))]
    end = next(n for n in starts if n > first)
    chapter = squash("".join(page_texts[lang][first - 1 : end - 1]))
    for note in notes:
        citation = squash(plain(re.sub(r'<a class="footnote-backref[^>]*>.*?</a>', "", note)))
        assert citation in chapter, f"footnote missing from the PDF: {citation[:80]}"
    assert "NationalSecurityJournal" in chapter


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_internal_links_point_at_destinations_and_can_be_clicked(site, readers, lang):
    reader = readers[lang]
    names = set(reader.named_destinations)
    internal = external = 0
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            x1, y1, x2, y2 = (float(v) for v in annotation["/Rect"])
            assert abs(x2 - x1) > 1 and abs(y2 - y1) > 1, f"a link with no area: {annotation}"
            if "/Dest" in annotation:
                assert str(annotation["/Dest"]) in names, annotation["/Dest"]
                internal += 1
            else:
                assert annotation["/A"]["/URI"].startswith("http")
                external += 1
    markers = sum(site.html(prefix(lang) + rel + "index.html").count('class="footnote-ref"') for rel in nav_files())
    assert internal >= markers, f"{internal} internal links for {markers} footnote markers"
    assert external > 0
    assert any(n.endswith("--src-salmon-2025") for n in names), "the source list's entries are destinations"


def _font_glyphs(font) -> tuple[str, Callable[[bytes], list[int]]]:
    """A Type0 font's name and a function from the shown bytes to glyph ids."""
    descendant = font["/DescendantFonts"][0].get_object()
    encoding = font["/Encoding"]
    cmap: dict[int, int] | None = None
    if hasattr(encoding, "get_data"):  # an embedded CMap (WeasyPrint writes one when a code maps to .notdef)
        cmap = {}
        data = encoding.get_data().decode("latin-1")
        for block in re.findall(r"begincidchar(.*?)endcidchar", data, re.S):
            for code, cid in re.findall(r"<([0-9a-fA-F]+)>\s+(\d+)", block):
                cmap[int(code, 16)] = int(cid)
        for block in re.findall(r"begincidrange(.*?)endcidrange", data, re.S):
            for low, high, cid in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s+(\d+)", block):
                for offset in range(int(high, 16) - int(low, 16) + 1):
                    cmap[int(low, 16) + offset] = int(cid) + offset
    else:
        assert encoding == "/Identity-H", encoding
    gid_map = descendant.get("/CIDToGIDMap", "/Identity")
    gids = None
    if descendant["/Subtype"] == "/CIDFontType2" and gid_map != "/Identity":
        raw = gid_map.get_object().get_data()
        gids = [raw[i] * 256 + raw[i + 1] for i in range(0, len(raw) - 1, 2)]
    descriptor = descendant["/FontDescriptor"].get_object()
    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
        f"{font['/BaseFont']} is not embedded"
    )

    def glyphs(shown: bytes) -> list[int]:
        codes = [shown[i] * 256 + shown[i + 1] for i in range(0, len(shown) - 1, 2)]
        cids = [cmap.get(c, 0) for c in codes] if cmap is not None else codes
        return [gids[c] if gids and c < len(gids) else c for c in cids]

    return str(font["/BaseFont"]), glyphs


def missing_glyphs(path: Path) -> list[tuple[int, str]]:
    """(page, font) for every glyph 0 (.notdef) a PDF draws, in its pages and the forms they use."""
    reader = PdfReader(path)
    found = []

    def scan(stream, resources, number: int, seen: set) -> None:
        fonts = {name: _font_glyphs(font.get_object()) for name, font in resources.get("/Font", {}).items()}
        current = None
        for operands, operator in ContentStream(stream, reader).operations:
            if operator == b"Tf":
                current = fonts[operands[0]]
            elif operator in (b"Tj", b"'", b'"', b"TJ"):
                shown = operands[0] if operator == b"TJ" else operands[-1:]
                for item in shown:
                    if hasattr(item, "original_bytes"):
                        if 0 in current[1](item.original_bytes):
                            found.append((number, current[0]))
            elif operator == b"Do":
                xobject = resources["/XObject"][operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form" and id(xobject) not in seen:
                    seen.add(id(xobject))
                    scan(xobject, xobject.get("/Resources", resources), number, seen)

    for number, page in enumerate(reader.pages, 1):
        scan(page.get_contents(), page["/Resources"], number, set())
    return found


def test_the_glyph_check_finds_a_missing_glyph(tmp_path):
    import weasyprint

    control = tmp_path / "control.pdf"
    weasyprint.HTML(string='<html lang="en"><p>covered \U0010fffd not covered</p></html>').write_pdf(control)
    assert missing_glyphs(control), "a code point no font has must show as .notdef"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_missing_glyphs_and_japanese_in_japanese_fonts(books, readers, lang):
    assert missing_glyphs(books[lang]) == []
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[1]
        for page in readers[lang].pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    cjk = {f for f in fonts if "CJK" in f}
    assert cjk and all("CJK-JP" in f for f in cjk), f"CJK fonts must be the Japanese ones: {cjk}"
    if lang == "en":
        assert "DejaVu-Serif" in fonts, fonts


def test_japanese_lines_respect_kinsoku(page_texts):
    """No line starts with closing punctuation or small kana, nor ends with an opening bracket."""
    no_start = "。、，．」』）】〕〉》・：；？！ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー々"
    no_end = "「『（【〔〈《"
    lines = [line.strip() for text in page_texts["ja"] for line in text.splitlines() if line.strip()]
    assert len(lines) > 1000
    assert [line for line in lines if line[0] in no_start] == []
    assert [line for line in lines if line[-1] in no_end] == []


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_catalog_sets_the_language(readers, lang):
    assert readers[lang].trailer["/Root"]["/Lang"] == lang
    assert readers[lang].metadata.title


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_no_site_chrome_in_the_book(site, page_texts, lang):
    """The words of the site's chrome (skip link, heading links, back-links) are on the site, not in the book."""
    page = site.html(prefix(lang) + "briefings/motives/index.html")
    chrome = [
        re.search(r'class="md-skip">\s*([^<]+?)\s*<', page).group(1),
        re.search(r'class="headerlink" aria-label="([^"]+)"', page).group(1),
        re.search(r'class="footnote-backref[^"]*" href="[^"]+" aria-label="([^"]+)"', page).group(1),
    ]
    text = squash("".join(page_texts[lang]))
    for words in chrome:
        assert squash(words) not in text, words


@pytest.fixture(scope="module")
def project_with_pdfs(books, tmp_path_factory) -> Path:
    """A copy of the project after `make pdf`: the two books in its dist/."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("with-pdfs") / "project")
    (project / "dist").mkdir(exist_ok=True)
    for path in books.values():
        shutil.copy2(path, project / "dist" / path.name)
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    return project


@pytest.fixture(scope="module")
def unzipped_with_pdfs(project_with_pdfs, tmp_path_factory) -> Path:
    """The offline bundle packed with the PDFs (as `make offline` does), unzipped."""
    work = tmp_path_factory.mktemp("bundle-with-pdfs")
    result = build(project_with_pdfs, work / "offline", env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stderr
    archive, _ = bundle(work / "offline", project_with_pdfs / "dist")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(work / "unzipped")
    return work / "unzipped" / archive.stem


def test_the_bundle_holds_the_pdfs_and_its_download_page_links_them(books, unzipped_with_pdfs):
    for rel in ("download.html", "en/download.html"):
        page = (unzipped_with_pdfs / rel).read_text(encoding="utf-8")
        for path in books.values():
            href = re.search(rf'href="([^"]*{re.escape(path.name)})"', page).group(1)
            assert ((unzipped_with_pdfs / rel).parent / href).read_bytes() == path.read_bytes()


@pytest.mark.browser
def test_the_bundle_with_pdfs_still_works_from_file_without_network(unzipped_with_pdfs, page):
    """No request outside the folder, no console error, search in both languages, PDFs one click away."""
    watch = Watch(page, "file:|data:|blob:|about:")
    page.goto((unzipped_with_pdfs / "download.html").as_uri())
    pdf_links = page.eval_on_selector_all("article a[href$='.pdf']", "links => links.map(a => a.href)")
    assert len(pdf_links) == 2 and all(link.startswith("file:") for link in pdf_links)
    assert any("/briefings/exchanges.html" in link for link in search(page, "偵察衛星"))
    page.goto((unzipped_with_pdfs / "en/download.html").as_uri())
    assert any("/en/briefings/exchanges.html" in link for link in search(page, "satellite"))
    watch.assert_clean()


def test_web_download_page_lists_each_pdf_with_size_date_and_sha256(books, project_with_pdfs, tmp_path):
    result = build(project_with_pdfs, tmp_path / "web")
    assert result.returncode == 0, result.stderr
    day = edition_date(ROOT)
    for rel, date in (
        ("download/index.html", f"{day.year}年{day.month}月{day.day}日"),
        ("en/download/index.html", f"{day.day} {day:%B} {day.year}"),
    ):
        page = (tmp_path / "web" / rel).read_text(encoding="utf-8")
        for path in books.values():
            assert f'href="{"../" * rel.count("/")}downloads/{path.name}"' in page
            assert hashlib.sha256(path.read_bytes()).hexdigest() in page
            assert f"{path.stat().st_size / 1_000_000:.1f} MB" in page
            assert (tmp_path / "web" / "downloads" / path.name).read_bytes() == path.read_bytes()
        assert date in page
