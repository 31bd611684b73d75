"""Links between pages, written the way the generator writes them (one rule for every extension)."""

from __future__ import annotations

import posixpath

from ..inputs.publication import language_root
from .context import PageContext, page_url


def relative_url(target: str, base: str) -> str:
    """`target` (a URL from the site root) as seen from the page at `base` (also from the site root)."""
    base_dir = base if base.endswith("/") or not base else posixpath.dirname(base) + "/"
    relative = posixpath.relpath("/" + target, "/" + base_dir)
    if target.endswith("/") or not target:  # a folder stays a folder: "../sources/", "./"
        relative = relative.rstrip("/") + "/"
    return relative


def url_to(context: PageContext, path: str) -> str:
    """The link from the page being rendered to another page of its language (`sources.md`).

    MkDocs leaves links in raw HTML as they are, so they are written as the final URL; Zensical
    resolves them from the source file, so they are written as the path of the other page's source.
    """
    if context.links_from_source:
        return posixpath.relpath(path, posixpath.dirname(context.path) or ".")
    return relative_url(page_url(context, path), context.url)


def link_from(context, target: str) -> str:
    """A raw-HTML link from the page being rendered to a file of its language (`downloads/figures.csv`).

    MkDocs leaves raw HTML links as they are (so: the final URL, relative to the page); Zensical
    resolves them from the page's source file, as if the file were beside the language's pages.
    """
    if context.links_from_source:
        return posixpath.relpath(target, posixpath.dirname(context.path) or ".")
    return relative_url(language_root(context.language) + target, context.url)
