"""Hostile input, as a contributor's pull request could bring it: bounded work, one message, no hidden characters.

- YAML anchors and aliases are refused in data/ and front matter (an alias bomb of under 400 bytes
  fails at once, at its line);
- every delimiter repeated 100,000 times is read by the checks (`check_site`) in linear time;
- deep nesting, bracket floods and files that are not UTF-8 end in one message naming the file, in
  `docs.py check` and `docs.py build` (`make check`, `make build`), each well within 10 s;
- bidi controls and zero-width characters are refused in every author text field and in page text,
  at file, line and column, with the character's Unicode name; the real (Japanese) site passes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest

from conftest import ROOT, line_of, replace_once
from rnk_briefings.checks import content_policy
from rnk_briefings.checks.site import check_site
from rnk_briefings.inputs import characters
from rnk_briefings.inputs.site_model import copy_project


def alias_bomb(indent: str) -> str:
    """A YAML value of under 400 bytes that expands to 9^9 strings."""
    levels = ["&a [lol,lol,lol,lol,lol,lol,lol,lol,lol]"]
    for index, name in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        levels.append(f"&{name} [{','.join(['*' + previous] * 9)}]")
    text = "[" + ",".join(levels) + "]"
    assert len(text) < 400
    return text


def _messages(problems) -> list[str]:
    return [str(p) for p in problems]


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """One project copy for the cases that rewrite a file and restore it."""
    return copy_project(ROOT, tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def edited(work: Path):
    """Edit files of the shared copy; each is restored after the test."""
    saved: dict[Path, bytes] = {}

    def edit(rel: str, old: str | None, new: str) -> Path:
        path = work / rel
        saved.setdefault(path, path.read_bytes())
        if old is None:
            path.write_text(new, encoding="utf-8")
        else:
            replace_once(path, old, new)
        return path

    yield edit
    for path, content in saved.items():
        path.write_bytes(content)


def _check(work: Path) -> tuple[list[str], float]:
    """The checks' messages, and the processor time they took (the machine is shared: wall time varies)."""
    start = time.process_time()
    _, problems = check_site(work / "docs", work)
    return _messages(problems), time.process_time() - start


# --- YAML -------------------------------------------------------------------------------------


def test_alias_bomb_in_a_source_title_fails_fast(work: Path, edited) -> None:
    path = edited("data/sources.yml", "- key: ", f"- key: bomb\n  title: {alias_bomb('  ')}\n- key: ")
    messages, seconds = _check(work)
    assert seconds < 5
    line = line_of(path, "title: [&a")
    assert messages and messages[0].startswith(
        f"data/sources.yml:{line}: YAML anchors and aliases are refused: an anchor (&a)"
    ), messages
    assert "aliases" in messages[0]


def test_alias_in_front_matter_is_refused(work: Path, edited) -> None:
    path = edited("docs/en/method.md", "\ndescription:", "\nx-bomb: " + alias_bomb("") + "\ndescription:")
    messages, seconds = _check(work)
    assert seconds < 5
    line = line_of(path, "x-bomb:")
    assert any(
        m.startswith(f"docs/en/method.md:{line}: YAML anchors and aliases are refused: an anchor (&a)")
        for m in messages
    ), messages


def test_a_single_alias_is_refused_at_its_line(work: Path, edited) -> None:
    path = edited("data/glossary.yml", "\n- ", "\n- &first\n  x: y\n- *first\n- ")
    messages, _ = _check(work)
    assert any(
        m.startswith(f"data/glossary.yml:{line_of(path, '- &first')}: YAML anchors and aliases are refused: an anchor")
        for m in messages
    )


def test_deep_yaml_nesting_is_one_message(work: Path, edited) -> None:
    edited("data/timeline.yml", "\n- ", "\n- x: " + "[" * 5000 + "]" * 5000 + "\n- ")
    messages, seconds = _check(work)
    assert seconds < 5
    assert any(m.startswith("data/timeline.yml:") for m in messages), messages


# --- linear checks ----------------------------------------------------------------------------

