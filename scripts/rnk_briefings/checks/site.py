"""Every check of the site's sources in one call, shared by the build hook and `scripts/docs.py check`.

It loads the data files (registry, figures, timeline, glossary), reads every page of both
languages, expands the data blocks that carry citations, and checks citations, translations and
Japanese–English parity. The build renders from the same expanded pages, so what is checked is
what is published.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..inputs import citations, geodata, glossary, ledger, registry, revisions, timeline
from ..inputs.editions import edition_date
from ..inputs.navigation import read_navigation
from ..inputs.publication import DATASETS, DOWNLOADS_MARKER
from ..inputs.site_model import LANGUAGES, Problem, missing_translations, nearest, page_files, read_page
from . import assets, content_policy, markers, navigation

SOURCE_LIST_MARKER = "<!-- source-list -->"
TIMELINE_MARKER = "<!-- timeline -->"
FIGURES_TABLE_MARKER = "<!-- figures-table -->"
GLOSSARY_MARKER = re.compile(r"<!-- glossary: ([^<>]*?) -->")
CHART_MARKER = re.compile(r"<!-- figures-chart: ([^<>]*?) -->")
MAP_MARKER = re.compile(r"<!-- map: ([^<>]*?) -->")
SCAFFOLD = re.compile(r"<!-- scaffold:")


@dataclass
class SiteIndex:
    """The checked site: its data and, per language, every page (data blocks expanded) and its citations."""

    sources: dict[str, registry.Source]
    figures: dict[str, ledger.Figure]
    events: list[timeline.Event]
    terms: list[glossary.Entry]
    pages: dict[str, dict[str, citations.PageCitations]]
    # Per language, the pages that list glossary entries, and the kinds each lists.
    glossary_pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    # Per language, each page's body as written (before its data blocks were expanded).
    written: dict[str, dict[str, str]] = field(default_factory=dict)
    # The edition's date (inputs.editions): forecasts dated before it have passed.
    as_of: dt.date | None = None
    # The locator maps of data/maps.yml by id.
    maps: dict[str, geodata.LocatorMap] = field(default_factory=dict)


def expand_blocks(
    body: str, lang: str, site: SiteIndex, path: str, first_line: int, rel: str | None = None
) -> tuple[str, list[Problem], list[str]]:
    """Expand figure references and the data blocks that contain citations; also the glossary kinds listed."""
    body, problems = ledger.expand_figure_refs(body, lang, site.figures, path, first_line)
    kinds: list[str] = []
    for marker, known, what, fix in (
        (CHART_MARKER, site.figures, "figure", "use ids from data/figures.yml"),
        (GLOSSARY_MARKER, glossary.KINDS, "glossary kind", f"use kinds from: {', '.join(glossary.KINDS)}"),
        (MAP_MARKER, site.maps, "map", "use ids from data/maps.yml"),
    ):
        for match in marker.finditer(body):  # before the expansions below move the lines
            line = first_line + body.count("\n", 0, match.start())
            for name in match.group(1).split():
                if name not in known:
                    near = nearest(name, known)
                    hint = f"did you mean '{near}'? ({fix})" if near else fix
                    problems.append(Problem(path, line, f"unknown {what} '{name}' in {match.group(0)}", hint))
                elif marker is GLOSSARY_MARKER:
                    kinds.append(name)
    if TIMELINE_MARKER in body:
        body = body.replace(TIMELINE_MARKER, timeline.render_timeline(site.events, lang, site.as_of))
    if FIGURES_TABLE_MARKER in body:
        body = body.replace(FIGURES_TABLE_MARKER, ledger.render_table(site.figures, lang))
    body = GLOSSARY_MARKER.sub(
        lambda m: glossary.render_glossary(site.terms, lang, [k for k in m.group(1).split() if k in glossary.KINDS]),
        body,
    )
    if site.maps:
        terms = {entry.id: entry for entry in site.terms}
        notes: list[str] = []

        def expand_map(match: re.Match) -> str:
            if match.group(1).strip() not in site.maps:
                return match.group(0)  # reported above
            line, found = geodata.render_map_text(
                site.maps[match.group(1).strip()], terms, site.sources, lang, rel or path
            )
            notes.extend(found)
            return line

        body = MAP_MARKER.sub(expand_map, body)
        if notes:  # at the end, where they move no line of the page
            body = body.rstrip("\n") + "\n\n" + "\n".join(notes) + "\n"
    return body, problems, kinds


def fingerprint(docs_dir: Path, root: Path) -> tuple:
    """What the checks read: every file under docs/, data/ and overrides/, by path, size and modification time.

    `lstat`, so that a symlink (which the content policy refuses) is seen as itself, even when broken.
    """
    folders = (docs_dir, root / "data", root / "overrides")
    files = sorted(f for folder in folders for f in folder.rglob("*") if f.is_symlink() or f.is_file())
    return tuple((str(f), f.lstat().st_size, f.lstat().st_mtime_ns) for f in files)


def policy_problems(docs_dir: Path, root: Path) -> list[Problem]:
    """The content policy's problems alone: files that must never be read, copied or published.

    Checked once per state of the files (the build hook asks before MkDocs copies anything, and
    `check_site` again when it starts).
    """
    return list(_policy_problems(docs_dir, root, fingerprint(docs_dir, root)))


@functools.lru_cache(maxsize=4)
def _policy_problems(docs_dir: Path, root: Path, files: tuple) -> tuple[Problem, ...]:
    found = assets.explain_refused_names(content_policy.check(docs_dir, root), docs_dir)
    return tuple(_relative_to(root, p) for p in found)


def check_site(docs_dir: Path, root: Path) -> tuple[SiteIndex, list[Problem]]:
    """Check data, pages, translations, citations and parity; return the index and the problems."""
    site, problems, comparisons = index_site(docs_dir, root)
    return site, comparisons.run() if comparisons else problems


@dataclass
class Comparisons:
    """The checks that only compare what `index_site` read (the two languages, the revisions, the glossary's use).

    They add problems and change nothing the pages are rendered from, so a build can run them
    while it renders (`mdx.site`); `run()` gives every problem of the site, in the order
    `check_site` reports them.
    """

    root: Path
    site: SiteIndex
    problems: list[Problem]
    incomplete: set[tuple[str, str]]

    def run(self) -> list[Problem]:
        return _compare(self.root, self.site, self.problems, self.incomplete)


def index_site(docs_dir: Path, root: Path) -> tuple[SiteIndex, list[Problem], Comparisons | None]:
    """Read and check the data and the pages, and expand the pages' data blocks: what the build renders from.

    Returns the index, the problems found so far and the comparisons still to run (None when a
    problem found so far makes them pointless: a refused file, a broken registry).
    """
    if policy := policy_problems(docs_dir, root):  # files that must not be read or published: these first
        return SiteIndex({}, {}, [], [], {lang: {} for lang in LANGUAGES}), policy, None
    problems = missing_translations(docs_dir)
    data = root / "data"
    sources, found = registry.load_registry(data / "sources.yml")
    if found:  # everything else cites the registry: fix it first rather than read a cascade of errors
        return (
            SiteIndex({}, {}, [], [], {lang: {} for lang in LANGUAGES}),
            [_relative_to(root, p) for p in problems + found],
            None,
        )
    figures, found = ledger.load_figures(data / "figures.yml", sources)
    problems += found
    events, found = timeline.load_timeline(data / "timeline.yml", sources)
    problems += found
    terms, found = glossary.load_glossary(data / "glossary.yml", set(sources))
    problems += found
    located, derived, found = geodata.locate(root, terms, data / "glossary.yml")
    problems += found
    maps, found = geodata.load_maps(data / "maps.yml", root, terms, located, derived)
    problems += found + geodata.dataset_problems(root, sources, data / "sources.yml")
    if any(key not in sources for key in geodata.DATASETS):
        maps = {}  # their captions cite the data sets
    site = SiteIndex(
        sources, figures, events, terms, {lang: {} for lang in LANGUAGES}, as_of=edition_date(root), maps=maps
    )
    # Pages whose data blocks name unknown ids: their expansion is incomplete, so comparing them
    # with the other language (or counting the glossary kinds listed) would only repeat the mistake.
    incomplete: set[tuple[str, str]] = set()
    for lang in LANGUAGES:
        language_root = docs_dir / lang
        for path in sorted(language_root.rglob("*.md")):
            page = read_page(path)
            rel = path.relative_to(language_root).as_posix()
            site.written.setdefault(lang, {})[rel] = page.body
            malformed = markers.check(page.body, path.as_posix(), page.body_line, figures)
            page.body, found, kinds = expand_blocks(page.body, lang, site, path.as_posix(), page.body_line, rel)
            found = malformed + found
            cited = citations.parse_page(page, sources)
            revisions.page_revisions(page)  # read with the page: its history is rendered from them
            site.pages[lang][rel] = cited
            if kinds:
                site.glossary_pages.setdefault(lang, {})[rel] = kinds
            if found:
                incomplete.add((lang, rel))
            problems += page.problems + found + cited.problems
            for offset, line in enumerate(page.body.split("\n")):
                if SCAFFOLD.search(line):
                    problems.append(
                        Problem(
                            path.as_posix(),
                            page.body_line + offset,
                            "the page still has a scaffold instruction",
                            "replace it with your own cited text",
                        )
                    )
        if not any(language == lang for language, _ in incomplete):
            problems += _unlisted_kinds(site, lang, docs_dir)
        sources_page = site.pages[lang].get(citations.SOURCES_PAGE)
        malformed = (lang, citations.SOURCES_PAGE) in incomplete  # a misspelt marker: reported at its line
        if sources_page and SOURCE_LIST_MARKER not in sources_page.page.body and not malformed:
            problems.append(
                Problem(
                    sources_page.page.path.as_posix(),
                    sources_page.page.body_line,
                    f"the Sources page lacks the line {SOURCE_LIST_MARKER}",
                    "put it where the generated source list belongs",
                )
            )
    pages = {lang: page_files(docs_dir, lang) for lang in LANGUAGES}
    nav_problems = navigation.check(read_navigation(root / "mkdocs.yml"), pages, "mkdocs.yml", docs_dir)
    for lang in LANGUAGES:  # a page whose list of briefings lacks one: not compared with its counterpart too
        incomplete |= {
            (lang, rel) for rel in pages[lang] if (docs_dir / lang / rel).as_posix() in {p.file for p in nav_problems}
        }
    problems += nav_problems
    return site, [_relative_to(root, p) for p in problems], Comparisons(root, site, problems, incomplete)


def _compare(root: Path, site: SiteIndex, problems: list[Problem], incomplete: set[tuple[str, str]]) -> list[Problem]:
    """The problems so far and those of the comparisons (see `Comparisons`)."""
    # Imported here, by the comparisons alone: a build runs them in its second process (`mdx.site`),
    # so the process that renders the pages never compiles their many patterns.
    from . import citation_parity, claims, glossary_use, parity

    problems = list(problems)
    data = root / "data"
    ja, en = LANGUAGES
    sources = site.sources
    parties = claims.named_parties(site.terms, sources)
    for rel in sorted(site.pages[ja].keys() & site.pages[en].keys()):
        if (ja, rel) not in incomplete and (en, rel) not in incomplete:
            differences = parity.compare(site.pages[ja][rel], site.pages[en][rel], set(sources))
            found, superseded = citation_parity.compare(site.pages[ja][rel], site.pages[en][rel], set(sources))
            problems = [p for p in problems if p not in superseded] + differences + found
            if not differences and not found:  # same claims in both languages: now, as strong and as attributed?
                problems += claims.compare(site.pages[ja][rel], site.pages[en][rel], parties)
    # Revision histories, their dates and their parity; a page whose data blocks are incomplete
    # lacks the headings its revisions name: checked once its markers are fixed.
    complete = {
        lang: {
            rel: cited
            for rel, cited in site.pages[lang].items()
            if (ja, rel) not in incomplete and (en, rel) not in incomplete
        }
        for lang in LANGUAGES
    }
    problems += revisions.check_site(complete)
    if not any(p.file.endswith("glossary.yml") for p in problems):
        problems += glossary_use.check(site.terms, _read_texts(site), _page_files(site), data / "glossary.yml")
    problems += _download_markers(site.pages)
    problems += _unnamed_places(site, data / "maps.yml")
    return [_relative_to(root, p) for p in problems]


def _read_texts(site: SiteIndex) -> dict[str, dict[str, str]]:
    """Per language, each page's text as readers get it (data expanded), but glossary lists as written."""
    return {
        lang: {
            rel: site.written[lang][rel] if rel in site.glossary_pages.get(lang, {}) else cited.page.body
            for rel, cited in site.pages[lang].items()
        }
        for lang in LANGUAGES
    }


def _page_files(site: SiteIndex) -> dict[str, dict[str, Path]]:
    return {lang: {rel: cited.page.path for rel, cited in site.pages[lang].items()} for lang in LANGUAGES}


def _unlisted_kinds(site: SiteIndex, lang: str, docs_dir: Path) -> list[Problem]:
    """Every glossary entry is listed on a page: each kind in use appears in one glossary block."""
    listed = [k for kinds in site.glossary_pages.get(lang, {}).values() for k in kinds]
    problems = []
    for kind in dict.fromkeys(entry.kind for entry in site.terms):
        if listed.count(kind) != 1:
            where = "no page" if not listed.count(kind) else "more than one page"
            problems.append(
                Problem(
                    (docs_dir / lang / "glossary.md").as_posix(),
                    1,
                    f"glossary kind '{kind}' is listed on {where} of the {lang} site",
                    f"name it in exactly one `<!-- glossary: ... -->` line of docs/{lang}/",
                )
            )
    return problems


def _unnamed_places(site: SiteIndex, maps_path: Path) -> list[Problem]:
    """Every place on a map is named, in each language, in the text of some page as written (not only in a list)."""
    problems = []
    terms = {entry.id: entry for entry in site.terms}
    for locator_map in site.maps.values():
        for place in locator_map.places:
            for lang in LANGUAGES:
                name = terms[place.id].name[lang]
                if not any(name in text for text in site.written.get(lang, {}).values()):
                    problems.append(
                        Problem(
                            str(maps_path),
                            locator_map.line,
                            f"map '{locator_map.id}' shows '{place.id}', which no {lang} page names ({name})",
                            "name the place, with its citation, where a page tells what happened there, or take it off the map",
                        )
                    )
    return problems


def _download_markers(pages: dict[str, dict]) -> list[Problem]:
    """`<!-- data-downloads: NAME -->` names a dataset the build writes."""
    problems = []
    for lang in LANGUAGES:
        for cited in pages.get(lang, {}).values():
            text = cited.page.path.read_text(encoding="utf-8")
            for match in DOWNLOADS_MARKER.finditer(text):
                if match.group(1).strip() not in DATASETS:
                    line = text.count("\n", 0, match.start()) + 1
                    problems.append(
                        Problem(
                            cited.page.path.as_posix(),
                            line,
                            f"unknown dataset '{match.group(1).strip()}' in {match.group(0)}",
                            f"use one of: {', '.join(DATASETS)}",
                        )
                    )
    return problems


def _relative_to(root: Path, problem: Problem) -> Problem:
    """Name files relative to the project, as an author sees them in the repository."""
    prefix = root.resolve().as_posix().rstrip("/") + "/"
    return Problem(
        *(value.replace(prefix, "") if isinstance(value, str) else value for value in vars(problem).values())
    )
