"""The offline bundle: a local iframe-worker shim for the build, and the dated zip with its checksum.

Material's offline plugin loads its worker shim from a CDN unless one is listed in
`extra.polyfills`. The shim comes from the npm registry instead, pinned and integrity-checked by
package-lock.json (`npm ci`), and is copied into the site with one change: the inline script it
writes into its iframe named the worker's address (a `file://` path that depends on where the
bundle was unzipped); the copy reads that address from the iframe's own worker `<script>`, so
the inline script is the same everywhere and the offline policy allows it by its SHA-256
(`iframe_script`), without `'unsafe-inline'`.

The bundle is reproducible: its name, its entries' times and the sitemap's `lastmod` come from
`SOURCE_DATE_EPOCH`, which defaults to the time of the commit being built (`git log -1
--format=%ct`), never from today's date. Anyone can build the same commit and compare the SHA-256.
Entry names are checked (`ENTRY_NAME`): nothing that unzips outside its folder on any system.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from ..inputs.editions import BUNDLE_NAME, latest_bundle, latest_pdfs, source_date_epoch

SHIM_SOURCE = Path("node_modules/iframe-worker/shim/index.js")
SHIM_URL = "assets/javascripts/iframe-worker-shim.js"
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


# The one part of the shim's iframe script that varies (the worker's address), and what replaces it:
# the address of the iframe's second script (the worker, `<script src=ADDRESS?TIME>`), without `?TIME`.
SHIM_WORKER_NAME = 'filename:"${e}"'
SHIM_WORKER_NAME_FROM_PAGE = 'filename:(s=>s.slice(0,s.lastIndexOf("?")))(document.scripts[1].getAttribute("src"))'
# The iframe's inline script in the shim's source: `<script>postMessage=${c};importScripts=${d};…<\/script>`.
SHIM_IFRAME_SCRIPT = re.compile(r"<script>(postMessage=\$\{c\};importScripts=\$\{d\};.*?)<\\/script>")


def shim_text(root: Path) -> str:
    """The published shim: the npm package's, its iframe script made the same for every page and folder."""
    text = (root / SHIM_SOURCE).read_text(encoding="utf-8")
    if text.count(SHIM_WORKER_NAME) != 1 or not SHIM_IFRAME_SCRIPT.search(text):
        raise PluginError(
            f"{SHIM_SOURCE} is not the iframe-worker shim this build knows (1.0.4)\n"
            "    fix: after an upgrade, review the shim and update offline.SHIM_WORKER_NAME and SHIM_IFRAME_SCRIPT"
        )
    return text.replace(SHIM_WORKER_NAME, SHIM_WORKER_NAME_FROM_PAGE)


def _function_source(text: str, name: str) -> str:
    """A function's source text as `Function.prototype.toString` gives it (`function c(…){…}`)."""
    start = text.index(f"function {name}(")
    depth = 0
    for end in range(text.index("{", start), len(text)):
        depth += {"{": 1, "}": -1}.get(text[end], 0)
        if depth == 0:
            return text[start : end + 1]
    raise ValueError(f"function {name} has no end in the shim")


@functools.cache
def iframe_script(root: Path) -> str:
    """The exact text of the inline script the published shim writes into its iframe (for its CSP hash)."""
    text = shim_text(root)
    template = SHIM_IFRAME_SCRIPT.search(text).group(1)
    return template.replace("${c}", _function_source(text, "c")).replace("${d}", _function_source(text, "d"))


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
    """The published shim, written to a file of its own (the i18n plugin needs a source path for every file)."""
    _shim_path(config)
    text = shim_text(Path(config.config_file_path).parent)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    path = Path(tempfile.gettempdir(), f"rnk-iframe-worker-shim-{digest}.js")
    if not path.is_file():
        path.write_text(text, encoding="utf-8")
    return File.generated(config, SHIM_URL, abs_src_path=str(path))


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


def publish_bundle(dist_dir: Path, site_dir: Path) -> None:
    """Copy the newest bundle and its checksum, and the PDF editions, into the web site's downloads/ folder."""
    found = [*(latest_bundle(dist_dir) or ()), *latest_pdfs(dist_dir)]
    if found:
        target = site_dir / "downloads"
        target.mkdir(exist_ok=True)
        for path in found:
            shutil.copy2(path, target / path.name)