DELIMITERS = [
    "[^", "[[", "[[fig:", "<!--", "-->", "「", "」", "**", "*", "_", "`", "```", "~~~", "[", "]", "(", ")", "](",
    "![", "<", ">", "{", "{#", "}", "&", "&#", "\\", ":", "|", "#", " #", "> ", "- ", "1. ", "@", "[^a]: @x, ",
    "<https://", '<span data-parity="skip">', "<!-- glossary: ", "<!-- figures-chart: ", "1", "1,", "1万", "2024年",
    "1 May ", "May ", "～", " ", "\t",
]  # fmt: skip


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_checks_are_linear_in_any_delimiter(work: Path, edited, monkeypatch, delimiter: str) -> None:
    """100,000 repetitions of a delimiter in a paragraph are read in linear time (a few seconds at most).

    The page size limit is lifted: it would refuse most of these pages before they are read. The
    whole check of the site takes about 0.5 s; the slowest floods (dates, numbers, markers of 15 to 20
    characters: 100,000 values for parity to compare) 2 to 4 s of processor time; a quadratic pattern
    took minutes (40,000 `[^` took 72 s).
    """
    monkeypatch.setitem(content_policy.MAX_BYTES, "page", 10**8)
    edited("docs/en/method.md", "\n## ", f"\nx {delimiter * 100_000} y\n\n## ")
    messages, seconds = _check(work)
    assert seconds < 8, f"{delimiter!r}: {seconds:.1f} s"
    assert all(m.split(":", 1)[0].startswith("docs/") for m in messages)


def test_a_pipe_in_docs_is_refused_without_reading_it(work: Path) -> None:
    """A FIFO named like a page would block the checks on reading it."""
    fifo = work / "docs/en/pipe.md"
    os.mkfifo(fifo)
    try:
        messages, _ = _check(work)
    finally:
        fifo.unlink()
    assert messages == [
        "docs/en/pipe.md:1: not a regular file (a pipe, socket or device)\n    fix: replace it with an ordinary file"
    ]


# --- one message, in make check and make build -------------------------------------------------

HOSTILE_PAGES = {
    "footnote flood": "[^" * 90_000,
    "bracket flood": "[" * 150_000,
    "deep list": "\n".join("    " * level + "- x" for level in range(290)),
    "deep quotation": "\n".join(">" * level + " x" for level in range(1, 290)),
}


