"""Each mistake an author commonly makes gets one message, at the line to edit, with a hint that fits.

Every case breaks a copy of the project (never the real docs), runs the real strict build, and
asserts the file, the line, the message and the hint, and that the mistake gives no second,
follow-up message. Parity messages (a number or a heading in one language only) are in
tests/test_parity.py. The last tests run `make serve`'s `docs.py serve`: it rebuilds on a change,
keeps serving after a mistake, and stops its `mkdocs serve` when it is stopped.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build, free_port, line_of, replace_once

PROBLEM_LINE = re.compile(r"^(?:ERROR|WARNING) +-  (?P<where>(?:docs|data)/[^:]+:\d+): ", re.M)


def _first_heading(path: Path, language: str) -> str:
    """A heading of a page and its anchor as the site writes it (pymdownx slugify, lower case)."""
    from pymdownx.slugs import slugify

    heading = next(line[3:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("## "))
    return heading, slugify(case="lower")(heading, "-")


def _source_entry_without(path: Path, field: str) -> int:
    """Delete `field:` from the first registry entry; return the line of that entry."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("- key:"))
    at = next(i for i in range(start, len(lines)) if lines[i].startswith(f"  {field}:"))
    del lines[at]
    path.write_text("".join(lines), encoding="utf-8")
    return start + 1


def _deployments_anchor(p: Path) -> tuple[str, str]:
    text = (p / "docs/en/briefings/deployments.md").read_text(encoding="utf-8")
    heading = next(line[3:] for line in text.splitlines() if line.startswith("## ") and "numbers" in line.lower())
    from pymdownx.slugs import slugify

    anchor = slugify(case="lower")(heading, "-")
    return anchor, anchor.removeprefix("the-")


def _break_anchor(p: Path) -> str:
    right, wrong = _deployments_anchor(p)
    assert right != wrong, "fixture: the heading should start with 'The'"
    replace_once(p / "docs/en/method.md", "\n## ", f"\n[the numbers](briefings/deployments.md#{wrong})\n\n## ")
    return right


