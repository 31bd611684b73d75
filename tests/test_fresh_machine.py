"""A fresh machine: `make test`, `make pdf` and `make serve` install the system packages they need, or stop at once.

The system is never changed: make runs with a PATH of its own, where chromium is missing and
`apt-get` (and, for a user without sudo, `id`) are stand-ins that record what they were asked.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MAKE = shutil.which("make")
TOOLS = ["sh", "grep", "awk", "tr", "sed", "ls", "fc-list", "ldconfig", "env", "npm", "node", "cat"]


def fake_path(tmp_path: Path, user: bool) -> tuple[dict, Path]:
    """An environment whose PATH has the real basic tools, no chromium, and a recording apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        real = shutil.which(tool) or shutil.which(tool, path="/sbin:/usr/sbin")
        if real:
            (bin_dir / tool).symlink_to(real)
    (bin_dir / "python3").symlink_to(os.path.realpath(sys.executable))  # the interpreter, not a pyenv shim
    log = tmp_path / "apt.log"
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "apt-get $*" >> {log}\n', encoding="utf-8")
    (bin_dir / "apt-get").chmod(0o755)
    if user:
        (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n", encoding="utf-8")
    else:
        (bin_dir / "id").write_text("#!/bin/sh\necho 0\n", encoding="utf-8")
    (bin_dir / "id").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CHROMIUM_PATH", "MAKEFLAGS", "MFLAGS")}
    env["PATH"] = str(bin_dir)
    return env, log


@pytest.fixture(autouse=True)
def _need_make():
    if not MAKE:
        pytest.fail("make is not installed")


def test_without_root_or_sudo_make_test_stops_at_once_with_the_command(tmp_path):
    env, log = fake_path(tmp_path, user=True)
    result = subprocess.run([MAKE, "-s", "test"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "missing system packages: chromium" in result.stderr
    assert "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium" in result.stderr
    assert "pytest" not in result.stdout + result.stderr, "it stops before running anything"
    assert not log.exists(), "nothing is installed without root or sudo"


def test_as_root_make_installs_what_is_missing(tmp_path):
    env, log = fake_path(tmp_path, user=False)
    result = subprocess.run([MAKE, "-s", "system-deps"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    calls = log.read_text(encoding="utf-8").splitlines()
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq --no-install-recommends ")
    assert "chromium" in calls[1].split()


def test_nothing_missing_means_nothing_installed(tmp_path):
    env, log = fake_path(tmp_path, user=False)
    env["CHROMIUM_PATH"] = shutil.which("chromium") or "/usr/bin/chromium"
    result = subprocess.run(
        ["sh", "scripts/system-deps.sh", "venv", "browser", "pdf"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert not log.exists() and result.stdout == ""


def test_each_task_checks_its_needs_before_it_starts(tmp_path):
    """Dry runs: test checks everything first; pdf checks the PDF libraries; a new .venv checks venv."""
    # As if typed at a prompt, not run from `make test` (a sub-make would print "Entering directory").
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    test = subprocess.run([MAKE, "-n", "test"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    assert test.splitlines()[0].endswith("scripts/system-deps.sh venv npm browser pdf")
    pdf = subprocess.run([MAKE, "-n", "pdf"], cwd=ROOT, env=env, capture_output=True, text=True).stdout
    assert "scripts/system-deps.sh pdf" in pdf
    assert pdf.index("system-deps.sh pdf") < pdf.index("rnk_briefings.publications.pdf")
    serve = subprocess.run(
        [MAKE, "-n", "serve", "VENV=" + str(tmp_path / "new-venv")], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    assert serve.index("system-deps.sh venv") < serve.index("-m venv")


def test_ci_runs_the_readme_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.startswith("make")]
    assert commands == ["make test"]
    assert "make test" in (ROOT / "README.md").read_text(encoding="utf-8")
