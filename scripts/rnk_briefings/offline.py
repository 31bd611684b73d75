"""The offline bundle: a local iframe-worker shim for the build, and the dated zip with its checksum.

Material's offline plugin loads its worker shim from a CDN unless one is listed in
`extra.polyfills`. The shim comes from the npm registry instead, pinned and integrity-checked by
package-lock.json (`npm ci`), and is copied into the site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from .notation import format_date, parse_partial_date

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"
BUNDLE_NAME = "rnk-briefings-offline"
DOWNLOAD_MARKER = "<!-- download -->"


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


def use_local_shim(config: MkDocsConfig) -> None:
    """List the local shim so the offline plugin does not add the CDN one."""
    _shim_path(config)
    config.extra["polyfills"] = [SHIM_URL]


def shim_file(config: MkDocsConfig) -> File:
    return File.generated(config, SHIM_URL, abs_src_path=str(_shim_path(config)))


def bundle(site_dir: Path, dist_dir: Path, today: dt.date | None = None) -> tuple[Path, Path]:
    """Zip a built offline site as <name>-<date>.zip (one top folder) and write its SHA-256 file."""
    stamp = (today or dt.date.today()).isoformat()
    folder = f"{BUNDLE_NAME}-{stamp}"
    dist_dir.mkdir(parents=True, exist_ok=True)
    for old in dist_dir.glob(f"{BUNDLE_NAME}-*"):
        old.unlink()
    archive = dist_dir / f"{folder}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        for path in sorted(site_dir.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(
                    f"{folder}/{path.relative_to(site_dir).as_posix()}",
                    date_time=(*map(int, stamp.split("-")), 0, 0, 0),
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
        "size": "サイズ",
        "built": "作成日",
        "offline": "いま読んでいるのがオフライン版である。最新版は公開サイトのこのページから入手できる。",
        "missing": "このビルドにはオフライン版が含まれていない。公開サイトでは、公開のたびにワークフローがオフライン版を作成してこのページに掲載する。手元で作成するには `make offline` を実行する（`dist/` に保存される）。",
    },
    "en": {
        "link": "Download the offline bundle",
        "checksum": "SHA-256 checksum",
        "size": "Size",
        "built": "Built on",
        "offline": "You are reading the offline bundle. The latest one is on this page of the published site.",
        "missing": "This build has no offline bundle attached. On the published site, the publishing workflow builds the bundle each time and lists it on this page. To make one yourself, run `make offline` (it is saved in `dist/`).",
    },
}


def render_download(lang: str, dist_dir: Path, page_url: str, in_bundle: bool) -> str:
    """The download box of the Download page: link, checksum, size and build date, or why there is none."""
    words = DOWNLOAD_WORDS[lang]
    found = latest_bundle(dist_dir)
    if in_bundle:
        return f'<p class="download">{words["offline"]}</p>\n'
    if not found:
        return f"{words['missing']}\n"
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
        f'- {words["checksum"]}: <a href="{sha_href}" download>{checksum.name}</a> (`{digest}`)\n\n</div>\n'
    )


def publish_bundle(dist_dir: Path, site_dir: Path) -> None:
    """Copy the newest bundle and its checksum into the web site's downloads/ folder."""
    found = latest_bundle(dist_dir)
    if found:
        target = site_dir / "downloads"
        target.mkdir(exist_ok=True)
        for path in found:
            shutil.copy2(path, target / path.name)
