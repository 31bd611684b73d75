"""The project's command-line tool for documentation tasks (`python scripts/docs.py --help`).

It shares its rules with the build hooks (scripts/hooks.py), so a check here fails exactly
where the build would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rnk_briefings.checks import navigation
from rnk_briefings.checks import site as checks
from rnk_briefings.inputs import revisions
from rnk_briefings.inputs.site_model import Problem, copy_project, report
from rnk_briefings.mdx import sanitize
from rnk_briefings.publications import html_policy, offline, outputs, page_delivery

ROOT = Path(__file__).resolve().parent.parent


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions annotation on its file and line."""
    message = f"{problem.message}. Fix: {problem.fix}".replace("%", "%25").replace("\n", "%0A")
    return f"::error file={problem.file},line={problem.line}::{message}"


def job_summary(problems: list[Problem]) -> str:
    """The problems as a Markdown table for the GitHub Actions job summary."""

    def cell(text: str) -> str:
        return html.escape(text).replace("|", "\\|").replace("\n", " ")

    rows = [f"| `{p.file}:{p.line}` | {cell(p.message)} | {cell(p.fix)} |" for p in problems]
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


def _python_state() -> tuple:
    """The project's Python files by modification time: a change means MkDocs must restart to run it."""
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in (ROOT / "scripts").rglob("*.py")))


def command_serve(args: argparse.Namespace) -> int:
    """Serve the site with live reload (mkdocs serve), restarted when the project's Python changes.

    MkDocs rebuilds on changes to docs/, mkdocs.yml and the `watch:` folders (data/, overrides/,
    scripts/); an author's mistake is printed and the server goes on serving. A rebuild would
    still run the Python it started with, so a change under scripts/ restarts it instead.
    """
    mkdocs = Path(sys.executable).with_name("mkdocs")
    command = [str(mkdocs), "serve", "--dev-addr", args.dev_addr, "--livereload"]
    while True:
        state = _python_state()
        server = subprocess.Popen(command, cwd=ROOT)
        try:
            while server.poll() is None and _python_state() == state:
                time.sleep(1)
        except KeyboardInterrupt:
            server.terminate()
            server.wait()
            return 0
        if server.poll() is not None:
            return server.returncode
        print("serve: the project's Python changed; restarting", file=sys.stderr)
        server.terminate()
        server.wait()


def command_build(args: argparse.Namespace) -> int:
    """Check, then build the site strictly with MkDocs into SITE_DIR (into SITE_DIR.tmp first: a failed build publishes nothing).

    A failed check does not skip the build: MkDocs' link and anchor validation runs too, so that
    one run reports every mistake; the build then fails.
    """
    checked = command_check(argparse.Namespace(github=args.github))
    target = Path(args.site_dir).resolve()
    building = target.with_name(target.name + ".tmp")
    shutil.rmtree(building, ignore_errors=True)
    env = {**os.environ, "RNK_CHECKS_REPORTED": "1", **({"OFFLINE": "true"} if args.offline else {})}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    built = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(building)], cwd=ROOT, env=env)
    if checked or built.returncode:
        shutil.rmtree(building, ignore_errors=True)
        return 1
    if not verified(building):
        return 1
    shutil.rmtree(target, ignore_errors=True)
    building.rename(target)
    return 0


def verified(building: Path) -> bool:
    """The post-build check on a site just built (the same for every generator); a refused site is deleted."""
    if problems := html_policy.check_site_dir(building, ROOT / "docs"):  # nothing unknown runs or loads
        print(report(problems), file=sys.stderr)
        shutil.rmtree(building, ignore_errors=True)
        return False
    return True