CASES = {
    "front matter: a missing colon": (
        lambda p: replace_once(p / "docs/ja/method.md", "\ndescription:", "\ndescription"),
        lambda p: [
            f"docs/ja/method.md:{line_of(p / 'docs/ja/method.md', 'description')}: front matter is not valid YAML",
            "a line has no colon after its field name",
            "fix: write `field: value`",
        ],
    ),
    "front matter: a tab indent": (
        lambda p: replace_once(p / "docs/en/method.md", "\ndescription:", "\n\tdescription:"),
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', chr(9) + 'description')}: front matter is not valid YAML",
            "a tab character",
            "fix: YAML does not allow tabs: indent with spaces",
        ],
    ),
    "a link to a page that does not exist": (
        lambda p: replace_once(p / "docs/en/method.md", "\n## ", "\n[the deployments](briefings/deployment.md)\n\n## "),
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', 'briefings/deployment.md')}:",
            "is not found among documentation files",
            "fix: did you mean 'briefings/deployments.md'?",
        ],
    ),
    "a link to an anchor that does not exist": (
        _break_anchor,
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', '[the numbers]')}:",
            "does not contain an anchor",
            f"fix: did you mean 'briefings/deployments.md#{_deployments_anchor(p)[0]}'?",
        ],
    ),
    "a Japanese anchor misspelt": (
        lambda p: replace_once(
            p / "docs/ja/method.md",
            "\n## ",
            f"\n[数字](briefings/deployments.md#{_first_heading(p / 'docs/ja/briefings/deployments.md', 'ja')[1]}x)\n\n## ",
        ),
        lambda p: [
            f"docs/ja/method.md:{line_of(p / 'docs/ja/method.md', '[数字]')}:",
            f"fix: did you mean 'briefings/deployments.md#{_first_heading(p / 'docs/ja/briefings/deployments.md', 'ja')[1]}'?",
        ],
    ),
    "an unknown figure id": (
        lambda p: replace_once(
            p / "docs/en/briefings/deployments.md", "\n## ", "\nAbout [[fig:nk-troops-2024-1]] troops.\n\n## "
        ),
        lambda p: [
            f"docs/en/briefings/deployments.md:{line_of(p / 'docs/en/briefings/deployments.md', 'fig:nk-troops-2024-1]')}:",
            "unknown figure [[fig:nk-troops-2024-1]]",
            "fix: did you mean [[fig:nk-troops-2024-10]]?",
        ],
    ),
    "a registry entry without its kind": (
        lambda p: _source_entry_without(p / "data/sources.yml", "kind"),
        lambda p: [
            "data/sources.yml:",
            "source entry is missing required field 'kind'",
            "fix: add `kind:` to this entry, one of: news-report",
        ],
    ),
    "a glossary kind misspelt": (
        lambda p: replace_once(
            p / "docs/en/people.md", "<!-- glossary: person place -->", "<!-- glossary: persons place -->"
        ),
        lambda p: [
            f"docs/en/people.md:{line_of(p / 'docs/en/people.md', 'glossary: persons')}:",
            "unknown glossary kind 'persons'",
            "fix: did you mean 'person'?",
        ],
    ),
    "a source key misspelt": (
        lambda p: replace_once(p / "docs/en/briefings/china.md", "@salmon-2025,", "@salmon-2052,"),
        lambda p: [
            f"docs/en/briefings/china.md:{line_of(p / 'docs/en/briefings/china.md', '@salmon-2052,')}:",
            "unknown source key '@salmon-2052'",
            "fix: did you mean '@salmon-2025'?",
        ],
    ),
    "a footnote definition's label misspelt": (
        lambda p: replace_once(p / "docs/en/briefings/china.md", "\n[^wt-crink]:", "\n[^wt-crnk]:"),
        lambda p: [
            f"docs/en/briefings/china.md:{line_of(p / 'docs/en/briefings/china.md', '[^wt-crink]')}:",
            "footnote [^wt-crink] is used but never defined",
            "fix: did you mean [^wt-crnk] (defined at line "
            f"{line_of(p / 'docs/en/briefings/china.md', '[^wt-crnk]:')})?",
        ],
    ),
    "a footnote label defined twice": (
        lambda p: replace_once(
            p / "docs/en/method.md",
            "\n## ",
            "\nA claim.[^twice]\n\n[^twice]: @salmon-2025\n[^twice]: @xu-2024\n\n## ",
        ),
        lambda p: [
            f"docs/en/method.md:{line_of(p / 'docs/en/method.md', '[^twice]: @xu-2024')}:",
            f"is defined twice: here and at line {line_of(p / 'docs/en/method.md', '[^twice]: @salmon-2025')}",
        ],
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_one_message_at_the_line_to_edit_with_a_fitting_hint(case, project, tmp_path):
    break_project, expected = CASES[case]
    break_project(project)
    result = build(project, tmp_path / "out")
    assert result.returncode != 0, f"{case}: the build passed"
    for text in expected(project):
        assert text in result.stderr, f"{case}: {text!r} not in:\n{result.stderr}"
    if case != "a footnote label defined twice":  # the twice-defined label also breaks parity, on the other page
        assert len(PROBLEM_LINE.findall(result.stderr)) == 1, f"{case}: more than one message:\n{result.stderr}"


def test_one_run_reports_the_checks_and_the_link_validation_together(project, tmp_path):
    """A failing check does not hide MkDocs' link and anchor validation of the same build."""
    replace_once(project / "docs/ja/briefings/china.md", "@salmon-2025,", "@salmon-2052,")
    replace_once(project / "docs/en/method.md", "\n## ", "\n[the deployments](briefings/deployment.md)\n\n## ")
    result = build(project, tmp_path / "out")
    assert result.returncode != 0
    assert "unknown source key '@salmon-2052'" in result.stderr
    assert "contains a link 'briefings/deployment.md'" in result.stderr


def test_docs_py_build_prints_each_problem_once_and_publishes_nothing(project, tmp_path):
    shutil.copy2(ROOT / "scripts/docs.py", project / "scripts/docs.py")
    replace_once(project / "docs/ja/briefings/china.md", "@salmon-2025,", "@salmon-2052,")
    replace_once(project / "docs/en/method.md", "\n## ", "\n[the deployments](briefings/deployment.md)\n\n## ")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "scripts/docs.py", "build", str(tmp_path / "site")],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert result.stderr.count("unknown source key '@salmon-2052' in footnote") == 1, result.stderr
    assert "contains a link 'briefings/deployment.md'" in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "site.tmp").exists()


