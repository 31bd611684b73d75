"""Revision histories: the rules on the front matter (file and line), and the history at the foot of every page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, assert_build_fails
from htmltools import tags
from rnk_briefings.inputs.citations import PageCitations
from rnk_briefings.inputs.revisions import check_site, read_revisions
from rnk_briefings.inputs.site_model import read_page

FRONT = """---
title: Test
description: A test page.
published: 2026-11-21
reviewed: 2026-12-01
{revisions}---

## Key points

Text.

## Second heading

More text.
"""


def _page(tmp_path: Path, revisions: str, name: str = "page.md", lang: str = "en") -> Path:
    path = tmp_path / "docs" / lang / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT.format(revisions=revisions), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    page = read_page(path)
    assert page.problems == []
    return [f"{p.line}: {p.message}" for p in read_revisions(page)[1]]


def test_a_valid_history_is_read_newest_first(tmp_path):
    path = _page(
        tmp_path,
        "revisions:\n  - date: 2026-12-01\n    summary: Corrected.\n    correction: true\n    section: second-heading\n"
        "  - date: 2026-11-21\n    summary: First published.\n",
    )
    revisions, problems = read_revisions(read_page(path))
    assert problems == []
    assert [(r.date, r.correction, r.section, r.line) for r in revisions] == [
        (dt.date(2026, 12, 1), True, "second-heading", 7),
        (dt.date(2026, 11, 21), False, None, 11),
    ]


@pytest.mark.parametrize(
    "revisions, expected",
    [
        ("", ["1: front matter has no revision history"]),
        ("revisions:\n  - date: 2026-11\n    summary: First published.\n", ["7: revision date is not a full date"]),
        ("revisions:\n  - date: 2026-11-21\n    summary: ' '\n", ["7: the revision of 2026-11-21 has no summary"]),
        (
            "revisions:\n  - date: 2026-11-21\n    summary: First published.\n  - date: 2026-11-25\n    summary: Later.\n",
            ["9: revisions are not newest first", "9: the oldest revision (2026-11-25) is not the first publication"],
        ),
        (
            "revisions:\n  - date: 2026-12-02\n    summary: Too late.\n  - date: 2026-11-21\n    summary: First.\n",
            ["7: the revision of 2026-12-02 is later than 'reviewed' (2026-12-01)"],
        ),
        (
            "revisions:\n  - date: 2026-11-21\n    summary: First.\n    section: no-such-heading\n",
            ["7: the revision of 2026-11-21 names section 'no-such-heading', which is not a heading"],
        ),
        (
            "revisions:\n  - date: 2026-11-21\n    summary: First.\n    correction: yes please\n",
            ["7: 'correction' of the revision of 2026-11-21 is not true or false"],
        ),
        (
            "revisions:\n  - date: 2026-11-21\n    summary: <b>First</b>\n",
            ["7: the summary of the revision of 2026-11-21 is not one line of plain text"],
        ),
        (
            "revisions:\n  - date: 2026-12-01\n    summary: A figure was wrong.\n    correction: true\n"
            "  - date: 2026-11-21\n    summary: First.\n",
            ["7: the correction of 2026-12-01 does not name the section it changed"],
        ),
    ],
)
def test_each_mistake_is_reported_at_its_line(tmp_path, revisions, expected):
    problems = _problems(_page(tmp_path, revisions))
    assert len(problems) == len(expected), problems
    for found, want in zip(problems, expected, strict=True):
        assert found.startswith(want), problems


def test_both_languages_have_the_same_dates_flags_and_sections(tmp_path):
    ja = _page(
        tmp_path,
        "revisions:\n  - date: 2026-12-01\n    summary: 訂正。\n    correction: true\n    section: second-heading\n"
        "  - date: 2026-11-21\n    summary: 初版。\n",
        lang="ja",
    )
    en = _page(
        tmp_path, "revisions:\n  - date: 2026-12-01\n    summary: Changed.\n  - date: 2026-11-21\n    summary: First.\n"
    )
    pages = {lang: {"page.md": PageCitations(read_page(path))} for lang, path in (("ja", ja), ("en", en))}
    problems = check_site(pages)
    assert [(p.file, p.line) for p in problems] == [(en.as_posix(), 7)]
    assert "revision 1 differs from" in problems[0].message and "correction: true" in problems[0].message


def test_one_correction_text_on_two_pages_is_refused_at_the_second(tmp_path):
    entry = (
        "revisions:\n  - date: 2026-12-01\n    summary: Statements that did not match the sources were corrected.\n"
        "    correction: true\n    section: second-heading\n  - date: 2026-11-21\n    summary: First.\n"
    )
    first, second = (_page(tmp_path, entry, name) for name in ("a.md", "b.md"))
    pages = {
        "ja": {},
        "en": {name: PageCitations(read_page(path)) for name, path in (("a.md", first), ("b.md", second))},
    }
    problems = check_site(pages)
    assert [(p.file, p.line) for p in problems] == [(second.as_posix(), 7)]
    assert f"repeats the text of the one at {first.as_posix()}:7" in problems[0].message
    assert "in this page's own words" in problems[0].fix


def test_the_build_stops_on_a_broken_history(project, tmp_path):
    ja = project / "docs/ja/briefings/china.md"
    text = ja.read_text(encoding="utf-8")
    ja.write_text(text.replace("revisions:\n", "revisions:\n  - date: 2026-11\n    summary: x\n", 1), "utf-8")
    line = text.split("\n").index("revisions:") + 2  # the line of the first entry
    for lang in ("ja", "en"):
        glossary = project / f"docs/{lang}/glossary.md"
        glossary.write_text(re.sub(r"revisions:\n(  .*\n)+", "", glossary.read_text("utf-8"), count=1), "utf-8")
    assert_build_fails(
        project,
        tmp_path / "site",
        [
            f"docs/ja/briefings/china.md:{line}: revision date is not a full date",
            "docs/ja/glossary.md:1: front matter has no revision history",
            "docs/en/glossary.md:1: front matter has no revision history",
            "fix: add `revisions:`",
        ],
    )


def test_new_page_writes_the_first_revision(project):
    command = [
        sys.executable,
        "scripts/docs.py",
        "new-page",
        "briefings/sanctions",
        "--title-ja",
        "制裁",
        "--title-en",
        "Sanctions",
        "--description-ja",
        "説明。",
        "--description-en",
        "About.",
    ]
    subprocess.run(command, cwd=project, check=True, capture_output=True)
    today = dt.date.today()
    for lang in ("ja", "en"):
        revisions, problems = read_revisions(read_page(project / "docs" / lang / "briefings/sanctions.md"))
        assert problems == []
        assert [(r.date, r.correction) for r in revisions] == [(today, False)]
    result = subprocess.run([sys.executable, "scripts/docs.py", "check"], cwd=project, capture_output=True, text=True)
    assert "revision" not in result.stderr  # only the scaffold lines are left to do


def _front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n"))


def _built(rel: str) -> str:
    stem = rel.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem}/index.html"


PAGES = sorted(p.relative_to(ROOT / "docs/ja").as_posix() for p in (ROOT / "docs/ja").rglob("*.md"))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_page_ends_with_its_revision_history(site, lang):
    heading = {"ja": "改訂履歴", "en": "Revision history"}[lang]
    for rel in PAGES:
        written = _front_matter(ROOT / "docs" / lang / rel)["revisions"]
        html = site.html(("" if lang == "ja" else "en/") + _built(rel))
        article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
        history = article.split('<h2 id="revisions">', 1)
        assert len(history) == 2 and history[1].startswith(heading), rel
        items = re.findall(r"<li>(.*?)</li>", history[1].split("</ul>", 1)[0], re.S)
        shown = [tags(item, "time")[0]["datetime"] for item in items]
        assert shown == [str(r["date"]) for r in written], rel
        assert shown == sorted(shown, reverse=True), "newest first"
        for item, revision in zip(items, written, strict=True):
            assert ("訂正" in item or "Correction" in item) == bool(revision.get("correction")), rel
        # Nothing but the footnotes comes after the history.
        rest = history[1].split("</ul>", 1)[1]
        assert "<h2" not in rest and "<p" not in rest.split('<div class="footnote"', 1)[0], rel