@pytest.mark.parametrize("case", list(HOSTILE_PAGES))
def test_hostile_page_is_refused_before_rendering(work: Path, edited, case: str) -> None:
    path = edited("docs/en/method.md", "\n## ", f"\n{HOSTILE_PAGES[case]}\n\n## ")
    messages, seconds = _check(work)
    assert seconds < 5
    assert messages and all(m.startswith("docs/en/method.md:") for m in messages), messages
    assert any("nested more than" in m or "unclosed or far-apart `[`" in m for m in messages), messages
    assert path.exists()


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize(
    "case",
    ["footnote flood", "deep list", "alias bomb", "not UTF-8"],
)
def test_make_check_and_build_stop_fast_with_one_message(tmp_path: Path, command: str, case: str) -> None:
    project = copy_project(ROOT, tmp_path / "project")
    if case == "alias bomb":
        replace_once(project / "data/sources.yml", "- key: ", f"- key: bomb\n  title: {alias_bomb('')}\n- key: ")
        where = "data/sources.yml:"
    elif case == "not UTF-8":
        page = project / "docs/en/method.md"
        page.write_bytes(page.read_bytes().replace(b"\n## ", b"\n\xff\xfe\n## ", 1))
        where = "docs/en/method.md:"
    else:
        replace_once(project / "docs/en/method.md", "\n## ", f"\n{HOSTILE_PAGES[case]}\n\n## ")
        where = "docs/en/method.md:"
    args = [sys.executable, str(project / "scripts/docs.py"), command] + (
        [str(tmp_path / "site")] if command == "build" else []
    )
    start = time.perf_counter()
    result = subprocess.run(args, cwd=project, capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    assert result.returncode != 0
    assert seconds < 10, f"{command} took {seconds:.1f} s"
    output = result.stdout + result.stderr
    assert where in output, output[-3000:]
    assert "Traceback" not in output and "RecursionError" not in output, output[-3000:]
    assert not (tmp_path / "site").exists()


# --- invisible characters ---------------------------------------------------------------------


def test_every_format_character_is_refused() -> None:
    """The list holds every Unicode format character (Cf) this Python knows, and the invisible others."""
    missing = [
        f"U+{code:04X}"
        for code in range(0x110000)
        if unicodedata.category(chr(code)) == "Cf" and not characters.REFUSED.fullmatch(chr(code))
    ]
    assert missing == []
    named = [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D]
    for code in [*named, 0x2060, 0xFEFF, 0x3164, 0x2028]:
        assert characters.REFUSED.fullmatch(chr(code)), hex(code)
    for allowed in "あア漢、。「」・ー〜～　AZaz09 -–—’“”":
        assert not characters.REFUSED.fullmatch(allowed), allowed


RLO = "\u202e"
FIELDS = {
    # (file, text to find, replacement): one author text field each
    "title": ("docs/en/method.md", "title: ", f"title: Meth{RLO}od "),
    "description": ("docs/ja/method.md", "description: ", f"description: 説明{RLO}"),
    "revision note": ("docs/en/method.md", "summary: ", f"summary: x{RLO}"),
    "heading": ("docs/en/method.md", "\n## ", f"\n## Head{RLO}ing\n\n## "),
    "page text": ("docs/ja/method.md", "\n## ", f"\n本文{RLO}です。\n\n## "),
    "figure label": ("data/figures.yml", "label: {ja: ", f"label: {{ja: {RLO}"),
    "timeline text": ("data/timeline.yml", "  en: ", f"  en: {RLO}"),
    "glossary": ("data/glossary.yml", "\n  en: ", f"\n  en: {RLO}"),
    "source title": ("data/sources.yml", "  title: ", f"  title: {RLO}"),
}


@pytest.mark.parametrize("field", list(FIELDS))
def test_bidi_control_refused_at_line_and_column(work: Path, edited, field: str) -> None:
    rel, old, new = FIELDS[field]
    path = edited(rel, old, new)
    line = line_of(path, RLO)
    column = next(text for text in path.read_text(encoding="utf-8").split("\n") if RLO in text).index(RLO) + 1
    messages, _ = _check(work)
    expected = f"{rel}:{line}: column {column}: invisible character U+202E RIGHT-TO-LEFT OVERRIDE"
    assert any(m.startswith(expected) for m in messages), (expected, messages)


@pytest.mark.parametrize(
    "rel, old, new, expected",
    [
        (
            "docs/en/method.md",
            "\n## ",
            "\nA &#x200B;hidden word.\n\n## ",
            "&#x200B; is the invisible character U+200B ZERO WIDTH SPACE",
        ),
        (
            "docs/en/method.md",
            "\n## ",
            "\nA &rlm; mark.\n\n## ",
            "&rlm; is the invisible character U+200F RIGHT-TO-LEFT MARK",
        ),
        ("data/sources.yml", "  title: ", '  title: "\\u2066x" \n  x-old: ', "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("docs/en/method.md", "title: ", 'title: "Meth\\u200dod"\nx-old: ', "U+200D ZERO WIDTH JOINER"),
        # YAML's one-letter escapes of the two separators: a value may hold a character the text does not.
        ("data/sources.yml", "  title: ", '  title: "x\\Py" \n  x-old: ', "U+2029 PARAGRAPH SEPARATOR"),
        ("docs/ja/method.md", "description: ", 'description: "説明\\L"\nx-old: ', "U+2028 LINE SEPARATOR"),
    ],
)
def test_escaped_invisible_characters_are_refused(work: Path, edited, rel, old, new, expected) -> None:
    """A character reference in a page, a \\u escape in YAML: the same character, refused at its line."""
    path = edited(rel, old, new)
    line = line_of(path, new.split("\n")[1] if new.startswith("\n") else new.split("\n")[0].strip())
    messages, _ = _check(work)
    assert any(m.startswith(f"{rel}:{line}:") and expected in m for m in messages), (line, expected, messages)


def test_the_real_site_passes() -> None:
    """Japanese text (kana, kanji, full-width punctuation, the ideographic space) is no invisible character."""
    _, problems = check_site(ROOT / "docs", ROOT)
    assert problems == []
    text = (ROOT / "docs/ja/index.md").read_text(encoding="utf-8")
    assert any("\u3040" <= c <= "\u30ff" for c in text) and characters.find(text, references=True) == []
    assert json.loads(json.dumps(characters.describe(RLO))) == "U+202E RIGHT-TO-LEFT OVERRIDE"
