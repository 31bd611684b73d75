"""MkDocs hooks: only what is specific to MkDocs and Material for MkDocs.

The pages themselves are rendered by the project's Python-Markdown extensions
(`rnk_briefings.mdx`, listed under `markdown_extensions:` in mkdocs.yml), which any generator
running Python-Markdown runs too. These hooks wire the rest, like Material's own hooks:

- the checks (the same code as `scripts/docs.py check`), started before anything is built (after
  the content policy, a second process reads the sources and compares the languages while MkDocs
  lists and renders, `mdx.site`) and reported with MkDocs' own link and anchor validation, so
  that one run reports everything, with file and line; a mistake fails the build at its end;
  `mkdocs serve` prints it and goes on serving;
- the language switcher and absolute hreflang alternates (mkdocs-static-i18n's `extra.alternate`);
- the bilingual 404 page at the root (the i18n plugin leaves the last-built language there);
- the per-language search index (Material's search plugin writes one index for both);
- the offline bundle's local worker shim (Material's offline plugin would load it from a CDN);
- page delivery (Material's script deferred, no template indentation, the Content-Security-Policy of the
  build's kind: web or offline) and JSON in templates.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from rnk_briefings.checks import links as link_messages
from rnk_briefings.checks import site as checks
from rnk_briefings.inputs import site_model
from rnk_briefings.mdx.site import site_and_problems, start_checks
from rnk_briefings.publications import language_search, offline, outputs, page_delivery

log = logging.getLogger("mkdocs.plugins.rnk_briefings")

# The default language's 404 page, kept from its build (see on_post_build).
_default_404: str | None = None
# `mkdocs serve` or `mkdocs build` (on_startup), and the checks' problems (on_env), reported at the end of the build.
_command = "build"
_problems: list[site_model.Problem] = []
# Set by `scripts/docs.py build`, which has printed the checks' report before building.
REPORTED = "RNK_CHECKS_REPORTED"


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


def _offline_script(config: MkDocsConfig) -> str | None:
    """The build's kind for its Content-Security-Policy: None for the web, the shim's iframe script offline."""
    return offline.iframe_script(Path(config.config_file_path).parent) if offline.enabled(config) else None


def on_startup(command: str, dirty: bool) -> None:
    """Remember whether this is `mkdocs serve`, which reports problems and keeps serving."""
    global _command
    _command = command


@event_priority(100)  # before the offline plugin, which adds a CDN copy of the shim when none is listed
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Check the whole site (pages, translations, registry, citations, data) before building anything.

    Files the content policy refuses stop the build here, before MkDocs copies or renders them.
    Other problems do not: MkDocs goes on to validate links and anchors, so one run reports every
    mistake, and the build fails at its end (on_post_build). This event runs once per language;
    the checks run once.
    """
    if offline.enabled(config):
        offline.use_local_shim(config)
    link_messages.install(Path(config.docs_dir))
    root = Path(config.config_file_path).parent
    other_language = config.plugins["i18n"].building  # the i18n plugin building the second language
    if not other_language and (policy := checks.policy_problems(Path(config.docs_dir), root)):  # before a copy
        reported = os.environ.get(REPORTED) == "1"
        raise PluginError(f"{len(policy)} problem(s), listed above" if reported else site_model.report(policy))
    start_checks(root)
    return config


def on_env(env: Any, config: MkDocsConfig, files: Files) -> Any:
    """The checks' problems, once the first language's pages are rendered; JSON in templates as text.

    The problems are logged as errors (MkDocs' strict mode counts them), unless `scripts/docs.py
    build` has printed them already. Logged here, before the other language is built, they are
    reported even when MkDocs stops that build on its own warnings; the comparisons that ran while
    the pages rendered (`mdx.site`) are done by now.

    Jinja's `tojson` keeps Japanese as text, not \\u escapes (which tripled its size); it still
    escapes <, >, & and ' for HTML.
    """
    global _problems
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    if not config.plugins["i18n"].building:
        _problems = site_and_problems(Path(config.config_file_path).parent)[1]
        if os.environ.get(REPORTED) != "1":
            for problem in _problems:
                log.error(str(problem))
    return env


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """The offline build ships its own copy of the worker shim (from the npm lock, no CDN); link messages know the pages."""
    link_messages.install(Path(config.docs_dir), files)
    if offline.enabled(config):
        files.append(offline.shim_file(config))
    return files


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """Note the page's anchors, so that a link to a missing one can be told the nearest (link_messages)."""
    link_messages.ANCHORS[page.file.src_uri] = set(page.present_anchor_ids or ())
    return html


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Pages of the other language search their own language's index; lighter, faster HTML (page_delivery)."""
    lang = _page_path(page)[0]
    if lang != site_model.DEFAULT_LANGUAGE:
        output = language_search.point_search_at_language(output, lang)
    return page_delivery.deliver(output, _offline_script(config))


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
    output = page_delivery.deliver(output, _offline_script(config))
    if _language(config) == site_model.DEFAULT_LANGUAGE:
        _default_404 = output
    return output


@event_priority(-110)  # after the i18n plugin (-100) has built the other language
def on_post_build(config: MkDocsConfig) -> None:
    """Once every language is built: the checks' problems; the 404 page at the root; the bundle beside the site."""
    if config.plugins["i18n"].building:
        return
    if _problems and _command != "serve":  # `mkdocs serve` keeps serving: the next save rebuilds
        raise PluginError(f"the checks found {len(_problems)} problem(s), listed above")
    if _default_404 is not None:
        Path(config.site_dir, "404.html").write_text(_default_404, encoding="utf-8")
    others = tuple(lang for lang in site_model.LANGUAGES if lang != site_model.DEFAULT_LANGUAGE)
    language_search.split_index(Path(config.site_dir), others)
    outputs.write_outputs(Path(config.config_file_path).parent, Path(config.site_dir), config.site_url)
    if not offline.enabled(config):
        offline.publish_bundle(Path(config.config_file_path).parent / "dist", Path(config.site_dir))
