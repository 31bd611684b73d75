"""An author's mistake stops the real build with the file, the line and what to do.

Each case breaks a copy of the project (never the real docs) and runs `mkdocs build --strict`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, assert_build_fails, build, line_of, replace_once


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def _citing_line(path: Path) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith("[^"))


CASES = {
    "missing translation": (
        lambda p: (p / "docs/en/method.md").unlink(),
        lambda p: ["docs/ja/method.md:1:", "docs/en/method.md is missing", "fix: create docs/en/method.md"],
    ),
    "broken link": (
        lambda p: _append(p / "docs/en/method.md", "\n\nSee [the missing page](no-such-page.md).\n"),
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', 'no-such-page.md')}:",
            "no-such-page.md",
            "not found",
            "fix:",
        ],
    ),
    "broken anchor": (
        lambda p: _append(p / "docs/ja/method.md", "\n\n[存在しない節](index.md#no-such-heading)\n"),
        lambda p: [
            f"docs/ja/method.md:{line_of(p / 'docs/ja/method.md', 'no-such-heading')}:",
            "does not contain an anchor '#no-such-heading'",
            "fix:",
        ],
    ),
    "absolute link": (
        lambda p: _append(p / "docs/en/method.md", "\n\nSee [the sources](/en/sources/).\n"),
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', '(/en/sources/)')}:",
            "absolute link",
            "fix: use a relative link",
        ],
    ),
    "page left out of the nav": (
        lambda p: [
            (p / f"docs/{lang}/extra.md").write_text(
                "---\ntitle: X\ndescription: X\npublished: 2026-11-21\nreviewed: 2026-11-21\n---\n\nText.\n",
                encoding="utf-8",
            )
            for lang in ("ja", "en")
        ],
        lambda p: [
            f"mkdocs.yml:{line_of(p / 'mkdocs.yml', '- download.md')}:",
            "docs/ja/extra.md and docs/en/extra.md are not in the nav",
            "fix: add `- extra.md` to nav: in mkdocs.yml after line",
        ],
    ),
    "unknown source key": (
        lambda p: _append(p / "docs/en/index.md", "\nA claim.[^new-claim]\n\n[^new-claim]: @salmon-2052\n"),
        lambda p: [
            f"docs/en/index.md:{line_of(p / 'docs/en/index.md', '[^new-claim]: @salmon-2052')}:",
            "unknown source key '@salmon-2052'",
            "did you mean '@salmon-2025'?",
        ],
    ),
    "reference without a definition": (
        lambda p: _append(p / "docs/ja/index.md", "\n追加の記述[^undefined-note]。\n"),
        lambda p: [
            f"docs/ja/index.md:{line_of(p / 'docs/ja/index.md', '[^undefined-note]')}:",
            "used but never defined",
        ],
    ),
    "definition never referenced": (
        lambda p: _append(p / "docs/en/index.md", "\n[^orphan]: @kelly-2025\n"),
        lambda p: [
            f"docs/en/index.md:{line_of(p / 'docs/en/index.md', '[^orphan]')}:",
            "defined but never referenced",
        ],
    ),
    "non-ASCII footnote label": (
        lambda p: _append(p / "docs/ja/index.md", "\n追加[^出典]。\n\n[^出典]: @kelly-2025\n"),
        lambda p: [f"docs/ja/index.md:{line_of(p / 'docs/ja/index.md', '追加[^出典]')}:", "not ASCII"],
    ),
    "empty locator": (
        lambda p: _append(p / "docs/en/index.md", "\nA claim.[^empty]\n\n[^empty]: @kelly-2025,\n"),
        lambda p: [
            f"docs/en/index.md:{line_of(p / 'docs/en/index.md', '[^empty]: @kelly-2025,')}:",
            "malformed citation",
            "non-empty locator",
        ],
    ),
    "locator without a comma": (
        lambda p: _append(p / "docs/en/index.md", "\nA claim.[^nocomma]\n\n[^nocomma]: @kelly-2025 paragraph 3\n"),
        lambda p: ["docs/en/index.md:", "malformed citation '@kelly-2025 paragraph 3'"],
    ),
    "footnote that cites nothing": (
        lambda p: _append(p / "docs/en/index.md", "\nA claim.[^plain]\n\n[^plain]: Some newspaper, 2024.\n"),
        lambda p: ["docs/en/index.md:", "does not cite a source", "@source-key"],
    ),
    "registry: bad date": (
        lambda p: replace_once(p / "data/sources.yml", "date: 2025-04-12", "date: 2025-04-31"),
        lambda p: [f"data/sources.yml:{line_of(p / 'data/sources.yml', 'date: 2025-04-31')}:", "not a date"],
    ),
    "registry: unknown kind": (
        lambda p: replace_once(p / "data/sources.yml", "kind: opinion-essay", "kind: blog-rant"),
        lambda p: [
            f"data/sources.yml:{line_of(p / 'data/sources.yml', 'kind: blog-rant')}:",
            "unknown kind 'blog-rant'",
        ],
    ),
    "registry: duplicate key": (
        lambda p: replace_once(p / "data/sources.yml", "key: xu-2024", "key: salmon-2025"),
        lambda p: ["data/sources.yml:", "duplicate key 'salmon-2025'"],
    ),
    "registry: malformed URL": (
        lambda p: replace_once(
            p / "data/sources.yml", "url: https://nationalsecurityjournal.org/", "url: nationalsecurityjournal/"
        ),
        lambda p: [
            f"data/sources.yml:{line_of(p / 'data/sources.yml', 'url: nationalsecurityjournal/')}:",
            "not a well-formed",
        ],
    ),
    "registry: missing required field": (
        lambda p: replace_once(p / "data/sources.yml", "  kind: interview-analysis\n", ""),
        lambda p: ["data/sources.yml:", "missing required field 'kind'"],
    ),
    "registry: YAML syntax": (
        lambda p: _append(p / "data/sources.yml", "\n- key: [unclosed\n"),
        lambda p: ["data/sources.yml:", "YAML syntax error"],
    ),
    "timeline: bad date": (
        lambda p: replace_once(p / "data/timeline.yml", 'date: "1950"', 'date: "1950-13"'),
        lambda p: [f"data/timeline.yml:{line_of(p / 'data/timeline.yml', '1950-13')}:", "has no month 13"],
    ),
    "timeline: missing translation": (
        lambda p: replace_once(
            p / "data/timeline.yml", "  en: China and the Soviet Union signed a treaty of friendship.\n", ""
        ),
        lambda p: ["data/timeline.yml:", "event is missing required field 'en'"],
    ),
    "timeline: unknown source": (
        lambda p: replace_once(p / "data/timeline.yml", "sources: [xu-2024]", "sources: [xu-2042]"),
        lambda p: [f"data/timeline.yml:{line_of(p / 'data/timeline.yml', '[xu-2042]')}:", "unknown source 'xu-2042'"],
    ),
    "figures: a range upside down": (
        lambda p: replace_once(p / "data/figures.yml", "value: [11000, 13000]", "value: [13000, 11000]"),
        lambda p: [
            f"data/figures.yml:{line_of(p / 'data/figures.yml', 'value: [13000, 11000]')}:",
            "neither a number nor a range",
        ],
    ),
    "figures: unknown figure in a page": (
        lambda p: replace_once(
            p / "docs/en/briefings/deployments.md", "[[fig:nk-troops-2024-10]]", "[[fig:nk-troops-2042]]"
        ),
        lambda p: [
            f"docs/en/briefings/deployments.md:{line_of(p / 'docs/en/briefings/deployments.md', 'nk-troops-2042')}:",
            "unknown figure [[fig:nk-troops-2042]]",
        ],
    ),
    "glossary: unknown kind": (
        lambda p: replace_once(p / "data/glossary.yml", "  kind: term\n", "  kind: jargon\n"),
        lambda p: ["data/glossary.yml:", "unknown kind 'jargon'"],
    ),
    "glossary: unknown kind in a page's glossary block": (
        lambda p: replace_once(
            p / "docs/en/people.md", "<!-- glossary: person place -->", "<!-- glossary: person places -->"
        ),
        lambda p: [
            f"docs/en/people.md:{line_of(p / 'docs/en/people.md', 'glossary: person')}:",
            "unknown glossary kind 'places'",
            "use kinds from: term",
        ],
    ),
    "glossary: a kind listed on no page": (
        lambda p: replace_once(p / "docs/ja/people.md", "<!-- glossary: person place -->", "<!-- glossary: person -->"),
        lambda p: ["docs/ja/glossary.md:1:", "glossary kind 'place' is listed on no page of the ja site"],
    ),
    "source cited in one language only": (
        lambda p: _append(p / "docs/ja/sources.md", "\n追加の記述[^extra-src]。\n\n[^extra-src]: @korean-daily-2024\n"),
        lambda p: [
            "docs/en/sources.md:",
            f"@korean-daily-2024 is cited in docs/ja/sources.md:{line_of(p / 'docs/ja/sources.md', '[^extra-src]。')} ",
            "but not here",
        ],
    ),
    "malformed front matter": (
        lambda p: replace_once(p / "docs/en/method.md", "---\ntitle:", "---\ntitle: [unclosed\nx:"),
        lambda p: ["docs/en/method.md:", "front matter is not valid YAML"],
    ),
    "front matter without reviewed date": (
        lambda p: replace_once(p / "docs/ja/method.md", "reviewed:", "checked:"),
        lambda p: ["docs/ja/method.md:1:", "front matter lacks 'reviewed'"],
    ),
    "front matter published after it was reviewed": (
        lambda p: replace_once(p / "docs/en/overview.md", "published: 2026-11-21", "published: 2099-01-01"),
        lambda p: [
            f"docs/en/overview.md:{line_of(p / 'docs/en/overview.md', 'reviewed:')}:",
            "is earlier than 'published' (2099-01-01)",
        ],
    ),
    "front matter with a partial publication date": (
        lambda p: replace_once(p / "docs/ja/overview.md", "published: 2026-11-21", "published: 2026-11"),
        lambda p: [
            f"docs/ja/overview.md:{line_of(p / 'docs/ja/overview.md', 'published:')}:",
            "'published' is not a full date",
            "published: YYYY-MM-DD",
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_author_mistake_fails_the_build_with_file_line_and_fix(case, project, tmp_path):
    break_project, expected = CASES[case]
    break_project(project)
    assert_build_fails(project, tmp_path / "out", expected(project), case)


def test_the_unbroken_copy_builds(project, tmp_path):
    """The fixtures above fail because of what they break, not because the copy is unbuildable."""
    result = build(project, tmp_path / "out")
    assert result.returncode == 0, result.stderr


def test_make_build_publishes_nothing_when_the_build_fails(project):
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    for name in ("requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, project / name)
    (project / ".venv").symlink_to(ROOT / ".venv")
    published = project / "site" / "index.html"
    published.parent.mkdir()
    published.write_text("the last good build", encoding="utf-8")
    (project / "docs/en/method.md").unlink()
    env = {**os.environ, "MAKEFLAGS": ""}
    # The venv stamps are older than the copied lock files; -o keeps make from reinstalling.
    result = subprocess.run(
        ["make", "-o", ".venv/.site", "build"], cwd=project, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "docs/en/method.md is missing" in result.stderr
    assert published.read_text(encoding="utf-8") == "the last good build"


def test_new_page_scaffolds_both_languages_and_the_nav_and_the_build_refuses_it_unwritten(project, tmp_path):
    shutil.copy2(ROOT / "scripts/docs.py", project / "scripts/docs.py")
    command = [
        sys.executable,
        "scripts/docs.py",
        "new-page",
        "briefings/sanctions",
        "--title-ja",
        "制裁",
        "--title-en",
        "Sanctions",
    ]
    command += ["--description-ja", "制裁の概要。", "--description-en", "Sanctions in brief."]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for lang, title in (("ja", 'title: "制裁"'), ("en", 'title: "Sanctions"')):
        text = (project / f"docs/{lang}/briefings/sanctions.md").read_text(encoding="utf-8")
        assert text.startswith("---\n") and title in text and "published: " in text and "reviewed: " in text
    nav = (project / "mkdocs.yml").read_text(encoding="utf-8")
    assert nav.index("- briefings/outlook.md") < nav.index("- briefings/sanctions.md") < nav.index("- timeline.md")
    again = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "already exists" in again.stderr
    first_scaffold = line_of(project / "docs/ja/briefings/sanctions.md", "<!-- scaffold:")
    assert_build_fails(
        project,
        tmp_path / "out",
        [f"docs/ja/briefings/sanctions.md:{first_scaffold}:", "scaffold instruction"],
        "scaffold",
    )
