"""Every check of the site's sources in one call, shared by the build hook and `scripts/docs.py check`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import citations
import registry
from site_model import LANGUAGES, Problem, missing_translations

SOURCE_LIST_MARKER = "<!-- source-list -->"


@dataclass
class SiteIndex:
    """The checked site: the registry and, per language, every page's citations."""

    sources: dict[str, registry.Source]
    pages: dict[str, dict[str, citations.PageCitations]]


def check_site(docs_dir: Path, root: Path) -> tuple[SiteIndex, list[Problem]]:
    """Check pages, translations, the registry and all citations; return the index and the problems."""
    problems = missing_translations(docs_dir)
    sources, registry_problems = registry.load_registry(root / "data" / "sources.yml")
    problems += registry_problems
    pages = {lang: citations.scan_language(docs_dir, lang, sources) for lang in LANGUAGES}
    for lang in LANGUAGES:
        for rel, cited in pages[lang].items():
            problems += cited.page.problems + cited.problems
        sources_page = pages[lang].get(citations.SOURCES_PAGE)
        if sources_page and SOURCE_LIST_MARKER not in sources_page.page.body:
            problems.append(
                Problem(
                    sources_page.page.path.as_posix(),
                    sources_page.page.body_line,
                    f"the Sources page lacks the line {SOURCE_LIST_MARKER}",
                    "put it where the generated source list belongs",
                )
            )
    problems += citations.compare_languages(pages)
    return SiteIndex(sources, pages), [_relative_to(root, p) for p in problems]


def _relative_to(root: Path, problem: Problem) -> Problem:
    """Name files relative to the project, as an author sees them in the repository."""
    prefix = root.resolve().as_posix().rstrip("/") + "/"
    return Problem(*(value.replace(prefix, "") if isinstance(value, str) else value for value in vars(problem).values()))
