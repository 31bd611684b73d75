"""The Download page's list of editions: the offline bundle and the PDFs in `dist/`, with size, date and SHA-256.

`<!-- download -->` on the Download page (rendered by `data_blocks`) becomes this list in the
page's language, followed by the data downloads (CSV, JSON) with their licence; in the offline
bundle it says that the reader holds the bundle and names the published site's Download page. The
files are found by `inputs.editions`; the web build copies them into the site's `downloads/` folder
(`publications.offline.publish_bundle`), where these links point.

The links carry `href`, `class` and `rel` only, all in the one content allowlist
(`inputs.html_allowlist`) that the sanitizer and the post-build check share; no `download` attribute
(a browser saves a ZIP or PDF file anyway).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from mkdocs.utils import get_relative_url

from ..inputs.data_files import html_text
from ..inputs.editions import BUNDLE_NAME, PDF_NAME, latest_bundle, latest_pdfs
from ..inputs.notation import format_date, parse_partial_date
from ..inputs.publication import DATASETS, DOWNLOADS, Licence, settings, web_url
from .context import PageContext
from .urls import link_from

DOWNLOAD_MARKER = "<!-- download -->"

DOWNLOAD_WORDS = {
    "ja": {
        "link": "オフライン版をダウンロード",
        "checksum": "SHA-256チェックサム",
        "pdf": {"ja": "PDF版（日本語）", "en": "PDF版（英語）"},
        "pdf_item": "{link}：サイズ {size}、作成日 {built}、SHA-256 `{digest}`",
        "size": "サイズ",
        "built": "作成日",
        "offline": "いま読んでいるのがオフライン版である。最新版は公開サイトのこのページから入手できる：",
        "missing": "このビルドにはオフライン版が含まれていない。公開サイトでは、公開のたびにワークフローがオフライン版を作成してこのページに掲載する。手元で作成するには `make offline` を実行する（`dist/` に保存される）。",
    },
    "en": {
        "link": "Download the offline bundle",
        "checksum": "SHA-256 checksum",
        "pdf": {"ja": "PDF edition (Japanese)", "en": "PDF edition (English)"},
        "pdf_item": "{link}: size {size}, built on {built}, SHA-256 `{digest}`",
        "size": "Size",
        "built": "Built on",
        "offline": "You are reading the offline bundle. The latest one is on this page of the published site:",
        "missing": "This build has no offline bundle attached. On the published site, the publishing workflow builds the bundle each time and lists it on this page. To make one yourself, run `make offline` (it is saved in `dist/`).",
    },
}

DATA_WORDS = {
    "ja": {"figures": "主要な数値", "timeline": "年表", "lead": "{name}のデータ（出典と推定の区別を含む）："},
    "en": {"figures": "Key figures", "timeline": "Timeline", "lead": "{name} data, with sources and inferred flags: "},
}


def render_pdfs(lang: str, dist_dir: Path, page_url: str) -> str:
    """The PDF editions in dist/ as a list: link (to downloads/), size, date and SHA-256 of each."""
    words = DOWNLOAD_WORDS[lang]
    items = []
    for path in latest_pdfs(dist_dir):
        pdf_lang, date = path.stem.removeprefix(f"{PDF_NAME}-").split("-", 1)
        built = format_date(parse_partial_date(date), lang)
        size = f"{path.stat().st_size / 1_000_000:.1f} MB"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        href = get_relative_url(f"downloads/{path.name}", page_url)
        link = f'<a href="{href}">{words["pdf"][pdf_lang]}</a>'
        items.append("- " + words["pdf_item"].format(link=link, size=size, built=built, digest=digest))
    return "\n".join(items) + "\n\n" if items else ""


def render_downloads(context: PageContext, name: str, licence: Licence) -> str:
    """The dataset's CSV and JSON links, and their licence (a CSV file has no place to state it)."""
    words = DATA_WORDS[context.language]
    links = " · ".join(
        f'<a href="{link_from(context, f"{DOWNLOADS}/{name}.{ext}")}">{ext.upper()}</a>' for ext in ("csv", "json")
    )
    terms = f'<a href="{html_text(licence.url)}" rel="license">{html_text(licence.short[context.language])}</a>'
    return f'<p class="data-downloads">{words["lead"].format(name=words[name])}{links} · {terms}</p>'


def render_download(context: PageContext, root: Path) -> str:
    """The download box of the Download page: link, checksum, size and build date, or why there is none.

    Then the PDFs and the data downloads. In the offline bundle: the published site's Download page.
    """
    lang, page_url, dist_dir = context.language, context.url, root / "dist"
    words = DOWNLOAD_WORDS[lang]
    config = settings(root)
    found = latest_bundle(dist_dir)
    pdfs = render_pdfs(lang, dist_dir, page_url)
    data = "\n\n".join(render_downloads(context, name, config.licence) for name in DATASETS) + "\n\n"
    if context.offline:
        published = html_text(web_url(config.site_url, lang, context.path))
        return f'<p class="download">{words["offline"]} <a href="{published}">{published}</a></p>\n\n{pdfs}{data}'
    if not found:
        return f"{words['missing']}\n\n{pdfs}{data}"
    archive, checksum = found
    built = format_date(parse_partial_date(archive.stem.removeprefix(BUNDLE_NAME + "-")), lang)
    size = f"{archive.stat().st_size / 1_000_000:.1f} MB"
    href = get_relative_url(f"downloads/{archive.name}", page_url)
    sha_href = get_relative_url(f"downloads/{checksum.name}", page_url)
    digest = checksum.read_text(encoding="utf-8").split()[0]
    return (
        f'<div class="download" markdown>\n\n'
        f'<a class="md-button md-button--primary" href="{href}">{words["link"]}</a>\n\n'
        f"- {words['size']}: {size}\n- {words['built']}: {built}\n"
        f'- {words["checksum"]}: <a href="{sha_href}">{checksum.name}</a> (`{digest}`)\n\n</div>\n\n{pdfs}{data}'
    )
