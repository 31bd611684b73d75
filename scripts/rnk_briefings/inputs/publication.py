"""What the site publishes besides its pages, and where: the site's settings, its licence and the address of every output.

The rendering links to the feeds, the data downloads and each briefing's BibTeX file, and the
publications (`publications.outputs`) write them; both take the names and addresses from here,
so a link and its file cannot disagree. The settings (`site_url`, the site's name and description
in each language) are read from mkdocs.yml as MkDocs reads them, so Zensical's build gets the same.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .revisions import display_date
from .site_model import DEFAULT_LANGUAGE, SAFE_LOADER

FEED = "feed.xml"
DOWNLOADS = "downloads"
DATASETS = ("figures", "timeline")
# A page asks for a dataset's download links with this line (rendered by rnk_briefings.mdx.cite).
DOWNLOADS_MARKER = re.compile(r"<!-- data-downloads: ([^>]*?) -->")
WHATS_NEW_PAGE = "whats-new.md"
DOWNLOAD_PAGE = "download.md"  # the editions, the data downloads and their licence
CITE_PAGES = "briefings/"  # the pages that end with "Cite this page"


@dataclass(frozen=True)
class Licence:
    """The licence of the site's own text and data (mkdocs.yml, `extra.licence`)."""

    name: str  # "CC BY 4.0"
    url: str
    short: dict[str, str]  # per language: the footer's line
    notice: dict[str, str]  # per language: what it covers and what it does not (the cited articles)


@dataclass(frozen=True)
class Settings:
    site_url: str  # ends with "/"
    site_name: dict[str, str]
    site_description: dict[str, str]
    licence: Licence
    repo_url: str  # the repository (REPO_URL, as in mkdocs.yml)


class _ConfigLoader(SAFE_LOADER):
    """Reads mkdocs.yml: `!ENV [NAME, default]` as MkDocs reads it, Python tags as nothing (libyaml's parser)."""


_ConfigLoader.add_constructor(
    "!ENV",
    lambda loader, node: (
        os.environ.get((values := loader.construct_sequence(node))[0], values[-1] if len(values) > 1 else None)
        if isinstance(node, yaml.SequenceNode)
        else os.environ.get(loader.construct_scalar(node))
    ),
)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@lru_cache(maxsize=8)
def _settings(path: Path, mtime: int, site_url: str | None, repo_url: str | None) -> Settings:
    config = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)
    names = {DEFAULT_LANGUAGE: config["site_name"]}
    descriptions = {DEFAULT_LANGUAGE: config.get("site_description", "")}
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            for language in plugin["i18n"].get("languages", []):
                names.setdefault(language["locale"], language.get("site_name", names[DEFAULT_LANGUAGE]))
                descriptions.setdefault(
                    language["locale"], language.get("site_description", descriptions[DEFAULT_LANGUAGE])
                )
    url = site_url or config.get("site_url") or "http://127.0.0.1:8000/"
    licence = (config.get("extra") or {}).get("licence") or {}
    if not {"name", "url", "short", "notice"} <= set(licence):
        raise ValueError(f"{path}: extra.licence needs name, url, short and notice (see the comment there)")
    repo = repo_url or config.get("repo_url") or ""
    return Settings(url if url.endswith("/") else url + "/", names, descriptions, Licence(**licence), repo)


def settings(root: Path, site_url: str | None = None) -> Settings:
    """The site's address (`site_url`, from SITE_URL as in mkdocs.yml) and its name in each language."""
    path = (root / "mkdocs.yml").resolve()
    return _settings(path, path.stat().st_mtime_ns, site_url or os.environ.get("SITE_URL"), os.environ.get("REPO_URL"))


def web_url(site_url: str, lang: str, path: str) -> str:
    """The published address of a page (`briefings/motives.md`) in a language: directory URLs."""
    stem = path.removesuffix(".md")
    tail = "" if stem == "index" else stem.removesuffix("/index") + "/"
    return site_url + ("" if lang == DEFAULT_LANGUAGE else f"{lang}/") + tail


def language_root(lang: str) -> str:
    """The folder of a language in the built site ("" or "en/")."""
    return "" if lang == DEFAULT_LANGUAGE else f"{lang}/"


def download_name(path: str) -> str:
    """The BibTeX file of a page: `briefings/motives.md` -> `downloads/cite-briefings-motives.bib`."""
    return f"{DOWNLOADS}/cite-{path.removesuffix('.md').replace('/', '-')}.bib"


def citation_text(lang: str, site_name: str, title: str, version: dt.date, url: str) -> str:
    """The recommended citation of a page version, in the page's language and its conventions."""
    date = display_date(version, lang)
    if lang == "ja":
        return f"「{title}」『{site_name}』{date}版、{url}"
    return f"“{title}”. {site_name}, version of {date}. {url}"
