"""The offline bundle is reproducible and safe to unzip: same commit, same bytes, whatever the day; safe entry names.

The builds here run with Python's clock moved to other days (a `sitecustomize` module that shifts
`time.time` and `datetime`'s today and now), in a project copy that is a git checkout with one
commit: the bundle's date must come from that commit, not from the clock.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from conftest import ROOT, build
from rnk_briefings.inputs.editions import BUNDLE_NAME, source_date_epoch
from rnk_briefings.publications.offline import bundle, entry_names

FAKE_CLOCK = '''"""Test helper: Python's clock, moved by $FAKE_NOW (seconds since the epoch) minus the real time."""
import datetime as _dt
import os as _os
import time as _time

_shift = float(_os.environ["FAKE_NOW"]) - _time.time()
_real_time, _real_time_ns = _time.time, _time.time_ns
_time.time = lambda: _real_time() + _shift
_time.time_ns = lambda: _real_time_ns() + int(_shift * 1e9)


class _Date(_dt.date):
    @classmethod
    def today(cls):
        return _dt.date.fromtimestamp(_time.time())


class _DateTime(_dt.datetime):
    @classmethod
    def now(cls, tz=None):
        return _real_datetime.fromtimestamp(_time.time(), tz)

    @classmethod
    def utcnow(cls):
        return _real_datetime.fromtimestamp(_time.time(), _dt.timezone.utc).replace(tzinfo=None)

    @classmethod
    def today(cls):
        return cls.now()


_real_datetime = _dt.datetime
_dt.date, _dt.datetime = _Date, _DateTime
'''

COMMIT_DATE = "2025-03-01T12:34:56+00:00"
DAYS = {"2026-01-01": 1767268800, "2027-07-15": 1815652800}  # noon UTC on two other days


def _git(project: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    command = ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"]
    return subprocess.run([*command, *args], cwd=project, env=env, capture_output=True, text=True, check=True).stdout


@pytest.mark.browser  # builds the offline variant, which needs the npm packages (make test installs them)
def test_same_commit_on_different_days_gives_the_same_zip(project, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _git(project, "init", "-q")
    _git(project, "add", "mkdocs.yml", "docs", "data", "overrides")
    _git(project, "commit", "-q", "-m", "one commit")
    commit_time = int(_git(project, "log", "-1", "--format=%ct"))
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "sitecustomize.py").write_text(FAKE_CLOCK, encoding="utf-8")
    results = {}
    for day, fake_now in DAYS.items():
        env = {
            "OFFLINE": "true",
            "FAKE_NOW": str(fake_now),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(clock), os.environ.get("PYTHONPATH")])),
        }
        today = subprocess.run(
            [sys.executable, "-c", "import datetime, time; print(datetime.date.today(), int(time.time()) // 86400)"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        assert today[0] == day, "the clock is really moved"
        result = build(project, tmp_path / day / "site", env=env)
        assert result.returncode == 0, result.stderr
        packed = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts/docs.py"),
                "bundle",
                str(tmp_path / day / "site"),
                str(tmp_path / day),
            ],
            cwd=project,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        assert packed.returncode == 0, packed.stderr
        (archive,) = (tmp_path / day).glob(f"{BUNDLE_NAME}-*.zip")
        results[day] = (archive.name, hashlib.sha256(archive.read_bytes()).hexdigest(), archive)
    (name_a, digest_a, archive), (name_b, digest_b, _) = results.values()
    assert name_a == name_b == f"{BUNDLE_NAME}-2025-03-01.zip", "named by the commit's date"
    assert digest_a == digest_b, "byte-identical"
    checksum = archive.with_name(archive.name + ".sha256").read_text(encoding="utf-8")
    assert checksum == f"{digest_a}  {archive.name}\n"
    with zipfile.ZipFile(archive) as zipped:
        infos = zipped.infolist()
        sitemap = zipped.read(f"{archive.stem}/sitemap.xml").decode("utf-8")
    assert {info.date_time for info in infos} == {(2025, 3, 1, 12, 34, 56)}
    assert [info.filename for info in infos] == sorted(info.filename for info in infos)
    assert "<lastmod>2025-03-01</lastmod>" in sitemap and "2026-" not in sitemap and "2027-" not in sitemap
    assert commit_time == int(datetime.fromisoformat(COMMIT_DATE).timestamp())


def test_build_date_is_source_date_epoch_else_the_commit_time(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert source_date_epoch(ROOT) == 1700000000
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    committed = subprocess.run(["git", "show", "-s", "--format=%cI", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if committed.returncode == 0:  # a git checkout (CI checks one out)
        assert source_date_epoch(ROOT) == int(datetime.fromisoformat(committed.stdout.strip()).timestamp())


def test_unsafe_entry_names_are_refused(tmp_path):
    assert entry_names(["index.html", "en/index.html", "assets/site.css"]) == []
    bad = ["assets/x\\..\\..\\evil.bat", "a/../b", "/etc/passwd", "C:/x", "a//b", "ペ.html", "a b.html", "./x"]
    assert entry_names(bad) == bad
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<p>x</p>", encoding="utf-8")
    (site / "assets" / "x\\..\\..\\evil.bat").write_text("echo", encoding="utf-8")
    with pytest.raises(ValueError, match=r"evil\.bat"):
        bundle(site, tmp_path / "dist", epoch=1740832496)
    assert not list((tmp_path / "dist").glob("*.zip")), "no zip is written"
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/docs.py"), "bundle", str(site), str(tmp_path / "dist")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "unsafe in a zip" in result.stderr
