"""Every step of every workflow in `.github/workflows/`, run here in order: what the workflows publish is what the tests built.

Run it alone with `.venv/bin/python -m pytest tests/test_workflow_steps.py` (a few minutes: it runs
`make publish` once per workflow, each in a fresh checkout with its own .venv, as a runner does).

How a workflow is run (`WorkflowRun`):

- **Jobs** run in the order their `needs:` give, each in a workspace of its own (a runner is a new
  machine per job). A job whose needed job failed does not run. Job and step `if:` conditions are
  not evaluated: every job runs, so that every step is executed (the conditions themselves are
  checked by `test_workflows.py`); `github.ref` is a version tag, so the release job's values are real.
- **The checkout** (`actions/checkout`) is `git clone` of this repository at HEAD, then the working
  tree's uncommitted changes (modified, deleted and untracked files that git does not ignore): what
  a commit of the working tree would check out, without `.venv`, `node_modules`, `site/` or `dist/`.
  So a workflow edited but not yet committed is run as edited.
- **`run:` steps** run with `bash --noprofile --norc -eo pipefail` (GitHub's default shell) in the
  workspace, with the workflow's, the job's and the step's `env:`, and what a runner sets:
  `GITHUB_ACTIONS`, `CI`, `GITHUB_WORKSPACE`, and `GITHUB_OUTPUT`, `GITHUB_ENV`, `GITHUB_STEP_SUMMARY`
  as files, read back as GitHub does (a step's outputs, `steps.<id>.outputs.<name>`; the variables
  later steps get). Not supported, as no workflow uses them (the runner would have to grow):
  `GITHUB_PATH`, `continue-on-error`, shells other than bash. The test
  process's own make and virtualenv variables are removed. A step added to a workflow later is run
  by this test as it is, without editing the test.
- **Expressions** `${{ … }}` are replaced by `EXPRESSIONS` (stand-ins for what GitHub gives a push
  of the tag `v1.0.0` of rnk-briefings/rnk-briefings), or by the outputs of earlier steps and jobs.
  An expression with no value fails the test, naming it.
- **Runner-specific values**: `RUNNER_VALUES` (the path of GitHub's Chrome becomes this machine's Chromium).
- **`uses:` actions** are replaced by the stand-ins in `ACTIONS`, which check their inputs and do the
  least the next steps need (upload-artifact keeps the files for download-artifact; configure-pages
  gives the Pages address). An action with no stand-in fails the test, saying to add one.
- **Steps that cannot run here** (`RUN_STAND_INS`) are replaced by a documented check of their inputs:
  - `make audit` asks PyPI's and npm's advisory services (the network): the stand-in checks that
    `make -n audit` audits every lock file, and that the lock files exist.
  - `make test` is the suite this test belongs to. Running it here would run this test again,
    without end. The honest stand-in: `make -n test` in the checkout plans lint and pytest over
    the checkout's own tests (the target that is running now), and the step's real outcome is the
    outcome of the `make test` that runs this file: CI's step and the lead's run are the same command.
    When this file runs alone, that step's outcome is not known, and the step's record says so.
  - `gh` (the GitHub CLI: `gh release create`) needs GitHub: a stand-in `gh` on PATH checks its
    arguments (a `v*` tag, the repository, a token, and that every file exists) and records them.

One run of each workflow serves every test here (module-scoped): the Publish workflow's `make
publish` output is what the tests on the site, the Download page, the bundle, the PDFs and the
licence read.
"""

from __future__ import annotations

import fnmatch
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import tinyhtml5
import yaml
from pypdf import PdfReader

