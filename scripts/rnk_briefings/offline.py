"""The offline bundle: a local iframe-worker shim for the build, and the dated zip with its checksum.

Material's offline plugin loads its worker shim from a CDN unless one is listed in
`extra.polyfills`. The shim comes from the npm registry instead, pinned and integrity-checked by
package-lock.json (`npm ci`), and is copied into the site.

The bundle is reproducible: its name, its entries' times and the sitemap's `lastmod` come from
`SOURCE_DATE_EPOCH`, which defaults to the time of the commit being built (`git log -1
--format=%ct`), never from today's date. Anyone can build the same commit and compare the SHA-256.
Entry names are checked (`ENTRY_NAME`): nothing that unzips outside its folder on any system.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from .notation import format_date, parse_partial_date
from .pdf import PDF_NAME, latest_pdfs

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"
BUNDLE_NAME = "rnk-briefings-offline"
DOWNLOAD_MARKER = "<!-- download -->"
# A zip entry name that means the same path on every system: no backslash, no "..", no drive or root.
ENTRY_NAME = re.compile(r"[A-Za-z0-9._-]+(?:/[A-Za-z0-9._-]+)*")


def enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def _shim_path(config: MkDocsConfig) -> Path:
    path = Path(config.config_file_path).parent / SHIM_SOURCE
    if not path.is_file():
        raise PluginError(
            f"{SHIM_SOURCE} is missing: the offline build needs the pinned iframe-worker shim.\n    fix: run `npm ci` (make offline does it)"
        )
    return path


def source_date_epoch(root: Path = Path(".")) -> int:
    """The build's date: $SOURCE_DATE_EPOCH, else the time of the commit checked out in `root`, else now."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return int(os.environ["SOURCE_DATE_EPOCH"])
    try:
        found = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=30, check=True
        )
        return int(found.stdout.strip())
    except (OSError, ValueError, subprocess.SubprocessError):  # not a git checkout: nothing to reproduce
        return int(time.time())


def use_local_shim(config: MkDocsConfig) -> None:
    """List the local shim so the offline plugin does not add the CDN one; date the build by its commit.

    MkDocs takes the sitemap's `lastmod` from SOURCE_DATE_EPOCH when it is set: setting it here
    (unless the caller did) makes the bundle's pages the same whatever day they are built.
    """
    _shim_path(config)
    if not os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        os.environ["SOURCE_DATE_EPOCH"] = str(source_date_epoch(Path(config.config_file_path).parent))
    config.extra["polyfills"] = [SHIM_URL]


def shim_file(config: MkDocsConfig) -> File:
    return File.generated(config, SHIM_URL, abs_src_path=str(_shim_path(config)))


def entry_names(names: list[str]) -> list[str]:
    """The names that must not go into a zip (`ENTRY_NAME`), e.g. `assets/x\\..\\..\\evil.bat`."""
    return [name for name in names if not ENTRY_NAME.fullmatch(name) or {".", ".."} & set(name.split("/"))]


