"""Which page is being rendered: its language, path and URL, under MkDocs or Zensical.

Python-Markdown gives an extension the text of a page but not the page itself. Both
generators leave a processor on the `Markdown` instance that knows it, and this module reads it:

- **MkDocs** (with mkdocs-static-i18n, folder structure) registers its link-rewriting
  treeprocessor `relpath`, which holds the page's `File`: `src_uri` is `ja/briefings/motives.md`,
  so the first folder is the language; `url` is the page's address from the site root
  (`en/briefings/motives/`). The build's `use_directory_urls` is on its `config`.
- **Zensical** (with zensical-i18n) registers the preprocessor `rendering_context`, which holds
  the page (`path` relative to the language's docs folder, `url` from the language's root) and
  the configuration, where zensical-i18n sets `theme.language` and `extra.i18n.prefix` (`en/`)
  for each language it builds. Zensical resolves every relative link of a page, raw HTML
  included, from the page's source file, as if it were a Markdown link (zensical#258, #571).

Outside a generator (a unit test calling `markdown.markdown`), there is no page: `page_context`
returns None and the extensions leave the text as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from markdown import Markdown

from ..inputs.site_model import LANGUAGES


@dataclass(frozen=True)
class PageContext:
    """The page being rendered."""

    language: str  # "ja" or "en"
    path: str  # the page's path below its language folder, e.g. "briefings/motives.md"
    url: str  # the page's URL from the site root, e.g. "en/briefings/motives/" or "briefings/motives.html"
    root: Path  # the project folder (the one holding mkdocs.yml, docs/ and data/)
    use_directory_urls: bool
    offline: bool  # built as the offline bundle (Material's offline plugin enabled)
    links_from_source: bool = False  # the generator resolves relative links from the source file (Zensical)


def page_context(md: Markdown) -> PageContext | None:
    """The page `md` is rendering, or None when it renders outside a generator."""
    if "relpath" in md.treeprocessors:
        return _mkdocs(md.treeprocessors["relpath"])
    if "rendering_context" in md.preprocessors:
        return _zensical(md.preprocessors["rendering_context"])
    return None


def _mkdocs(relpath) -> PageContext | None:
    file, config = getattr(relpath, "file", None), getattr(relpath, "config", None)
    if file is None or config is None:
        return None
    language, _, path = file.src_uri.partition("/")
    if language not in LANGUAGES:
        return None
    plugin = config.plugins.get("material/offline")
    return PageContext(
        language=language,
        path=path,
        url=file.url,
        root=Path(config.config_file_path).parent,
        use_directory_urls=config.use_directory_urls,
        offline=bool(plugin and plugin.config.enabled),
    )


def _zensical(rendering_context) -> PageContext | None:
    page, config = rendering_context.page, rendering_context.config
    language = config.get("theme", {}).get("language")
    if language not in LANGUAGES:
        return None
    prefix = config.get("extra", {}).get("i18n", {}).get("prefix", "")
    return PageContext(
        language=language,
        path=Path(page.path).as_posix(),
        url=prefix + page.url.lstrip("/"),
        root=Path.cwd(),  # zensical-i18n runs each language's build from the project folder
        use_directory_urls=bool(config.get("use_directory_urls", True)),
        offline=False,
        links_from_source=True,
    )


def page_url(context: PageContext, path: str) -> str:
    """The URL (from the site root) of another page of the same language, as the generator writes it."""
    stem = path.removesuffix(".md")
    if context.use_directory_urls:
        url = "" if stem == "index" else stem.removesuffix("/index") + "/"
    else:
        url = stem + ".html"
    return ("" if context.language == LANGUAGES[0] else f"{context.language}/") + url
