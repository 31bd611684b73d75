"""Shared fixtures: the real site built once per session, a local server for it, and project copies.

The site is built under a sub-path (/rnk/) of a local address, like a GitHub project site, so
absolute URLs, the language switcher and search are tested the way they are published.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

from rnk_briefings.inputs.site_model import copy_project

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
SUBPATH = "rnk/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(
    project: Path,
    site_dir: Path,
    site_url: str = "https://example.org/rnk/",
    strict: bool = True,
    env: dict | None = None,
):
    """Run a real `mkdocs build` of a project folder; return the finished process."""
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    command = [str(MKDOCS), "build", "--site-dir", str(site_dir)] + (["--strict"] if strict else [])
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, timeout=300)


@dataclass
class BuiltSite:
    root: Path  # the built site (the folder served at site_url)
    site_url: str

    def html(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def pages(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.html") if p.name != "404.html")


@pytest.fixture(scope="session")
def server_root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="session")
def port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def site(server_root: Path, port: int) -> BuiltSite:
    """The real project, built once with a strict build."""
    site_url = f"http://127.0.0.1:{port}/{SUBPATH}"
    result = build(ROOT, server_root / SUBPATH, site_url)
    assert result.returncode == 0, result.stderr
    return BuiltSite(server_root / SUBPATH, site_url)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep test output readable
        pass


@pytest.fixture(scope="session")
def served_site(site: BuiltSite, server_root: Path, port: int):
    """The built site on a local HTTP server at its site_url."""
    handler = functools.partial(_QuietHandler, directory=str(server_root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's sources to break on purpose (the real docs are never edited)."""
    return copy_project(ROOT, tmp_path)


def chromium_path() -> str:
    """System Chromium (never a downloaded browser): $CHROMIUM_PATH or chromium on PATH."""
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium not found: install Debian's chromium or set CHROMIUM_PATH (.ci/run does this)")
    return path


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def assert_build_fails(project: Path, site_dir: Path, expected: list[str], case: str = "") -> None:
    """Build a broken project copy and check the build stops with every expected text."""
    result = build(project, site_dir)
    assert result.returncode != 0, f"{case}: the build passed"
    for text in expected:
        assert text in result.stderr, f"{case}: {text!r} not in:\n{result.stderr}"


def replace_once(path: Path, old: str, new: str) -> None:
    """Break a project copy on purpose: replace the first `old` in a file (which must hold it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The first line (1-based) of a file holding `needle`."""
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)