def command_build_zensical(args: argparse.Namespace) -> int:
    """Check, then build the site with Zensical and zensical-i18n into SITE_DIR (the MkDocs build is unaffected).

    zensical-i18n writes its work folders (.zensical-i18n/, .cache/) and the site into the project,
    so the build runs in a copy of the project's sources; the copy imports the same installed
    extensions (rnk_briefings.mdx) and renders from its own docs/ and data/. Zensical runs no
    MkDocs hooks: the pages get their delivery and Content-Security-Policy here (the web policy),
    and the post-build check runs as for `build`.
    """
    if command_check(argparse.Namespace(github=False)):
        return 1
    target = Path(args.site_dir).resolve()
    with tempfile.TemporaryDirectory(prefix="zensical-") as work:
        project = copy_project(ROOT, Path(work))
        zensical_i18n = Path(sys.executable).with_name("zensical-i18n")
        sanitized = Path(work, "sanitizer-errors.txt")  # what the sanitizer changed (Zensical counts no logged error)
        env = {**os.environ, sanitize.REPORT_TO: str(sanitized)}
        result = subprocess.run([str(zensical_i18n), "build", "--strict", "-f", "mkdocs.yml"], cwd=project, env=env)
        if result.returncode:
            return result.returncode
        if sanitized.is_file() and sanitized.read_text(encoding="utf-8").strip():
            print(
                f"build-zensical: the sanitizer changed pages:\n{sanitized.read_text(encoding='utf-8')}",
                file=sys.stderr,
            )
            return 1
        outputs.write_outputs(project, project / "site")  # feeds, downloads: what no Zensical plugin writes
        for page in (project / "site").rglob("*.html"):  # what scripts/hooks.py does for MkDocs (on_post_page)
            page.write_text(page_delivery.deliver(page.read_text(encoding="utf-8"), None), encoding="utf-8")
        if not verified(project / "site"):
            return 1
        shutil.rmtree(target, ignore_errors=True)
        shutil.move(project / "site", target)
    print(f"build-zensical: the site is in {target}")
    return 0


def command_bundle(args: argparse.Namespace) -> int:
    """Zip a built offline site into a dated bundle with a SHA-256 file."""
    try:
        archive, checksum = offline.bundle(Path(args.site_dir), Path(args.dist_dir))
    except ValueError as error:
        print(f"bundle: {error}", file=sys.stderr)
        return 1
    print(f"bundle: {archive} ({archive.stat().st_size:,} bytes), {checksum}")
    return 0


def command_outputs(args: argparse.Namespace) -> int:
    """Write the Atom feeds, the data downloads (CSV, JSON) and the BibTeX files into a built site."""
    written = outputs.write_outputs(ROOT, Path(args.site_dir))
    if not written:
        print("outputs: the checks found problems: run `make check`", file=sys.stderr)
        return 1
    print(f"outputs: {len(written)} files written into {args.site_dir}")
    return 0


def command_verify_site(args: argparse.Namespace) -> int:
    """Check a built site's HTML: policies on every page, no unknown script or handler, nothing from another host."""
    problems = [p for folder in args.site_dirs for p in html_policy.check_site_dir(Path(folder), ROOT / "docs")]
    if problems:
        print(report(problems), file=sys.stderr)
        return 1
    print(f"verify-site: no problems in {', '.join(args.site_dirs)}")
    return 0


BRIEFING_TEMPLATE = {
    "ja": (
        "## 要点\n\n<!-- scaffold: 3～6項目の箇条書き。各項目に脚注で出典を付ける -->\n\n"
        "## 本文の見出し\n\n<!-- scaffold: 情報の多い見出しに置き換え、本文を書く -->\n\n"
        "## 不確かな点と見解の相違\n\n<!-- scaffold: 未確認の点と、資料間の食い違い -->\n"
    ),
    "en": (
        "## Key points\n\n<!-- scaffold: 3 to 6 bullets, each with a footnote citing its source -->\n\n"
        "## Body heading\n\n<!-- scaffold: replace with an informative heading and write the body -->\n\n"
        "## Uncertainties and disputes\n\n<!-- scaffold: what is unconfirmed; where the documents disagree -->\n"
    ),
}