from conftest import ROOT, chromium_path
from rnk_briefings.inputs.editions import BUNDLE_NAME, PDF_NAME
from rnk_briefings.inputs.publication import language_root, settings
from rnk_briefings.inputs.site_model import LANGUAGES

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
REPOSITORY = "rnk-briefings/rnk-briefings"
TAG = "v1.0.0"
PAGES_BASE_URL = "https://rnk-briefings.github.io/rnk-briefings"  # configure-pages' base_url: a project site
SITE_URL = PAGES_BASE_URL + "/"  # what the Publish workflow makes of it
# What GitHub gives the expressions the workflows use, for a push of the tag TAG.
EXPRESSIONS = {
    "github.server_url": "https://github.com",
    "github.repository": REPOSITORY,
    "github.ref": f"refs/tags/{TAG}",
    "github.ref_name": TAG,
    "github.workflow": "stand-in workflow name",
    "github.token": "stand-in-token-not-a-credential",
}
# Values that name a GitHub runner's own files, as this machine has them.
RUNNER_VALUES = {"/usr/bin/google-chrome": chromium_path}
# Variables of the test process that a runner does not have (they would change what make and Python do).
NOT_ON_A_RUNNER = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "VIRTUAL_ENV", "PYTHONPATH", "SOURCE_DATE_EPOCH")
NOT_ON_A_RUNNER += ("SITE_URL", "REPO_URL", "CHROMIUM_PATH", "GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STEP_SUMMARY")
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


class StepFailed(Exception):
    """A step's stand-in found a problem with the step's inputs."""


def load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # keeps `on` a string key


@dataclass
class Step:
    job: str
    name: str
    ok: bool
    output: str
    seconds: float = 0.0


@dataclass
class Job:
    name: str
    spec: dict
    workspace: Path
    step_outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)  # what its steps wrote to GITHUB_ENV
    ok: bool = True


