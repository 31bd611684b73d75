"""The build's checks, run by a second process while MkDocs builds.

`mdx.site.start_checks` (what the build hook calls) forks a process that reads and checks the
sources, sends the checked site (the pages render from it) and then the problems, once the
comparisons of the two languages are done; `site_and_problems` waits for them. Each test runs in a
fresh, single-threaded Python process, as `mkdocs build` does (a process with threads never forks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import replace_once

SCRIPT = """
import json, sys
from pathlib import Path
from rnk_briefings.checks import site as checks
from rnk_briefings.mdx import site

root = Path(sys.argv[1]).resolve()
if sys.argv[2] == "fail comparing":
    def run(self):
        raise ValueError("a comparison failed")
    checks.Comparisons.run = run
if sys.argv[2] == "fail reading":
    def index_site(docs, root):
        raise ValueError("reading failed")
    site.index_site = index_site
if sys.argv[2] == "unpicklable":  # as when a test's fake clock replaces datetime.date
    read = site.index_site
    def index_site(docs, root):
        found = read(docs, root)
        found[0].cannot_be_pickled = lambda: None
        return found
    site.index_site = index_site
site.start_checks(root)
forked = type(site._cache[root][1]).__name__
try:
    rendered_from = site.checked_site(root)
    later = [str(p) for p in site.site_and_problems(root)[1]]
except RuntimeError as error:
    print(json.dumps({"forked": forked, "error": str(error)}))
    raise SystemExit
index, problems = checks.check_site(root / "docs", root)
now = [str(p) for p in problems]
print(json.dumps({
    "forked": forked, "later": later, "now": now, "same index": rendered_from == index,
    "checked here": site._cache[root][1]._here is not None,
}))
"""


def run(project: Path, mode: str = "") -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(project), mode], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_comparisons_forked_find_what_the_checks_find_in_the_same_order(project: Path) -> None:
    replace_once(project / "docs/en/briefings/deployments.md", "11,000–13,000", "11,000–14,000")
    replace_once(project / "docs/ja/briefings/outlook.md", "\n## ", "\n### ")
    found = run(project)
    assert found["forked"] == "_CheckedElsewhere"
    assert len(found["later"]) >= 2
    assert any("11000–14000" in p for p in found["later"]), found["later"]
    assert found["later"] == found["now"]
    assert found["same index"]


def test_a_clean_site_has_no_problems_either_way_and_renders_from_the_same_index(project: Path) -> None:
    found = run(project)
    assert found["forked"] == "_CheckedElsewhere"
    assert found["later"] == found["now"] == []
    assert found["same index"]
    assert not found["checked here"]


@pytest.mark.parametrize("mode", ["fail reading", "fail comparing"])
def test_a_failing_check_is_an_error_not_a_clean_site(project: Path, mode: str) -> None:
    found = run(project, mode)
    assert found["forked"] == "_CheckedElsewhere"
    assert "the checks failed" in found["error"]
    assert ("ValueError: reading failed" if mode == "fail reading" else "ValueError: a comparison failed") in found[
        "error"
    ]


def test_an_index_that_cannot_be_sent_is_checked_in_the_build_process(project: Path) -> None:
    replace_once(project / "docs/en/briefings/deployments.md", "11,000–13,000", "11,000–14,000")
    found = run(project, "unpicklable")
    assert found["forked"] == "_CheckedElsewhere"
    assert found["checked here"]
    assert any("11000–14000" in p for p in found["later"]), found["later"]
    assert found["later"] == found["now"]
    assert found["same index"]
