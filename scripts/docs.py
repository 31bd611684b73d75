"""The project's command-line tool for documentation tasks (`python scripts/docs.py --help`).

It shares its rules with the build hooks (scripts/hooks.py), so a check here fails exactly
where the build would.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import checks  # noqa: E402
from site_model import Problem, report  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions annotation on its file and line."""
    message = f"{problem.message}. Fix: {problem.fix}".replace("%", "%25").replace("\n", "%0A")
    return f"::error file={problem.file},line={problem.line}::{message}"


def job_summary(problems: list[Problem]) -> str:
    """The problems as a Markdown table for the GitHub Actions job summary."""
    rows = [f"| `{p.file}:{p.line}` | {p.message} | {p.fix} |".replace("\n", " ") for p in problems]
    head = f"## Author checks: {len(problems)} problem(s)\n\n| where | what | fix |\n|---|---|---|\n"
    return head + "\n".join(rows) + "\n"


def command_check(args: argparse.Namespace) -> int:
    """Check the registry, every page's front matter and citations, and the translations."""
    os.chdir(ROOT)
    _, problems = checks.check_site(Path("docs"), Path("."))
    if not problems:
        print("check: no problems found")
        return 0
    if args.github or os.environ.get("GITHUB_ACTIONS") == "true":
        print("\n".join(github_annotation(p) for p in problems))
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(job_summary(problems))
    print(report(problems), file=sys.stderr)
    return 1


def command_bundle(args: argparse.Namespace) -> int:
    """Zip a built offline site into a dated bundle with a SHA-256 file."""
    import offline

    archive, checksum = offline.bundle(Path(args.site_dir), Path(args.dist_dir))
    print(f"bundle: {archive} ({archive.stat().st_size:,} bytes), {checksum}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docs.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help=command_check.__doc__)
    check.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    check.set_defaults(run=command_check)
    bundle = commands.add_parser("bundle", help=command_bundle.__doc__)
    bundle.add_argument("site_dir", help="the built offline site (make offline builds it into site-offline/)")
    bundle.add_argument("dist_dir", help="where the zip and its checksum go")
    bundle.set_defaults(run=command_bundle)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