class WorkflowRun:
    """One workflow, run job by job and step by step (see the module's docstring)."""

    def __init__(self, path: Path, work: Path, source: Path = ROOT) -> None:
        self.path, self.work, self.source = path, work, source
        self.workflow = load(path)
        self.jobs: dict[str, Job] = {}
        self.steps: list[Step] = []
        self.artifacts: dict[str, Path] = {}
        self.artifact_job: dict[str, str] = {}
        self.releases = work / "gh-releases.jsonl"
        self.bin = work / "bin"
        self.bin.mkdir(parents=True, exist_ok=True)
        gh = self.bin / "gh"
        gh.write_text(f"#!{sys.executable}\n" + GH_STAND_IN.replace("RECORD", repr(str(self.releases))))
        gh.chmod(0o755)

    def order(self) -> list[str]:
        jobs, ordered = self.workflow["jobs"], []
        while len(ordered) < len(jobs):
            ready = [n for n, j in jobs.items() if n not in ordered and set(needs(j)) <= set(ordered)]
            assert ready, f"{self.path.name}: the jobs' needs form a cycle"
            ordered += ready
        return ordered

    def run(self) -> WorkflowRun:
        for name in self.order():
            spec = self.workflow["jobs"][name]
            job = Job(name, spec, self.work / name)
            job.workspace.mkdir(parents=True)
            self.jobs[name] = job
            if not all(self.jobs[n].ok for n in needs(spec)):
                job.ok = False
                self.steps.append(Step(name, "(not run: a needed job failed)", False, ""))
                continue
            for index, step in enumerate(spec.get("steps", [])):
                label = (step.get("name") or step.get("run") or step.get("uses")).strip().splitlines()[0]
                started = time.monotonic()
                try:
                    output = self.run_step(job, step, index)
                    self.steps.append(Step(name, label, True, output, time.monotonic() - started))
                except StepFailed as failure:
                    job.ok = False
                    self.steps.append(Step(name, label, False, str(failure), time.monotonic() - started))
                    break
            try:  # what the job gives the jobs that need it, and its environment's address
                if job.ok:
                    outputs = spec.get("outputs", {}).items()
                    job.outputs = {k: self.substitute(v, job, f"{name}.outputs") for k, v in outputs}
                    if isinstance(spec.get("environment"), dict) and "url" in spec["environment"]:
                        self.substitute(spec["environment"]["url"], job, f"{name}.environment.url")
            except StepFailed as failure:
                job.ok = False
                self.steps.append(Step(name, "(outputs)", False, str(failure)))
        (self.work / "steps.txt").write_text(_report(self) + "\n", encoding="utf-8")  # for whoever looks
        return self

    def value(self, expression: str, job: Job, where: str) -> str:
        parts = expression.split(".")
        if expression in EXPRESSIONS:
            return EXPRESSIONS[expression]
        if len(parts) == 4 and parts[0] == "steps" and parts[2] == "outputs" and parts[1] in job.step_outputs:
            if parts[3] in job.step_outputs[parts[1]]:
                return job.step_outputs[parts[1]][parts[3]]
        if len(parts) == 4 and parts[0] == "needs" and parts[2] == "outputs" and parts[1] in needs(job.spec):
            if parts[3] in self.jobs[parts[1]].outputs:
                return self.jobs[parts[1]].outputs[parts[3]]
        raise StepFailed(
            f"{self.path.name}, {where}: no value for the expression ${{{{ {expression} }}}}: "
            "add a stand-in to EXPRESSIONS in tests/test_workflow_steps.py (or check the step id it names)"
        )

    def substitute(self, text: str, job: Job, where: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1), job, where), text)

    def environment(self, job: Job, step: dict, where: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in NOT_ON_A_RUNNER}
        venv = str(ROOT / ".venv")
        env["PATH"] = os.pathsep.join(
            [str(self.bin)] + [p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(venv)]
        )
        env.update({"GITHUB_ACTIONS": "true", "CI": "true", "GITHUB_WORKSPACE": str(job.workspace), **job.env})
        for scope in (self.workflow, job.spec, step):
            for key, value in (scope.get("env") or {}).items():
                value = self.substitute(value, job, where)
                env[key] = RUNNER_VALUES[value]() if value in RUNNER_VALUES else value
        return env

    def run_step(self, job: Job, step: dict, index: int) -> str:
        where = f"job {job.name}, step {index + 1} ({step.get('name') or step.get('run') or step.get('uses')})"
        env = self.environment(job, step, where)
        if "uses" in step:
            action = step["uses"].split("@", 1)[0]
            if action not in ACTIONS:
                raise StepFailed(
                    f"{self.path.name}, {where}: no stand-in for the action {action}: add one to ACTIONS in "
                    "tests/test_workflow_steps.py that checks its inputs"
                )
            inputs = {k: self.substitute(v, job, where) for k, v in (step.get("with") or {}).items()}
            try:
                outputs = ACTIONS[action](self, job, inputs) or {}
            except AssertionError as problem:
                raise StepFailed(f"{self.path.name}, {where}: {action}: {problem}") from None
            if "id" in step:
                job.step_outputs[step["id"]] = outputs
            return f"stand-in for {action}: inputs {inputs}, outputs {outputs}"
        command = self.substitute(step["run"], job, where)
        assert step.get("shell", "bash") == "bash", f"{where}: only bash steps are run here"
        files = {name: job.workspace.parent / f"{job.name}-{index}-{name}" for name in ("output", "env", "summary")}
        env.update(GITHUB_OUTPUT=str(files["output"]), GITHUB_ENV=str(files["env"]))
        env["GITHUB_STEP_SUMMARY"] = str(files["summary"])
        cwd = job.workspace / step.get("working-directory", "")
        if command.strip() in RUN_STAND_INS:
            try:
                return "stand-in: " + RUN_STAND_INS[command.strip()](cwd, env)
            except AssertionError as problem:
                raise StepFailed(f"{self.path.name}, {where}: stand-in for {command!r}: {problem}") from None
        script = job.workspace.parent / f"{job.name}-{index}.sh"
        script.write_text(command, encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=1200,
        )
        if done.returncode:
            raise StepFailed(f"{self.path.name}, {where}: exit {done.returncode}\n{done.stdout[-6000:]}")
        if "id" in step:
            job.step_outputs[step["id"]] = github_file(files["output"])
        job.env.update(github_file(files["env"]))
        return done.stdout


