"""The build's checks: read before rendering, compared in a second process while MkDocs renders.

`mdx.site.start_checks` (what the build hook calls) reads and checks the sources at once and forks
the comparisons of the two languages; `site_and_problems` waits for them. Each test runs in a fresh,
single-threaded Python process, as `mkdocs build` does (a process with threads never forks).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import replace_once

SCRIPT = """
import json, sys
from pathlib import Path
from rnk_briefings.checks.site import Comparisons, check_site
from rnk_briefings.mdx import site

root = Path(sys.argv[1]).resolve()
if sys.argv[2] == "fail":
    def run(self):
        raise ValueError("a comparison failed")
    Comparisons.run = run
site.start_checks(root)
forked = type(site._cache[root][2]).__name__
try:
    later = [str(p) for p in site.site_and_problems(root)[1]]
except RuntimeError as error:
    print(json.dumps({"forked": forked, "error": str(error)}))
    raise SystemExit
now = [str(p) for p in check_site(root / "docs", root)[1]]
print(json.dumps({"forked": forked, "later": later, "now": now}))
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
    assert found["forked"] == "_ComparedLater"
    assert len(found["later"]) >= 2
    assert any("11000–14000" in p for p in found["later"]), found["later"]
    assert found["later"] == found["now"]


def test_a_clean_site_has_no_problems_either_way(project: Path) -> None:
    found = run(project)
    assert found["forked"] == "_ComparedLater"
    assert found["later"] == found["now"] == []


def test_a_failing_comparison_is_an_error_not_a_clean_site(project: Path) -> None:
    found = run(project, "fail")
    assert found["forked"] == "_ComparedLater"
    assert "the checks failed" in found["error"]
    assert "ValueError: a comparison failed" in found["error"]
