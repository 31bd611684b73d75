"""The editions in `dist/`: the offline bundle and the PDFs that `make pdf` and `make offline` wrote, and their date.

`make publish` builds the PDFs and the bundle first and the web site last: the web site's
Download page lists what `dist/` holds, so the files are an input of the web build. This module
names them (`BUNDLE_NAME`, `PDF_NAME`), finds the newest of each, and dates a build the one
reproducible way: `SOURCE_DATE_EPOCH`, else the time of the commit being built, never today.
Read by the rendering (the Download page) and by the publications that write the files.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import time
from pathlib import Path

from .site_model import LANGUAGES

BUNDLE_NAME = "rnk-briefings-offline"
PDF_NAME = "rnk-briefings"


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


def edition_date(root: Path) -> dt.date:
    """The edition's date (UTC), by the bundle's rule: SOURCE_DATE_EPOCH, else the last commit's time.

    A rebuild of the same commit gives the same date, file names and PDF bytes.
    """
    return dt.datetime.fromtimestamp(source_date_epoch(root), dt.UTC).date()


def commit_id(root: Path) -> str:
    """The short id of the commit the edition is built from ('unknown' outside a git checkout)."""
    result = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], cwd=root, capture_output=True, text=True, check=False
    )
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unknown"


def pdf_name(lang: str, date: dt.date) -> str:
    return f"{PDF_NAME}-{lang}-{date.isoformat()}.pdf"


def latest_pdfs(dist_dir: Path) -> list[Path]:
    """The newest PDF edition of each language in dist_dir, in the site's language order."""
    found = [sorted(dist_dir.glob(f"{PDF_NAME}-{lang}-*.pdf"))[-1:] for lang in LANGUAGES]
    return [path for paths in found for path in paths]


def latest_bundle(dist_dir: Path) -> tuple[Path, Path] | None:
    """The newest bundle and its checksum file in dist/, if one has been built."""
    archives = sorted(dist_dir.glob(f"{BUNDLE_NAME}-*.zip"))
    if not archives:
        return None
    checksum = archives[-1].with_name(archives[-1].name + ".sha256")
    return (archives[-1], checksum) if checksum.is_file() else None