def github_file(path: Path) -> dict[str, str]:
    """A GITHUB_OUTPUT or GITHUB_ENV file as GitHub reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    values: dict[str, str] = {}
    while lines:
        line = lines.pop(0)
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter)
            values[name], lines = "\n".join(lines[:end]), lines[end + 1 :]
        elif "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def needs(job: dict) -> list[str]:
    value = job.get("needs", [])
    return [value] if isinstance(value, str) else list(value)


# --- stand-ins for the actions: each checks its inputs, and does what the next steps need ----------


def _only(inputs: dict, allowed: set[str]) -> None:
    assert set(inputs) <= allowed, f"unexpected inputs {sorted(set(inputs) - allowed)}: add them to the stand-in"


def checkout(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """git clone of HEAD, then the working tree's uncommitted changes; never keeps a token."""
    _only(inputs, {"persist-credentials"})
    assert inputs.get("persist-credentials") == "false", "persist-credentials must be false"
    subprocess.run(["git", "clone", "-q", str(run.source), str(job.workspace)], check=True)

    def listed(*options: str) -> list[str]:
        found = subprocess.run(["git", "ls-files", "-z", *options], cwd=run.source, capture_output=True, check=True)
        return [name for name in found.stdout.decode().split("\0") if name]

    for name in listed("--deleted"):
        (job.workspace / name).unlink(missing_ok=True)
    for name in listed("--modified", "--others", "--exclude-standard"):
        if (run.source / name).is_file():
            (job.workspace / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(run.source / name, job.workspace / name)
    return {}


def setup_python(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """The requested Python meets pyproject's requires-python, and so does this machine's python3."""
    _only(inputs, {"python-version"})
    wanted = tuple(int(n) for n in inputs["python-version"].split("."))
    required = re.search(r'requires-python = ">=([\d.]+)"', (job.workspace / "pyproject.toml").read_text()).group(1)
    minimum = tuple(int(n) for n in required.split("."))
    assert wanted >= minimum[: len(wanted)], f"python-version {wanted} is older than requires-python {required}"
    here = subprocess.run(["python3", "-c", "import sys; print(*sys.version_info[:3])"], capture_output=True, text=True)
    assert tuple(int(n) for n in here.stdout.split()) >= minimum, f"python3 here is {here.stdout}"
    return {"python-version": ".".join(here.stdout.split())}


def setup_node(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """A current Node.js LTS, no package cache (it could be poisoned across runs), and npm here."""
    _only(inputs, {"node-version", "package-manager-cache"})
    assert inputs["node-version"] in ("22", "24"), f"node-version {inputs['node-version']} is not a current LTS"
    assert inputs.get("package-manager-cache") == "false", "package-manager-cache must be false"
    assert shutil.which("npm"), "npm is missing here"
    return {}


def configure_pages(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """No inputs, and a token that may read the Pages site (the action's GET /repos/{owner}/{repo}/pages
    needs `pages: read`; without it the action fails); gives the Pages address of a project site."""
    _only(inputs, set())
    assert job.spec.get("permissions", {}).get("pages") in ("read", "write"), "the job needs pages: read"
    return {"base_url": PAGES_BASE_URL, "origin": "https://rnk-briefings.github.io", "base_path": "/rnk-briefings"}


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() or p.is_symlink()]


def upload_pages_artifact(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """`path` is a built site with both home pages and the 404 page, and no links (Pages refuses them)."""
    _only(inputs, {"path"})
    site = job.workspace / inputs["path"]
    assert site.is_dir(), f"{inputs['path']} is not a folder"
    for page in ("index.html", "en/index.html", "404.html"):
        assert (site / page).is_file(), f"{inputs['path']} lacks {page}"
    assert not [p for p in _files(site) if p.is_symlink()], "symbolic links in the Pages artifact"
    run.artifacts["github-pages"], run.artifact_job["github-pages"] = site, job.name
    return {"artifact_id": "github-pages"}


def upload_artifact(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """Every path exists and holds files; kept under its name for download-artifact (from their common folder)."""
    _only(inputs, {"name", "path", "retention-days"})
    assert inputs.get("name"), "an artifact needs a name"
    assert 1 <= int(inputs.get("retention-days", "90")) <= 90, "retention-days is 1-90"
    paths = [job.workspace / line.strip() for line in inputs["path"].splitlines() if line.strip()]
    for path in paths:
        assert path.exists() and (path.is_file() or _files(path)), (
            f"{path.relative_to(job.workspace)} is missing or empty"
        )
    base = Path(os.path.commonpath(paths)) if len(paths) > 1 else paths[0]
    kept = run.work / "artifacts" / inputs["name"]
    for path in paths:
        target = kept / path.relative_to(base) if path != base else kept
        shutil.copytree(path, target, dirs_exist_ok=True) if path.is_dir() else shutil.copy2(path, target)
    run.artifacts[inputs["name"]], run.artifact_job[inputs["name"]] = kept, job.name
    return {"artifact-id": inputs["name"]}


def download_artifact(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """The artifact was uploaded by a job this one needs; its files go into `path`."""
    _only(inputs, {"name", "path"})
    name = inputs["name"]
    assert name in run.artifacts, f"no artifact {name!r} was uploaded"
    assert run.artifact_job[name] in needs(job.spec), f"{name!r} comes from a job that {job.name} does not need"
    shutil.copytree(run.artifacts[name], job.workspace / inputs.get("path", "."), dirs_exist_ok=True)
    return {"download-path": str(job.workspace / inputs.get("path", "."))}


def attest_build_provenance(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """Every `subject-path` glob matches, together the offline bundle and both PDFs; the job may sign."""
    _only(inputs, {"subject-path"})
    patterns = [line.strip() for line in inputs["subject-path"].splitlines() if line.strip()]
    matched = set()
    for pattern in patterns:
        found = glob.glob(pattern, root_dir=job.workspace)
        assert found, f"subject-path {pattern} matches nothing"
        matched |= {Path(name).name for name in found}
    assert fnmatch.filter(matched, f"{BUNDLE_NAME}-*.zip"), f"the bundle is not attested: {sorted(matched)}"
    for lang in LANGUAGES:
        assert fnmatch.filter(matched, f"{PDF_NAME}-{lang}-*.pdf"), f"the {lang} PDF is not attested"
    permissions = job.spec.get("permissions", {})
    assert permissions.get("id-token") == "write" and permissions.get("attestations") == "write", permissions
    return {"attested": " ".join(sorted(matched))}


def deploy_pages(run: WorkflowRun, job: Job, inputs: dict) -> dict:
    """A Pages artifact from a needed job, the permissions to deploy it, the github-pages environment."""
    _only(inputs, set())
    assert "github-pages" in run.artifacts, "no Pages artifact was uploaded"
    assert run.artifact_job["github-pages"] in needs(job.spec), "the Pages artifact comes from a job not needed"
    assert job.spec.get("permissions") == {"pages": "write", "id-token": "write"}, job.spec.get("permissions")
    assert job.spec.get("environment", {}).get("name") == "github-pages"
    return {"page_url": PAGES_BASE_URL + "/"}


ACTIONS: dict[str, Callable[[WorkflowRun, Job, dict], dict]] = {
    "actions/checkout": checkout,
    "actions/setup-python": setup_python,
    "actions/setup-node": setup_node,
    "actions/configure-pages": configure_pages,
    "actions/upload-pages-artifact": upload_pages_artifact,
    "actions/upload-artifact": upload_artifact,
    "actions/download-artifact": download_artifact,
    "actions/attest-build-provenance": attest_build_provenance,
    "actions/deploy-pages": deploy_pages,
}


# --- stand-ins for the steps that cannot run here -------------------------------------------------


def _dry_run(cwd: Path, env: dict, target: str) -> str:
    done = subprocess.run(["make", "-n", target], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def make_audit(cwd: Path, env: dict) -> str:
    """`make audit` needs the advisory services: it must audit every lock file, and they must exist."""
    plan = _dry_run(cwd, env, "audit")
    locks = sorted(p.name for p in cwd.glob("requirements*.txt"))
    assert locks and "pip-audit" in plan and "for lock in requirements*.txt" in plan, plan
    assert (cwd / "package-lock.json").is_file() and (cwd / "bench/package-lock.json").is_file()
    assert "npm audit --package-lock-only" in plan and "--prefix bench" in plan, plan
    return f"make audit would audit {', '.join(locks)}, package-lock.json and bench/package-lock.json"


def make_test(cwd: Path, env: dict) -> str:
    """`make test` is the suite this test belongs to (see the module's docstring): its plan, not a second run."""
    plan = _dry_run(cwd, env, "test")
    assert "lint-imports" in plan and "-m pytest" in plan, plan
    assert (cwd / "tests" / Path(__file__).name).is_file(), "the checkout's suite has this test"
    outer = "MAKELEVEL" in os.environ  # this pytest was started by make (make test)
    return "make test plans lint and pytest; its outcome is " + (
        "the outcome of the make test running this test" if outer else "not known: this file ran alone"
    )


RUN_STAND_INS: dict[str, Callable[[Path, dict], str]] = {"make audit": make_audit, "make test": make_test}

# The GitHub CLI, for `gh release create TAG FILES… --repo R --title T --notes N`: checks and records.
GH_STAND_IN = textwrap.dedent(
    """
    import json, os, re, sys
    args = sys.argv[1:]
    if args[:2] != ["release", "create"]:
        sys.exit(f"gh stand-in: no stand-in for gh {' '.join(args[:2])} (tests/test_workflow_steps.py)")
    options, files, rest = {}, [], args[2:]
    while rest:
        item = rest.pop(0)
        if item.startswith("--"):
            options[item[2:]] = rest.pop(0)
        else:
            files.append(item)
    tag, files = files[0], files[1:]
    problems = [f"missing file {f}" for f in files if not os.path.isfile(f)]
    problems += [] if re.fullmatch(r"v[0-9][0-9A-Za-z.-]*", tag) else [f"tag {tag!r} is not a version tag"]
    problems += [] if os.environ.get("GH_TOKEN") else ["no GH_TOKEN"]
    problems += [] if re.fullmatch(r"[\\w.-]+/[\\w.-]+", options.get("repo", "")) else ["no --repo owner/name"]
    problems += [] if options.get("title") and options.get("notes") else ["no --title or --notes"]
    if problems:
        sys.exit("gh stand-in: " + "; ".join(problems))
    with open(RECORD, "a", encoding="utf-8") as record:
        record.write(json.dumps({"tag": tag, "files": [os.path.abspath(f) for f in files], **options}) + "\\n")
    """
)


# --- the runs, and what they leave -----------------------------------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, WorkflowRun]:
    """Every workflow, run once (the Publish workflow's `make publish` is read by the tests below).

    The workflows run side by side, as GitHub runs them on their own runners: each in its own
    workspaces, with its own processes (a run changes no state of this process), so the two cores
    of a machine like CI's build both at once.
    """
    workspaces = {path: tmp_path_factory.mktemp(path.stem) for path in WORKFLOWS}
    with ThreadPoolExecutor(max_workers=len(WORKFLOWS)) as pool:
        done = {path.name: pool.submit(WorkflowRun(path, workspaces[path]).run) for path in WORKFLOWS}
        return {name: future.result() for name, future in done.items()}


@pytest.fixture(scope="module")
def built(runs) -> Path:
    """The workspace of the job that built the site to deploy (it uploaded the Pages artifact)."""
    publish = next(run for run in runs.values() if "github-pages" in run.artifacts)
    return publish.jobs[publish.artifact_job["github-pages"]].workspace


def _report(run: WorkflowRun) -> str:
    return "\n".join(f"[{'ok' if s.ok else 'FAILED'}] {s.seconds:5.0f} s  {s.job}: {s.name}" for s in run.steps)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_step_of_the_workflow_runs_and_passes(runs, path):
    run = runs[path.name]
    failed = [s for s in run.steps if not s.ok]
    assert not failed, f"{_report(run)}\n\n{failed[0].output}"
    expected = [(name, len(job.get("steps", []))) for name, job in run.workflow["jobs"].items()]
    assert [(name, sum(s.job == name for s in run.steps)) for name, _ in expected] == expected, _report(run)


def test_the_release_gets_the_bundle_its_checksum_and_both_pdfs(runs):
    releasing = [run for run in runs.values() if run.releases.is_file()]
    assert releasing, "no workflow made a release"
    (record,) = [json.loads(line) for run in releasing for line in run.releases.read_text().splitlines()]
    assert record["tag"] == TAG and record["repo"] == REPOSITORY
    names = sorted(Path(f).name for f in record["files"])
    assert len(fnmatch.filter(names, f"{BUNDLE_NAME}-*.zip")) == 1
    assert fnmatch.filter(names, f"{BUNDLE_NAME}-*.zip.sha256")
    assert [len(fnmatch.filter(names, f"{PDF_NAME}-{lang}-*.pdf")) for lang in LANGUAGES] == [1] * len(LANGUAGES)


def _python(workspace: Path) -> str:
    return str(workspace / ".venv" / "bin" / "python")


def test_the_deployed_site_passes_the_post_build_check(built):
    checked = subprocess.run(
        [_python(built), "scripts/docs.py", "verify-site", "site"], cwd=built, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr


def _parse(path: Path):
    return tinyhtml5.parse(path.read_bytes(), namespace_html_elements=False)


def test_every_deployed_page_carries_the_content_security_policy(built):
    pages = sorted((built / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        metas = [m for m in _parse(page).iter("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
        assert len(metas) == 1 and metas[0].get("content", "").startswith("default-src 'none'"), page


def _text(element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext()))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_download_page_lists_what_dist_holds(built, lang):
    """Each file of dist/ is linked, served from where the link says, with its size and SHA-256 on the page."""
    dist = built / "dist"
    editions = sorted(dist.glob(f"{BUNDLE_NAME}-*.zip")) + sorted(dist.glob(f"{PDF_NAME}-*.pdf"))
    assert len(editions) == 1 + len(LANGUAGES), sorted(p.name for p in dist.iterdir())
    page = built / "site" / language_root(lang) / "download" / "index.html"
    article = next(_parse(page).iter("article"))
    text = _text(article)
    linked = {}
    for link in article.iter("a"):
        target = (page.parent / link.get("href", "")).resolve()
        if target.is_relative_to(built / "site") and target.is_file():
            linked[target.name] = target
    for path in editions:
        data = path.read_bytes()
        assert path.name in linked, f"{path.name} is not linked from {page}"
        assert linked[path.name].read_bytes() == data, f"{path.name}: the served file is not dist/'s"
        assert hashlib.sha256(data).hexdigest() in text, f"{path.name}: SHA-256 not on the page"
        assert f"{len(data) / 1_000_000:.1f} MB" in text, f"{path.name}: size not on the page"
    checksum = dist / f"{editions[0].name}.sha256"
    assert linked[checksum.name].read_bytes() == checksum.read_bytes()


def test_the_bundle_says_where_it_came_from(built):
    (archive,) = (built / "dist").glob(f"{BUNDLE_NAME}-*.zip")
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=built, capture_output=True, text=True).stdout.strip()
    committed = subprocess.run(["git", "log", "-1", "--format=%cs"], cwd=built, capture_output=True, text=True)
    with zipfile.ZipFile(archive) as zipped:
        readme = zipped.read(f"{archive.stem}/README.txt").decode("utf-8")
        pages = {lang: zipped.read(f"{archive.stem}/{language_root(lang)}download.html") for lang in LANGUAGES}
    for needle in ("[日本語]", "[English]", "index.html", "en/index.html", "sha256sum -c", archive.name):
        assert needle in readme, needle
    assert commit[:12] in readme and committed.stdout.strip() in readme
    assert f"--repo {REPOSITORY}" in readme
    for lang, html in pages.items():
        address = SITE_URL + language_root(lang) + "download/"
        assert address in readme
        links = [a for a in tinyhtml5.parse(html, namespace_html_elements=False).iter("a") if a.get("href") == address]
        assert links and _text(links[0]).strip() == address, f"{lang}: the published Download page, as a plain link"


def test_the_licence_is_on_every_page_in_the_feeds_the_json_and_the_pdfs(built):
    licence = settings(built).licence
    site = built / "site"
    for page in sorted(site.rglob("*.html")):
        if page.name == "404.html":
            continue
        lang = "en" if page.relative_to(site).parts[0] == "en" else "ja"
        footer = next(_parse(page).iter("footer"))
        links = [a for a in footer.iter("a") if a.get("rel") == "license" and a.get("href") == licence.url]
        assert links and _text(links[0]).strip() == licence.short[lang], page
    for lang in LANGUAGES:
        prefix = language_root(lang)
        feed = (site / prefix / "feed.xml").read_text(encoding="utf-8")
        rights = re.search(r"<rights[^>]*>(.*?)</rights>", feed, re.S)
        assert rights and licence.url in rights.group(1) and licence.notice[lang] in rights.group(1)
        for name in ("figures", "timeline"):
            document = json.loads((site / prefix / "downloads" / f"{name}.json").read_text(encoding="utf-8"))
            assert document["license"] == {"name": licence.name, "url": licence.url, "notice": licence.notice[lang]}
            page = site / prefix / name / "index.html"
            paragraph = next(p for p in _parse(page).iter("p") if "data-downloads" in p.get("class", ""))
            hrefs = [a.get("href") for a in paragraph.iter("a")]
            assert f"../downloads/{name}.csv" in hrefs and licence.url in hrefs, "the CSV's licence beside its link"
        (book,) = (built / "dist").glob(f"{PDF_NAME}-{lang}-*.pdf")
        cover = re.sub(r"\s+", "", PdfReader(book).pages[0].extract_text())
        assert licence.url in cover and licence.name.replace(" ", "") in cover, f"{lang}: licence on the cover"
        download = SITE_URL + prefix + "download/"
        assert download in cover, f"{lang}: the Download page (the data downloads) on the cover"


# --- the runner itself ---------------------------------------------------------------------------


def test_a_new_step_is_run_and_an_unknown_action_fails_with_what_to_do(tmp_path):
    workflow = tmp_path / "new.yml"
    workflow.write_text(
        textwrap.dedent(
            """
            name: New
            on: push
            permissions: {}
            jobs:
              first:
                runs-on: ubuntu-24.04
                outputs:
                  said: ${{ steps.say.outputs.words }}
                steps:
                  - id: say
                    run: |
                      echo "GREETING=hello" >> "$GITHUB_ENV"
                      { echo "words<<END"; echo "from $REPO"; echo "END"; } >> "$GITHUB_OUTPUT"
                    env:
                      REPO: ${{ github.repository }}
                  - run: test "$GREETING" = hello
              second:
                needs: first
                runs-on: ubuntu-24.04
                steps:
                  - run: echo "$SAID" > said.txt
                    env:
                      SAID: ${{ needs.first.outputs.said }}
                  - uses: someone/unknown-action@0123456789012345678901234567890123456789
            """
        ),
        encoding="utf-8",
    )
    run = WorkflowRun(workflow, tmp_path / "work").run()
    assert (run.jobs["second"].workspace / "said.txt").read_text() == f"from {REPOSITORY}\n"
    assert [s.ok for s in run.steps] == [True, True, True, False]
    assert "no stand-in for the action someone/unknown-action: add one to ACTIONS" in run.steps[-1].output
