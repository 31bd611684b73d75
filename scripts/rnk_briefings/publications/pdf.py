"""The PDF edition: one book per language, laid out by WeasyPrint (CSS paged media) from the built site.

It reads only the built HTML (`site/` or `site-offline/`) and the source registry, never MkDocs
internals, so the edition survives a change of site generator:

1. the page order is the site's own navigation, read from the language's home page;
2. each page contributes its `<article>`, without the site chrome (edit button, heading links,
   footnote back-links, forms, buttons, scripts);
3. every id is prefixed with its page's key, and every link is rewritten to the anchor inside the
   book (footnote markers, cross-references, the source list); links to pages that are not in the
   book (the Download page) become plain text; external links stay;
4. the pages are laid out as one HTML document with a cover (title, edition date, commit, the
   period the sources cover, the web edition's address and its Download page's, where the data
   downloads are, and the licence of the text and data), contents (page numbers by `target-counter`), a running header with
   the page title (`string-set`) and page numbers; pdf.css holds the layout and the fonts.

WeasyPrint reads nothing but the built site (`SiteFetcher`): a `file:` URL outside the site folder,
`http(s)`, `data:` and any other scheme are refused, and the build fails naming them; the pages'
`rel` attributes are dropped, so no `<a rel="attachment">` makes a file attachment.

WeasyPrint makes the PDF outline from h1-h6, sets the catalog's /Lang from `<html lang>` and
subsets the fonts it embeds. `python -m rnk_briefings.publications.pdf SITE_DIR DIST_DIR` writes
`rnk-briefings-<lang>-<date>.pdf` for each language.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import posixpath
import re
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..inputs.editions import PDF_NAME, commit_id, edition_date, pdf_name
from ..inputs.ledger import CHART_TYPE
from ..inputs.notation import format_date, parse_partial_date
from ..inputs.publication import DOWNLOAD_PAGE, language_root, settings, web_url
from ..inputs.registry import load_registry
from ..inputs.site_model import LANGUAGES, report
from ..inputs.timeline import coverage_text, load_timeline

CSS = Path(__file__).with_name("pdf.css")
# Pages left out of the book: the Download page offers the book itself.
LEFT_OUT = {"download/index.html"}
# Elements of the site's chrome inside an article (by tag, or by class).
CHROME_TAGS = {"script", "style", "form", "button", "input", "label", "nav", "noscript"}
CHROME_CLASSES = {"md-content__button", "headerlink", "footnote-backref", "md-source-file"}
# The chart's colours and type as SVG attributes: the site styles it with CSS, which WeasyPrint does not
# apply inside SVG.
# Bars and the outline of a range at 3:1 or more on white (WCAG 1.4.11), the range's inside a tint
# of the bar; secondary text at 4.5:1 or more. Type sizes as on the site (ledger.CHART_TYPE).
CHART_PAINT = {
    "figure-chart__bar": {"fill": "#3949ab"},
    "figure-chart__range": {"fill": "#3949ab", "fill-opacity": "0.2", "stroke": "#3949ab", "stroke-width": "2"},
    "figure-chart__label": {"font-size": str(CHART_TYPE["label"])},
    "figure-chart__value": {"font-size": str(CHART_TYPE["value"]), "font-weight": "700"},
    "figure-chart__meta": {"fill": "#555555", "font-size": str(CHART_TYPE["meta"])},
    "figure-chart__tick": {"fill": "#555555", "font-size": str(CHART_TYPE["tick"])},
    "figure-chart__source": {"fill": "#555555", "font-size": str(CHART_TYPE["source"])},
    "figure-chart__grid": {"stroke": "#dddddd"},
    "figure-chart__axis": {"stroke": "#555555", "stroke-width": "1.5"},
}
CHART_FONTS = {"ja": "Noto Sans CJK JP", "en": "DejaVu Sans, Noto Sans CJK JP"}
# The locator maps' colours likewise (the site's light scheme, docs/assets/site.css); labels without the
# halo, whose stroke WeasyPrint would paint over the text.
MAP_ATTRIBUTES = {
    "locator-map__land": {"fill": "#eeeeee", "stroke": "#9e9e9e", "stroke-width": "0.5"},
    "locator-map__focus": {"fill": "#c8c8c8", "stroke": "#616161", "stroke-width": "0.8"},
    "locator-map__dot": {"fill": "#000000", "stroke": "#ffffff", "stroke-width": "1.5"},
    "locator-map__label": {"fill": "#000000", "font-size": "13"},
}

WORDS = {
    "ja": {
        "edition": "PDF版",
        "date": "発行日",
        "commit": "ビルド元のコミット",
        "sources": "出典の日付",
        "coverage": "扱う範囲",
        "site": "ウェブ版",
        "downloads": "ダウンロード（PDF版、オフライン版、データ）",
        "licence": "ライセンス",
        "contents": "目次",
        "notes": "脚注",
        "span": "{first}～{last}",
    },
    "en": {
        "edition": "PDF edition",
        "date": "Edition of",
        "commit": "Built from commit",
        "sources": "Sources dated",
        "coverage": "Coverage",
        "site": "Web edition",
        "downloads": "Downloads (PDF, offline bundle, data)",
        "licence": "Licence",
        "contents": "Contents",
        "notes": "Notes",
        "span": "{first} – {last}",
    },
}


@dataclass
class Chapter:
    """One page of the site as a chapter of the book."""

    rel: str  # the page's file in the built site, e.g. briefings/motives/index.html
    key: str  # its anchor in the book, e.g. p-briefings-motives
    title: str
    section: str | None  # the nav section it is listed under, if any
    body: str = ""


def coverage(root: Path, lang: str) -> str:
    """The latest event the sources report, from the timeline (the same line as under every page's title)."""
    sources, _ = load_registry(root / "data" / "sources.yml")
    events, problems = load_timeline(root / "data" / "timeline.yml", sources)
    if problems:
        raise SystemExit(report(problems))
    return coverage_text(events, lang)


def sources_period(root: Path, lang: str) -> str:
    """The dates of the earliest and the latest source in the registry, as the site writes them."""
    sources, problems = load_registry(root / "data" / "sources.yml")
    if problems:
        raise SystemExit(report(problems))
    dated = sorted(sources.values(), key=lambda s: s.date.sort_key())
    first, last = dated[0].display_date(lang), dated[-1].display_date(lang)
    return first if first == last else WORDS[lang]["span"].format(first=first, last=last)


def parse(path: Path) -> ET.Element:
    import tinyhtml5  # WeasyPrint's HTML parser (requirements-pdf.txt)

    tree = tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)
    for element in tree.iter():  # SVG keeps its namespace in the tree; the HTML parser restores it
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = element.tag.split("}", 1)[1]
        for name in [n for n in element.attrib if n.startswith("{")]:
            element.attrib[name.split("}", 1)[1]] = element.attrib.pop(name)
    return tree


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def text_of(element: ET.Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()


def page_file(site_dir: Path, rel: str) -> str:
    """A site-relative link target as the file that serves it (directory URLs end in index.html)."""
    folder = rel in ("", ".") or rel.endswith("/")
    rel = posixpath.normpath(rel or ".").removeprefix("./")
    rel = "" if rel == "." else rel
    if folder or not rel or (site_dir / rel).is_dir():
        rel = posixpath.join(rel, "index.html")
    return rel


def resolve(site_dir: Path, from_rel: str, href: str) -> tuple[str, str] | None:
    """A relative link of the page `from_rel` as (target file, fragment); None for external links."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("/"):
        return None
    if not parts.path:
        return from_rel, unquote(parts.fragment)
    joined = posixpath.join(posixpath.dirname(from_rel), unquote(parts.path))
    return page_file(site_dir, joined), unquote(parts.fragment)


def nav_chapters(site_dir: Path, lang: str) -> list[Chapter]:
    """The pages of one language in the order of the site's navigation (read from its home page)."""
    home = "index.html" if lang == LANGUAGES[0] else f"{lang}/index.html"
    tree = parse(site_dir / home)
    primary = next(n for n in tree.iter("nav") if "md-nav--primary" in classes(n))
    left_out = {posixpath.join(home.removesuffix("index.html"), rel) for rel in LEFT_OUT}
    chapters: dict[str, Chapter] = {}

    def walk(nav: ET.Element, section: str | None) -> None:
        for item in (li for ul in nav if ul.tag == "ul" for li in ul if li.tag == "li"):
            link = next((a for a in item if a.tag == "a" and "md-nav__link" in classes(a)), None)
            nested = next((n for n in item if n.tag == "nav"), None)
            if link is not None:  # a page (the current one also has its table of contents: not walked)
                target, _ = resolve(site_dir, home, link.get("href", "")) or ("", "")
                if target and target not in chapters and target not in left_out:
                    chapters[target] = Chapter(target, "", text_of(link), section)
            elif nested is not None:  # a section of the nav
                label = next((lab for lab in item if lab.tag == "label"), None)
                walk(nested, text_of(label) if label is not None else section)

    walk(primary, None)
    for chapter in chapters.values():
        stem = chapter.rel.removesuffix("index.html").removeprefix(f"{lang}/" if lang != LANGUAGES[0] else "")
        chapter.key = "p-" + (re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-") or "home")
    return list(chapters.values())


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child` and keep the text that follows it."""
    index = list(parent).index(child)
    if child.tail:
        if index == 0:
            parent.text = (parent.text or "") + child.tail
        else:
            parent[index - 1].tail = (parent[index - 1].tail or "") + child.tail
    parent.remove(child)


def render_chapter(site_dir: Path, chapter: Chapter, keys: dict[str, str], lang: str) -> str:
    """A page's article as the book's chapter: no chrome, ids prefixed, links pointing inside the book."""
    tree = parse(site_dir / chapter.rel)
    article = next(a for a in tree.iter("article"))
    parents = {child: parent for parent in article.iter() for child in parent}
    for element in list(article.iter()):
        if element.tag in CHROME_TAGS or classes(element) & CHROME_CLASSES:
            if element in parents:
                _remove(parents[element], element)
    for element in article.iter():
        element.attrib.pop("rel", None)  # rel="attachment" would embed the link's target in the PDF
        if element.get("id"):
            element.set("id", f"{chapter.key}--{element.get('id')}")
        if element.tag == "a" and element.get("href") is not None:
            target = resolve(site_dir, chapter.rel, element.get("href"))
            if target is None:
                continue
            file, fragment = target
            if file in keys:
                element.set("href", f"#{keys[file]}--{fragment}" if fragment else f"#{keys[file]}")
            else:  # a page that is not in the book, or a file of the site: plain text
                element.attrib.pop("href")
        for name, paint in {**CHART_PAINT, **MAP_ATTRIBUTES}.items():
            if name in classes(element):
                for attribute, value in paint.items():
                    element.set(attribute, value)
        if element.tag.endswith("text") and any(
            n.startswith(("figure-chart__", "locator-map__")) for n in classes(element)
        ):
            element.set("font-family", CHART_FONTS[lang])
    heading = next(article.iter("h1"))
    chapter.title = text_of(heading)
    heading.set("id", chapter.key)
    heading.set("class", "chapter-title")
    for footnotes in article.iter("div"):
        if "footnote" in classes(footnotes):
            title = ET.Element("p", {"class": "notes-title"})
            title.text = WORDS[lang]["notes"]
            footnotes.insert(0, title)
    body = "".join(ET.tostring(child, encoding="unicode", method="html") for child in article)
    return (article.text or "") + body


def meta_content(tree: ET.Element, prop: str) -> str | None:
    return next((m.get("content") for m in tree.iter("meta") if m.get("property") == prop), None)


def book_html(site_dir: Path, root: Path, lang: str, date: dt.date) -> str:
    """One language's book as a single HTML document for WeasyPrint."""

    chapters = nav_chapters(site_dir, lang)
    keys = {chapter.rel: chapter.key for chapter in chapters}
    home = parse(site_dir / chapters[0].rel)
    title = meta_content(home, "og:site_name") or chapters[0].title
    web = next((link.get("href") for link in home.iter("link") if link.get("rel") == "canonical"), None)
    words = WORDS[lang]
    edition = format_date(parse_partial_date(date.isoformat()), lang)
    esc = html.escape
    cover = [
        f'<section class="cover"><p class="cover-title">{esc(title)}</p>',
        f'<p class="cover-edition">{words["edition"]}</p><dl>',
        f"<dt>{words['date']}</dt><dd>{esc(edition)}</dd>",
        f"<dt>{words['sources']}</dt><dd>{esc(sources_period(root, lang))}</dd>",
        f"<dt>{words['coverage']}</dt><dd>{esc(coverage(root, lang))}</dd>",
        f"<dt>{words['commit']}</dt><dd><code>{esc(commit_id(root))}</code></dd>",
    ]
    if web and urlsplit(web).scheme in ("http", "https"):
        downloads = web_url(web.removesuffix(language_root(lang)), lang, DOWNLOAD_PAGE)
        cover.append(f'<dt>{words["site"]}</dt><dd><a href="{esc(web)}">{esc(web)}</a></dd>')
        cover.append(f'<dt>{words["downloads"]}</dt><dd><a href="{esc(downloads)}">{esc(downloads)}</a></dd>')
    licence = settings(root).licence
    cover.append(
        f"<dt>{words['licence']}</dt><dd>{esc(licence.notice[lang])} "
        f'<a href="{esc(licence.url)}">{esc(licence.url)}</a></dd>'
    )
    cover.append("</dl></section>")
    body = [  # first: each chapter's title is its h1
        f'<section class="chapter" id="{c.key}-chapter">{render_chapter(site_dir, c, keys, lang)}</section>'
        for c in chapters
    ]
    contents = [f'<section class="contents"><h1 class="contents-title">{words["contents"]}</h1><ul>']
    section = None
    for chapter in chapters:
        if chapter.section != section and chapter.section:
            contents.append(f'<li class="toc-section">{esc(chapter.section)}</li>')
        section = chapter.section
        level = "toc-page toc-page--nested" if chapter.section else "toc-page"
        contents.append(f'<li class="{level}"><a href="#{chapter.key}">{esc(chapter.title)}</a></li>')
    contents.append("</ul></section>")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f'<meta name="dcterms.created" content="{date.isoformat()}">'
        f'<meta name="dcterms.modified" content="{date.isoformat()}">'
        f'<meta name="generator" content="rnk_briefings.pdf"></head>'
        f'<body class="md-typeset">{"".join(cover)}{"".join(contents)}{"".join(body)}</body></html>'
    )


def site_fetcher(site_dir: Path):
    """WeasyPrint's URL fetcher for the book: files of the built site only; every other URL refused and noted.

    WeasyPrint's own fetcher reads any `file:` path and any `http(s)` URL a page names (an image,
    a style's url(), an attachment). The book needs only the site's own files (its fonts come from
    fontconfig, its style sheet from `CSS`, which is read directly), so nothing else is served.
    """
    from weasyprint.urls import URLFetcher

    class SiteFetcher(URLFetcher):
        def __init__(self) -> None:
            super().__init__()
            self.refused: list[str] = []

        def fetch(self, url: str, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file" and parts.netloc in ("", "localhost"):
                folder = site_dir.resolve()
                path = Path(url2pathname(parts.path)).resolve()
                if path.is_relative_to(folder) and path.is_file():
                    return super().fetch(path.as_uri(), headers)
            self.refused.append(url[:200])
            raise ValueError(f"the PDF build reads only the built site ({site_dir}): refused {url[:200]}")

    return SiteFetcher()


def write_pdf(book: str, target: Path, site_dir: Path) -> list[str]:
    """Lay out one book into `target`; return the URLs it asked for that were refused (none are read)."""
    import weasyprint  # requirements-pdf.txt; imported here so the site builds without it

    fetcher = site_fetcher(site_dir)
    document = weasyprint.HTML(string=book, base_url=str(site_dir), url_fetcher=fetcher)
    stylesheet = weasyprint.CSS(filename=str(CSS), url_fetcher=fetcher)
    document.write_pdf(target, stylesheets=[stylesheet], uncompressed_pdf=False)
    return fetcher.refused


def build_pdfs(site_dir: Path, dist_dir: Path, root: Path = Path("."), date: dt.date | None = None) -> list[Path]:
    """Write one PDF per language into dist_dir (replacing older editions); return their paths.

    A book that asks for anything outside the site fails the build (its PDF is removed), naming the URLs.
    """
    date = date or edition_date(root)
    dist_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in LANGUAGES:
        for old in dist_dir.glob(f"{PDF_NAME}-{lang}-*.pdf"):
            old.unlink()
        target = dist_dir / pdf_name(lang, date)
        refused = write_pdf(book_html(site_dir, root, lang, date), target, site_dir)
        if refused:
            target.unlink()
            raise SystemExit(
                f"pdf: the {lang} book asks for files outside the built site, which the PDF build never reads: "
                + ", ".join(refused)
                + "\n    fix: refer only to files in docs/assets/ by relative address (see CONTRIBUTING.md)"
            )
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", help="the built site (make build writes site/)")
    parser.add_argument("dist_dir", help="where the PDFs go")
    parser.add_argument("--root", default=".", help="the project (for data/sources.yml and the commit)")
    args = parser.parse_args(argv)
    site_dir = Path(args.site_dir)
    if not (site_dir / "index.html").is_file():
        print(
            f"pdf: {site_dir}/index.html is missing\n    fix: build the site first (make pdf does it)", file=sys.stderr
        )
        return 1
    start = time.perf_counter()
    for path in build_pdfs(site_dir, Path(args.dist_dir), Path(args.root)):
        print(f"pdf: {path} ({path.stat().st_size:,} bytes)")
    print(f"pdf: built in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