def command_new_page(args: argparse.Namespace) -> int:
    """Create a page in both languages with complete front matter, and add it to the nav."""
    rel = args.path.removesuffix(".md") + ".md"
    if not re.fullmatch(r"[a-z0-9-]+(/[a-z0-9-]+)*\.md", rel):
        print(
            f"new-page: '{args.path}' must be lowercase ASCII words with hyphens, e.g. briefings/sanctions",
            file=sys.stderr,
        )
        return 2
    targets = {lang: ROOT / "docs" / lang / rel for lang in ("ja", "en")}
    existing = [str(p.relative_to(ROOT)) for p in targets.values() if p.exists()]
    if existing:
        print(f"new-page: {', '.join(existing)} already exists", file=sys.stderr)
        return 1
    today = dt.date.today().isoformat()
    titles = {"ja": args.title_ja, "en": args.title_en}
    descriptions = {"ja": args.description_ja, "en": args.description_en}
    for lang, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        # JSON strings are valid YAML: quoting keeps a ':' or '#' in a title from breaking the front matter.
        title, description = (json.dumps(text, ensure_ascii=False) for text in (titles[lang], descriptions[lang]))
        first = json.dumps(revisions.FIRST_SUMMARY[lang], ensure_ascii=False)
        dates = f"published: {today}\nreviewed: {today}\nrevisions:\n  - date: {today}\n    summary: {first}\n"
        front = f"---\ntitle: {title}\ndescription: {description}\n{dates}---\n\n"
        path.write_text(front + BRIEFING_TEMPLATE[lang], encoding="utf-8")
    add_to_nav(ROOT / "mkdocs.yml", rel)
    print(f"new-page: created docs/ja/{rel} and docs/en/{rel}, and added {rel} to the nav in mkdocs.yml")
    for listing in navigation.add_to_briefing_lists(ROOT / "docs", rel, titles, descriptions):
        print(f"new-page: listed it in {listing}")
    print(
        "new-page: replace every `<!-- scaffold: ... -->` line with cited text; the build refuses the page until you do"
    )
    return 0


def add_to_nav(mkdocs_yml: Path, rel: str) -> None:
    """Add a page to the nav: after the last page of its folder, or at the end of the nav."""
    lines = mkdocs_yml.read_text(encoding="utf-8").splitlines()
    start = lines.index("nav:")
    folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else None
    siblings = [i for i in range(start, len(lines)) if folder and lines[i].strip().startswith(f"- {folder}")]
    if siblings:
        at = siblings[-1]
        indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    else:
        at = len(lines) - 1
        indent = "  "
    lines.insert(at + 1, f"{indent}- {rel}")
    mkdocs_yml.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="docs.py", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help=command_check.__doc__)
    check.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    check.set_defaults(run=command_check)
    serve = commands.add_parser("serve", help=command_serve.__doc__.splitlines()[0])
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="address and port to serve on")
    serve.set_defaults(run=command_serve)
    build = commands.add_parser("build", help=command_build.__doc__.splitlines()[0])
    build.add_argument("site_dir", help="where the built site goes (make build: site/; make offline: site-offline/)")
    build.add_argument("--offline", action="store_true", help="the offline variant (Material's offline plugin)")
    build.add_argument("--github", action="store_true", help="also print GitHub Actions annotations")
    build.set_defaults(run=command_build)
    zensical = commands.add_parser("build-zensical", help=command_build_zensical.__doc__.splitlines()[0])
    zensical.add_argument("site_dir", help="where the built site goes (make build-zensical: site-zensical/)")
    zensical.set_defaults(run=command_build_zensical)
    bundle = commands.add_parser("bundle", help=command_bundle.__doc__)
    bundle.add_argument("site_dir", help="the built offline site (make offline builds it into site-offline/)")
    bundle.add_argument("dist_dir", help="where the zip and its checksum go")
    bundle.set_defaults(run=command_bundle)
    verify = commands.add_parser("verify-site", help=command_verify_site.__doc__)
    verify.add_argument("site_dirs", nargs="+", help="built sites, e.g. site site-offline")
    verify.set_defaults(run=command_verify_site)
    written = commands.add_parser("outputs", help=command_outputs.__doc__)
    written.add_argument("site_dir", help="a built site (the MkDocs build writes these itself)")
    written.set_defaults(run=command_outputs)
    new_page = commands.add_parser("new-page", help=command_new_page.__doc__)
    new_page.add_argument("path", help="path below docs/<lang>/, without .md, e.g. briefings/sanctions")
    new_page.add_argument("--title-ja", required=True)
    new_page.add_argument("--title-en", required=True)
    new_page.add_argument("--description-ja", required=True)
    new_page.add_argument("--description-en", required=True)
    new_page.set_defaults(run=command_new_page)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
