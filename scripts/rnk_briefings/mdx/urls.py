"""Links between pages, written the way the generator writes them (one rule for every extension)."""

from __future__ import annotations

import posixpath

from .context import PageContext, page_url


def relative_url(target: str, base: str) -> str:
    """`target` (a URL from the site root) as seen from the page at `base` (also from the site root)."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    relative = posixpath.relpath("/" + target, "/" + base_dir)
    if target.endswith("/") or not target:  # a folder stays a folder: "../sources/", "./"
        relative = relative.rstrip("/") + "/"
    return relative


def url_to(context: PageContext, path: str) -> str:
    """The link from the page being rendered to another page of its language (`sources.md`)."""
    return relative_url(page_url(context, path), context.url)
