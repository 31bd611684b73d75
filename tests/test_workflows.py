"""The GitHub Actions workflows: zizmor finds nothing, actions are pinned, and every step runs a make target."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"


def _load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # keeps `on` a string key


@pytest.mark.parametrize("persona", ["regular", "auditor", "pedantic"])
def test_zizmor_reports_no_findings(persona):
    result = subprocess.run(
        [str(ZIZMOR), "--offline", "--persona", persona, "--format", "plain", str(ROOT / ".github")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_there_are_workflows_for_pull_requests_and_publishing():
    triggers = {path.name: _load(path)["on"] for path in WORKFLOWS}
    assert any("pull_request" in on for on in triggers.values())
    assert any("push" in on for on in triggers.values())
    assert not any("pull_request_target" in on for on in triggers.values())


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_hardened(path):
    workflow = _load(path)
    assert workflow["permissions"] == {}, "no default permissions at the top"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name}: job states its own permissions"
        assert "timeout-minutes" in job, f"{name}: job has a timeout"
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"{name}: {uses} is not pinned by full SHA"
                line = next(line for line in path.read_text(encoding="utf-8").splitlines() if uses in line)
                assert re.search(r"# v\d+\.\d+\.\d+$", line), f"{name}: {uses} lacks its version comment"
                if uses.startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] == "false"


def test_production_deploys_are_never_cancelled():
    publish = _load(ROOT / ".github" / "workflows" / "publish.yml")
    assert publish["concurrency"]["cancel-in-progress"] == "false"
    steps = [step.get("uses", "") for job in publish["jobs"].values() for step in job.get("steps", [])]
    assert any(s.startswith("actions/upload-pages-artifact@") for s in steps)
    assert any(s.startswith("actions/deploy-pages@") for s in steps)


def test_runs_are_grouped_per_ref_and_releases_come_from_a_protected_environment():
    for path in WORKFLOWS:
        assert _load(path)["concurrency"]["group"] == "${{ github.workflow }}-${{ github.ref }}", path.name
    jobs = _load(ROOT / ".github" / "workflows" / "publish.yml")["jobs"]
    release = jobs["release"]
    assert release["environment"] == "release"
    assert release["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert release["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}


def test_the_bundle_is_attested_with_the_least_permissions():
    jobs = _load(ROOT / ".github" / "workflows" / "publish.yml")["jobs"]
    attesting = [n for n, j in jobs.items() if any("attest-build-provenance@" in s.get("uses", "") for s in j["steps"])]
    assert attesting == ["attest"]
    attest = jobs["attest"]
    assert attest["permissions"] == {"contents": "read", "id-token": "write", "attestations": "write"}
    (step,) = [s for s in attest["steps"] if "attest-build-provenance@" in s.get("uses", "")]
    assert step["with"]["subject-path"].split() == ["dist/*.zip", "dist/*.pdf"]
    assert set(jobs["release"]["needs"]) >= {"attest"} and set(jobs["deploy"]["needs"]) >= {"attest"}
    for name, job in jobs.items():
        if name != "attest" and name != "deploy":  # Pages' deployment proves its origin with its own token
            assert "id-token" not in job["permissions"], name


def test_supply_chain_node_audit_and_dependabot():
    for path in WORKFLOWS:
        for job in _load(path)["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("actions/setup-node@"):
                    assert step["with"]["node-version"] in ("22", "24"), path.name
    steps = [
        s.get("run") for j in _load(ROOT / ".github/workflows/pull-request.yml")["jobs"].values() for s in j["steps"]
    ]
    assert "make audit" in steps
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    audit = makefile.split("\naudit:", 1)[1].split("\n\n", 1)[0]
    assert "pip-audit" in audit and "--require-hashes" in audit and "npm audit" in audit and "--prefix bench" in audit
    assert "audit" not in makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0], "no network in make test"
    lock = makefile.split("\nlock:", 1)[1].split("\n\n", 1)[0]
    assert "--require-hashes -r requirements-lock.txt" in lock
    for tool in ("requirements-lock.txt", "requirements-audit.txt"):
        pins = [line for line in (ROOT / tool).read_text(encoding="utf-8").splitlines() if "==" in line]
        assert pins and all(line.endswith("\\") for line in pins), f"{tool}: every pin carries hashes"
    updates = yaml.safe_load((ROOT / ".github/dependabot.yml").read_text(encoding="utf-8"))["updates"]
    assert {(u["package-ecosystem"], u["directory"]) for u in updates} >= {
        ("npm", "/"),
        ("npm", "/bench"),
        ("pip", "/"),
    }


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_build_step_is_a_make_target(path):
    targets = _make_targets()
    for job in _load(path)["jobs"].values():
        for step in job.get("steps", []):
            command = step.get("run")
            if command is None or command.startswith("gh release "):
                continue
            match = re.fullmatch(r"make ([\w-]+)(?: >> \"\$GITHUB_OUTPUT\")?", command.strip())
            assert match and match.group(1) in targets, f"{path.name}: step runs {command!r}, not a make target"


def test_check_ci_writes_annotations_and_a_job_summary(project, tmp_path):
    (project / "docs/en/method.md").unlink()
    summary = tmp_path / "summary.md"
    result = subprocess.run(
        [sys.executable, "scripts/docs.py", "check", "--github"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        env={"GITHUB_STEP_SUMMARY": str(summary), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "::error file=docs/ja/method.md,line=1::page has no en counterpart" in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert "## Author checks: 1 problem(s)" in text and "`docs/ja/method.md:1`" in text
