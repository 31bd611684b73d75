"""Small HTML helpers for the tests (the standard library's parser; no extra dependency)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def tags(html: str, name: str, **required: str) -> list[dict[str, str]]:
    """Attributes of every <name> tag whose attributes include all of `required`."""
    parser = _Collector()
    parser.feed(html)
    wanted = {k.rstrip("_").replace("_", "-"): v for k, v in required.items()}
    return [attrs for tag, attrs in parser.tags if tag == name and all(attrs.get(k) == v for k, v in wanted.items())]


def page_url(site_url: str, rel: str) -> str:
    """The public URL of a built file (index.html is served as its folder)."""
    rel = rel.removesuffix("index.html")
    return urljoin(site_url, rel)
