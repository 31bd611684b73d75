"""`scripts/docs.py serve` stops the `mkdocs serve` it started: no server is left behind on SIGTERM or SIGINT.

`make serve` runs docs.py, which runs `mkdocs serve` as a child (restarted when the project's Python
changes). A signal to docs.py (a test's `terminate()`, a stopped `make serve`, Ctrl-C) is passed
on to the child and waited for.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, free_port
from test_author_messages import _Output


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
def test_serve_passes_the_signal_on_and_leaves_no_server(project, signum):
    (project / "scripts/docs.py").write_bytes((ROOT / "scripts/docs.py").read_bytes())
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": f"http://127.0.0.1:{port}/"}
    serve = subprocess.Popen(
        [sys.executable, "scripts/docs.py", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = _Output(serve.stdout)
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