def test_make_new_page_keeps_every_character_and_refuses_a_bad_name(project):
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    shutil.copy2(ROOT / "scripts/docs.py", project / "scripts/docs.py")
    titles = {"ja": "試験：「首脳会談」: 北朝鮮 #1", "en": "Test: the \"summit\" & its 'aftermath' #1"}
    make = ["make", "-s", "-o", f"{ROOT}/.venv/.site", f"VENV={ROOT}/.venv", "new-page"]
    env = {**os.environ, "MAKEFLAGS": ""}
    values = [
        "PAGE=briefings/test-summit",
        f"TITLE_JA={titles['ja']}",
        f"TITLE_EN={titles['en']}",
        "DESC_JA=説明：「引用」を含む。",
        'DESC_EN=A "quoted": description.',
    ]
    result = subprocess.run(make + values, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    for lang in ("ja", "en"):
        text = (project / f"docs/{lang}/briefings/test-summit.md").read_text(encoding="utf-8")
        meta = yaml.safe_load(text.split("---\n")[1])
        assert meta["title"] == titles[lang]
    assert (
        yaml.safe_load((project / "docs/en/briefings/test-summit.md").read_text().split("---\n")[1])["description"]
        == 'A "quoted": description.'
    )
    bad = subprocess.run(
        make + ["PAGE=briefings/Bad Name", "TITLE_JA=x", "TITLE_EN=x", "DESC_JA=x", "DESC_EN=x"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode != 0
    assert "must be lowercase ASCII words with hyphens" in bad.stderr


class _Output:
    """The lines a process prints, collected by a thread, to wait for one."""

    def __init__(self, stream) -> None:
        self.text = ""
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream) -> None:
        for line in stream:
            self.text += line

    def wait_for(self, needle: str, start: int = 0, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            at = self.text.find(needle, start)
            if at >= 0:
                return at + len(needle)
            time.sleep(0.2)
        raise AssertionError(f"{needle!r} not printed within {timeout} s:\n{self.text[start:]}")


def start_serve(project: Path) -> tuple[subprocess.Popen, int, _Output]:
    """`scripts/docs.py serve` of a project copy on a free port, and its output."""
    shutil.copy2(ROOT / "scripts/docs.py", project / "scripts/docs.py")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    server = subprocess.Popen(
        [sys.executable, "scripts/docs.py", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return server, port, _Output(server.stdout)


def test_serve_rebuilds_when_data_changes_and_shows_the_error_without_exiting(project):
    server, _, output = start_serve(project)
    try:
        at = output.wait_for("Serving on")
        replace_once(project / "data/sources.yml", "- key: salmon-2025\n", "- key: salmon-2025\n  kindd: x\n")
        at = output.wait_for("unknown field 'kindd'", at)
        assert "did you mean 'kind'?" in output.text[at:]
        at = output.wait_for("Documentation built", at)
        assert server.poll() is None, "serve exited on an author's mistake"
        replace_once(project / "data/sources.yml", "  kindd: x\n", "")
        output.wait_for("Documentation built", at)
        assert "unknown field 'kindd'" not in output.text[at:]
        assert server.poll() is None
    finally:
        server.terminate()  # SIGTERM: serve stops its mkdocs serve too (test_serve_leaves_no_server_behind)
        server.wait(timeout=30)


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux's /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # it ended while we looked
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_leaves_no_server_behind(project, signum):
    """docs.py serve passes SIGTERM and SIGINT (a stopped `make serve`, Ctrl-C) on to its mkdocs serve and waits."""
    serve, port, output = start_serve(project)
    started: list[int] = []
    try:
        output.wait_for("Serving on", timeout=120)
        started = children(serve.pid)
        assert started, "docs.py serve runs mkdocs serve as its child"
        assert not port_is_free(port), "the server listens"
        serve.send_signal(signum)
        assert serve.wait(timeout=30) == 0, output.text
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in started) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in started if alive(pid)], f"{signum.name}: mkdocs serve is still running"
        assert port_is_free(port), "the port is free again"
    finally:  # whatever failed, nothing is left running
        for pid in [serve.pid, *started]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        serve.wait()
