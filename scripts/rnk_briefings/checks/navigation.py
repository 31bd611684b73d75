"""The nav and the pages agree, at the mkdocs.yml line to edit.

- every nav entry is a page of both languages (a page of one language only is reported by
  site_model.missing_translations);
- every page of both languages is in the nav, with the line to add it after;
- a language's own `nav:` (the i18n plugin's `languages:`) lists the same pages in the same order
  as the shared one (its titles may differ);
- the lists of briefings on the home and overview pages link every page of the nav's briefings
  folder, in the nav's order, so that a new briefing cannot be left out of them.

MkDocs' own nav messages say the same without a line; links.py leaves them out.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from pathlib import Path

from ..inputs.navigation import Navigation, NavPage
from ..inputs.site_model import LANGUAGES, Problem

BRIEFINGS = "briefings/"
# The pages that list every briefing (a list of links to them), relative to each language folder.
LISTING_PAGES = ("index.md", "overview.md")
# A list item that starts with a link to a page: `- [Motives](briefings/motives.md): …`.
LINKED_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s+\[[^\]]*\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")


def check(navigation: Navigation, pages: dict[str, set[str]], mkdocs_yml: str, docs_dir: Path) -> list[Problem]:
    """Every way the nav and the pages disagree; `pages`: per language, the page paths."""
    if not navigation.pages:
        return []
    both = pages[LANGUAGES[0]] & pages[LANGUAGES[1]]
    any_language = pages[LANGUAGES[0]] | pages[LANGUAGES[1]]
    listed = [page.path for page in navigation.pages]
    problems = []
    meant: set[str] = set()  # pages a misspelt entry stands for: not reported again as left out
    for page in navigation.pages:
        if page.path not in any_language:
            near = _nearest_page(page.path, sorted(both - set(listed)) or sorted(both))
            meant.update(p for p in [near] if p and p not in listed)
            problems.append(
                Problem(
                    mkdocs_yml,
                    page.line,
                    f"the nav lists '{page.path}', which is not a page (no docs/ja/{page.path} or docs/en/{page.path})",
                    (f"did you mean '{near}'? or " if near else "")
                    + f"remove line {page.line}, or create the page in both languages (make new-page)",
                )
            )
    for rel in sorted(both - set(listed) - meant):
        after = _neighbour(navigation.pages, rel)
        where = (
            f"after line {after.line} ('{after.path}')" if after else f"at the end of nav: (line {navigation.end_line})"
        )
        problems.append(
            Problem(
                mkdocs_yml,
                after.line if after else navigation.end_line,
                f"docs/ja/{rel} and docs/en/{rel} are not in the nav, so readers cannot reach them",
                f"add `- {rel}` to nav: in mkdocs.yml {where}",
            )
        )
    for locale, own in navigation.overrides.items():
        problems += _override(locale, own, navigation.pages, mkdocs_yml)
    problems += _briefing_lists([page for page in navigation.pages if page.path in both], docs_dir)
    return problems


def _nearest_page(path: str, pages: list[str]) -> str | None:
    """The page a misspelt nav entry meant: the closest file name (the folder and .md alike in all)."""
    stems = {posixpath.splitext(posixpath.basename(p))[0]: p for p in pages}
    close = difflib.get_close_matches(posixpath.splitext(posixpath.basename(path))[0], list(stems), n=1, cutoff=0.75)
    return stems[close[0]] if close else None


def _neighbour(nav: list[NavPage], rel: str) -> NavPage | None:
    """The nav entry a missing page belongs after: the last page of its folder, else the last entry."""
    folder = posixpath.dirname(rel)
    same = [page for page in nav if posixpath.dirname(page.path) == folder and folder]
    return same[-1] if same else (nav[-1] if nav else None)


def _override(locale: str, own: list[NavPage], shared: list[NavPage], mkdocs_yml: str) -> list[Problem]:
    """A language's own nav lists the shared nav's pages in the same order: one message, at the first difference."""
    mine, theirs = [p.path for p in own], [p.path for p in shared]
    if mine == theirs:
        return []
    for index, page in enumerate(own):
        if index >= len(theirs) or page.path != theirs[index]:
            expected = theirs[index] if index < len(theirs) else None
            found = (
                f"lists '{page.path}' where the shared nav has '{expected}' (line {shared[index].line})"
                if expected
                else f"lists '{page.path}', which the shared nav does not"
            )
            return [
                Problem(
                    mkdocs_yml,
                    page.line,
                    f"the {locale} nav {found}: the languages would list their pages in different orders",
                    "give both languages the same pages in the same order: remove the "
                    f"{locale} `nav:` (page titles come from each page's front matter, section titles "
                    "from nav_translations), or order it as the shared nav",
                )
            ]
    missing = theirs[len(mine)]
    return [
        Problem(
            mkdocs_yml,
            own[-1].line if own else shared[0].line,
            f"the {locale} nav leaves out '{missing}', which the shared nav lists (line {shared[len(mine)].line})",
            f"add '{missing}' to the {locale} nav, or remove the {locale} `nav:`",
        )
    ]


def _briefing_lists(nav: list[NavPage], docs_dir: Path) -> list[Problem]:
    """The home and overview pages list every briefing of the nav, in its order (at the list's lines)."""
    briefings = [page.path for page in nav if page.path.startswith(BRIEFINGS)]
    problems = []
    for lang in LANGUAGES:
        for name in LISTING_PAGES:
            path = docs_dir / lang / name
            if not path.is_file() or not briefings:
                continue
            lines = path.read_text(encoding="utf-8").split("\n")
            # The list items that link a briefing, each with its line: the page's list of briefings.
            linked = []
            for number, text in enumerate(lines, 1):
                item = LINKED_ITEM.match(text)
                target = posixpath.normpath(posixpath.join(posixpath.dirname(name), item.group(1))) if item else ""
                if target.startswith(BRIEFINGS):
                    linked.append((number, target))
            if not linked:
                continue
            order = [target for _, target in linked]
            shown = path.as_posix()
            missing = []
            for index, rel in enumerate(briefings):
                if rel in order:
                    continue
                before = next((line for line, target in linked if target in briefings[index + 1 :]), None)
                where = f"before line {before}" if before else f"after line {linked[-1][0]}"
                missing.append(
                    Problem(
                        shown,
                        before or linked[-1][0],
                        f"the list of briefings does not link {rel}, which the nav lists",
                        f"add an item `[title]({posixpath.relpath(rel, posixpath.dirname(name) or '.')}): …` {where}",
                    )
                )
            problems += missing
            in_nav = [(line, target) for line, target in linked if target in briefings]
            expected = [rel for rel in briefings if rel in order]
            if not missing and [target for _, target in in_nav] != expected:
                line = next(line for (line, target), want in zip(in_nav, expected, strict=True) if target != want)
                problems.append(
                    Problem(
                        shown,
                        line,
                        "the list of briefings is not in the nav's order",
                        f"order it as the nav: {', '.join(briefings)}",
                    )
                )
    return problems


def add_to_briefing_lists(docs_dir: Path, rel: str, titles: dict, descriptions: dict) -> list[str]:
    """List a new briefing on the home and overview pages, after their last briefing (numbers follow on).

    Used by `make new-page` (and the benchmark), so that the lists the checks compare with the nav
    need no hand edit; returns the pages changed.
    """
    if not rel.startswith(BRIEFINGS):
        return []
    changed = []
    for lang in ("ja", "en"):
        for name in LISTING_PAGES:
            path = docs_dir / lang / name
            if not path.is_file():
                continue
            lines = path.read_text(encoding="utf-8").split("\n")
            items = [i for i, text in enumerate(lines) if (m := LINKED_ITEM.match(text)) and "briefings/" in m.group(1)]
            if not items:
                continue
            last = lines[items[-1]]
            marker = re.match(r"^(\s*)([-*+]|\d+\.)\s+", last)
            indent, bullet = marker.group(1), marker.group(2)
            link = re.sub(r"\[[^\]]*\]\(([^)]*)\).*$", r"\1", last[marker.end() :])
            target = link.rsplit("briefings/", 1)[0] + rel
            title = re.sub(r"([\[\]])", r"\\\1", titles[lang])
            separator = "：" if lang == "ja" else ": "
            number = int(bullet[:-1]) + 1 if bullet.endswith(".") else None
            lines.insert(
                items[-1] + 1,
                f"{indent}{f'{number}.' if number else bullet} [{title}]({target}){separator}{descriptions[lang]}",
            )
            at = items[-1] + 2
            while number and at < len(lines) and (following := re.match(r"^(\s*)(\d+)\.(\s)", lines[at])):
                number += 1
                lines[at] = f"{following.group(1)}{number}.{following.group(3)}{lines[at][following.end() :]}"
                at += 1
            path.write_text("\n".join(lines), encoding="utf-8")
            changed.append(f"docs/{lang}/{name}")
    return changed