def bundle(site_dir: Path, dist_dir: Path, epoch: int | None = None) -> tuple[Path, Path]:
    """Zip a built offline site as <name>-<date>.zip (one top folder) and write its SHA-256 file.

    The date and every entry's time are `epoch` (default: `source_date_epoch()`), so the same
    site gives the same bytes on any day; entries are sorted, with fixed permissions.

    The PDF editions in dist_dir (`make pdf`) go into the folder's downloads/, where the bundle's
    Download page links them.
    """
    when = dt.datetime.fromtimestamp(source_date_epoch() if epoch is None else epoch, dt.UTC)
    stamp = when.date().isoformat()
    folder = f"{BUNDLE_NAME}-{stamp}"
    archive = dist_dir / f"{folder}.zip"
    files = [(p, p.relative_to(site_dir).as_posix()) for p in sorted(site_dir.rglob("*")) if p.is_file()]
    files += [(p, f"downloads/{p.name}") for p in latest_pdfs(dist_dir)]
    refused = entry_names([rel for _, rel in files])
    if refused:
        raise ValueError(f"file names that are unsafe in a zip (allowed: {ENTRY_NAME.pattern}): {refused}")
    dist_dir.mkdir(parents=True, exist_ok=True)
    for old in dist_dir.glob(f"{BUNDLE_NAME}-*"):
        old.unlink()
    date_time = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]  # zip starts at 1980
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for path, rel in files:
            if path.is_file():
                info = zipfile.ZipInfo(
                    f"{folder}/{rel}",
                    date_time=date_time,
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                zipped.writestr(info, path.read_bytes())
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{digest}  {archive.name}\n", encoding="utf-8")
    return archive, checksum


def latest_bundle(dist_dir: Path) -> tuple[Path, Path] | None:
    """The newest bundle and its checksum file in dist/, if one has been built."""
    archives = sorted(dist_dir.glob(f"{BUNDLE_NAME}-*.zip"))
    if not archives:
        return None
    checksum = archives[-1].with_name(archives[-1].name + ".sha256")
    return (archives[-1], checksum) if checksum.is_file() else None


DOWNLOAD_WORDS = {
    "ja": {
        "link": "オフライン版をダウンロード",
        "checksum": "SHA-256チェックサム",
        "pdf": {"ja": "PDF版（日本語）", "en": "PDF版（英語）"},
        "pdf_item": "{link}：サイズ {size}、作成日 {built}、SHA-256 `{digest}`",
        "size": "サイズ",
        "built": "作成日",
        "offline": "いま読んでいるのがオフライン版である。最新版は公開サイトのこのページから入手できる。",
        "missing": "このビルドにはオフライン版が含まれていない。公開サイトでは、公開のたびにワークフローがオフライン版を作成してこのページに掲載する。手元で作成するには `make offline` を実行する（`dist/` に保存される）。",
    },
    "en": {
        "link": "Download the offline bundle",
        "checksum": "SHA-256 checksum",
        "pdf": {"ja": "PDF edition (Japanese)", "en": "PDF edition (English)"},
        "pdf_item": "{link}: size {size}, built on {built}, SHA-256 `{digest}`",
        "size": "Size",
        "built": "Built on",
        "offline": "You are reading the offline bundle. The latest one is on this page of the published site.",
        "missing": "This build has no offline bundle attached. On the published site, the publishing workflow builds the bundle each time and lists it on this page. To make one yourself, run `make offline` (it is saved in `dist/`).",
    },
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


def render_download(lang: str, dist_dir: Path, page_url: str, in_bundle: bool) -> str:
    """The download box of the Download page: link, checksum, size and build date, or why there is none."""
    words = DOWNLOAD_WORDS[lang]
    found = latest_bundle(dist_dir)
    pdfs = render_pdfs(lang, dist_dir, page_url)
    if in_bundle:
        return f'<p class="download">{words["offline"]}</p>\n\n{pdfs}'
    if not found:
        return f"{words['missing']}\n\n{pdfs}"
    archive, checksum = found
    built = format_date(parse_partial_date(archive.stem.removeprefix(BUNDLE_NAME + "-")), lang)
    size = f"{archive.stat().st_size / 1_000_000:.1f} MB"
    href = get_relative_url(f"downloads/{archive.name}", page_url)
    sha_href = get_relative_url(f"downloads/{checksum.name}", page_url)
    digest = checksum.read_text(encoding="utf-8").split()[0]
    return (
        f'<div class="download" markdown>\n\n'
        f'<a class="md-button md-button--primary" href="{href}" download>{words["link"]}</a>\n\n'
        f"- {words['size']}: {size}\n- {words['built']}: {built}\n"
        f'- {words["checksum"]}: <a href="{sha_href}" download>{checksum.name}</a> (`{digest}`)\n\n</div>\n\n{pdfs}'
    )


def publish_bundle(dist_dir: Path, site_dir: Path) -> None:
    """Copy the newest bundle and its checksum, and the PDF editions, into the web site's downloads/ folder."""
    found = [*(latest_bundle(dist_dir) or ()), *latest_pdfs(dist_dir)]
    if found:
        target = site_dir / "downloads"
        target.mkdir(exist_ok=True)
        for path in found:
            shutil.copy2(path, target / path.name)
