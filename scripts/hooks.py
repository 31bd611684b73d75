"""MkDocs hooks: the project's build-time checks and rendering, wired to MkDocs events.

Each hook is thin: the rules live in the modules next to this file, which the command-line
tool (`scripts/docs.py`) shares. Every author mistake raises `PluginError` with the file, the
line and what to do, so `mkdocs build` stops before anything is published.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from rnk_briefings import (
    checks,
    citations,
    glossary,
    language_search,
    ledger,
    link_messages,
    offline,
    page_delivery,
    site_model,
)

# Filled by on_config: the checked site, shared by the page events of both language builds.
_site: checks.SiteIndex | None = None
_site_fingerprint: tuple = ()
# The default language's 404 page, kept from its build (see on_post_build).
_default_404: str | None = None


def _language(config: MkDocsConfig) -> str:
    return config.theme["language"]


def _switcher(config: MkDocsConfig) -> list[dict]:
    """The language switcher entries as the template sees them.

    The i18n plugin sets `extra.alternate` per page as an attribute, which Jinja reads before
    the dict item of the same name.
    """
    return getattr(config.extra, "alternate", None) or config.extra.get("alternate") or []


def _page_path(page: Page) -> tuple[str, str]:
    """(language, path relative to the language folder) of a page's source file."""
    lang, _, rel = page.file.src_uri.partition("/")
    return lang, rel


@event_priority(100)  # before the offline plugin, which adds a CDN copy of the shim when none is listed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the whole site (pages, translations, registry, citations) before building anything."""
    global _site, _site_fingerprint
    if offline.enabled(config):
        offline.use_local_shim(config)
    link_messages.install(Path(config.docs_dir))
    root = Path(config.config_file_path).parent
    fingerprint = checks.fingerprint(Path(config.docs_dir), root)
    if fingerprint == _site_fingerprint:
        return config  # this event runs twice per build (once per language): the sources are unchanged
    _site, problems = checks.check_site(Path(config.docs_dir), root)
    if problems:
        raise PluginError(site_model.report(problems))
    _site_fingerprint = fingerprint
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """JSON in the templates (the theme's config, the Article data) keeps Japanese as text, not \\u escapes.

    Jinja's `tojson` still escapes <, >, & and ' for HTML; the escapes tripled the size of Japanese.
    """
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The offline build ships its own copy of the worker shim (from the npm lock, no CDN)."""
    if offline.enabled(config):
        files.append(offline.shim_file(config))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Render the page as checked: data blocks, citations, its review line, the generated parts."""
    assert _site is not None
    lang, rel = _page_path(page)
    cited = _site.pages[lang][rel]  # the page as on_config checked it, data blocks expanded
    sources_page = files.get_file_from_path(f"{lang}/{citations.SOURCES_PAGE}")
    sources_url = get_relative_url(sources_page.url, page.url) if sources_page else ""
    markdown = citations.render_definitions(cited.page.body, sources_url, lang, cited, _site.sources)
    if checks.SOURCE_LIST_MARKER in markdown:
        source_list = citations.render_source_list(lang, _site.sources, _site.pages[lang])
        markdown = markdown.replace(checks.SOURCE_LIST_MARKER, source_list)
    markdown = checks.CHART_MARKER.sub(
        lambda m: ledger.render_chart(
            [_site.figures[i] for i in m.group(1).split()], lang, sources_url, f"chart-{m.start()}"
        ),
        markdown,
    )
    if offline.DOWNLOAD_MARKER in markdown:
        dist = Path(config.config_file_path).parent / "dist"
        download = offline.render_download(lang, dist, page.url, offline.enabled(config))
        markdown = markdown.replace(offline.DOWNLOAD_MARKER, download)
    return citations.render_page_meta(lang, cited.page.meta, cited, _site.sources) + markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Glossary terms explained on hover; footnotes and heading links named in the page's language."""
    assert _site is not None
    lang, rel = _page_path(page)
    if rel not in _site.glossary_pages.get(lang, {}):  # the pages that list the entries explain them in full
        html = glossary.annotate_terms(html, _site.terms, lang)
    return site_model.name_permalinks(citations.localise_footnotes(html, lang), lang)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Pages of the other language search their own language's index; lighter, faster HTML (page_delivery)."""
    lang = _page_path(page)[0]
    if lang != site_model.DEFAULT_LANGUAGE:
        output = language_search.point_search_at_language(output, lang)
    return page_delivery.deliver(output)


def on_page_context(context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any) -> dict[str, Any]:
    """Switcher links relative to the site; absolute hreflang alternates (plus x-default) for the head."""
    config.extra.alternate = site_model.site_relative_alternates(config.site_url or "/", _switcher(config))
    context["hreflang_links"] = site_model.hreflang_links(config.site_url or "", config.extra.alternate)
    return context


def on_pre_template(template: Any, template_name: str, config: MkDocsConfig) -> Any:
    """On the 404 page the switcher offers the two home pages (it has no counterpart page)."""
    if template_name == "404.html":
        config.extra.alternate = site_model.home_alternates(config.site_url or "/", _switcher(config))
    return template


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The 404 page delivered like the others; the default language's is kept (the other language's build overwrites it)."""
    global _default_404
    if template_name != "404.html":
        return output
    output = page_delivery.deliver(output)
    if _language(config) == site_model.DEFAULT_LANGUAGE:
        _default_404 = output
    return output


@event_priority(-110)  # after the i18n plugin (-100) has built the other language
def on_post_build(config: MkDocsConfig) -> None:
    """Once every language is built: the default language's 404 page at the root; the bundle beside the web site."""
    if config.plugins["i18n"].building:
        return
    if _default_404 is not None:
        Path(config.site_dir, "404.html").write_text(_default_404, encoding="utf-8")
    others = tuple(lang for lang in site_model.LANGUAGES if lang != site_model.DEFAULT_LANGUAGE)
    language_search.split_index(Path(config.site_dir), others)
    if not offline.enabled(config):
        offline.publish_bundle(Path(config.config_file_path).parent / "dist", Path(config.site_dir))
