"""The performance benchmark behind `make bench` (a measurement, not a test).

1. Build time: the project's strict build against a vanilla Material build of the same Markdown
   without the project's hooks and extensions (median of several runs), the project's build at 10x
   the content (generated copies of the briefings) to show that build time grows linearly, and the
   same site built by Zensical.
2. Weight: per page, gzip size of the HTML and of the CSS and JavaScript it loads.
   The PDF edition: time to make both books from a built site, their sizes and page counts.
3. Lighthouse (npm, pinned in bench/package-lock.json) on every page, mobile and desktop, against
   the site served on 127.0.0.1, with the system Chromium. Lighthouse's simulated throttling scales
   the main-thread time it observes, so one run varies by several points: each page is run several
   times and the run with the median performance score is reported, as Lighthouse's readme
   advises ("run Lighthouse multiple times"; docs/variability.md).

Writes a Markdown report (bench/results.md by default) and prints its summary.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import gzip
import http.server
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rnk_briefings.checks import navigation
from rnk_briefings.inputs.site_model import copy_project
from rnk_briefings.mdx.maps import without_maps

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
LIGHTHOUSE = ROOT / "bench" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
TARGETS = {
    "performance (mobile)": 98,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "html_kb": 16,
    "assets_kb": 90,
    "build_ratio": 1.3,
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build(
    config_dir: Path, site_dir: Path, config: str = "mkdocs.yml", env: dict | None = None
) -> tuple[float, float]:
    """Wall-clock and CPU seconds (of every process it ran) for one `mkdocs build` (strict unless the config disables the hooks)."""
    strict = ["--strict"] if config == "mkdocs.yml" else []
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(
        [str(MKDOCS), "build", "-q", "-f", config, "-d", str(site_dir), *strict],
        cwd=config_dir,
        env=environment,
        check=True,
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def build(config_dir: Path, site_dir: Path, config: str = "mkdocs.yml", env: dict | None = None) -> float:
    """Seconds for one `mkdocs build`."""
    return timed_build(config_dir, site_dir, config, env)[0]


PROJECT_EXTENSIONS = "  - rnk_briefings.mdx."


def vanilla_config(project: Path, docs_dir: str = "docs") -> str:
    """The same site configuration without the project's hooks and extensions (optionally another docs folder)."""
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("hooks:\n  - scripts/hooks.py\n", "hooks: []\n").replace(
        "docs_dir: docs\n", f"docs_dir: {docs_dir}\n"
    )
    text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(PROJECT_EXTENSIONS))
    name = f"vanilla-{docs_dir}.yml"
    (project / name).write_text(text, encoding="utf-8")
    return name


# A Markdown extension for the benchmark only. Run after the project's extensions, it saves each
# page's Markdown as they render it (data blocks expanded, citations written out, front matter
# kept), so that a vanilla build can render the same content and the ratio shows what the
# project's rendering and checks cost.
SAVE_RENDERED_MARKDOWN = """
from pathlib import Path
import yaml
from markdown import Extension
from markdown.preprocessors import Preprocessor

class Save(Preprocessor):
    def run(self, lines):
        file = self.md.treeprocessors["relpath"].file
        meta = yaml.safe_dump(file.page.meta, allow_unicode=True)
        target = Path(__file__).parent / "rendered" / file.src_uri
        target.write_text("---\\n" + meta + "---\\n\\n" + "\\n".join(lines), encoding="utf-8")
        return lines

class SaveExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Save(md), "bench_save", 31)  # after the project's preprocessors (36 to 33)

def makeExtension(**kwargs):
    return SaveExtension(**kwargs)
"""


def rendered_markdown_config(project: Path, out: Path) -> str:
    """A vanilla configuration whose pages are the project's pages as its extensions render them."""
    shutil.copytree(project / "docs", project / "rendered")
    (project / "save_rendered_markdown.py").write_text(SAVE_RENDERED_MARKDOWN, encoding="utf-8")
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    last = "  - rnk_briefings.mdx.localise\n"
    (project / "save.yml").write_text(text.replace(last, last + "  - save_rendered_markdown\n"), encoding="utf-8")
    importable = os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")]))
    build(project, out, "save.yml", env={"PYTHONPATH": importable})
    return vanilla_config(project, "rendered")


def zensical_build(project: Path, runs: int) -> float:
    """Median seconds for `scripts/docs.py build-zensical` (checks, then Zensical and zensical-i18n)."""
    times = []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "scripts/docs.py", "build-zensical", str(Path(out) / "site")],
                cwd=project,
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def multiply_content(project: Path, factor: int) -> int:
    """Add (factor - 1) copies of every briefing in both languages, and list them in the nav and the lists of briefings."""
    briefings = sorted((project / "docs" / "ja" / "briefings").glob("*.md"))
    nav_lines = []
    for copy in range(1, factor):
        for page in briefings:
            rel = f"briefings/copy-{copy:02d}-{page.name}"
            for lang in ("ja", "en"):
                text = (project / "docs" / lang / "briefings" / page.name).read_text(encoding="utf-8")
                # A correction's text is its page's own (the build refuses one text on two pages).
                text = re.sub(r"^(    summary: )([\"']?)", rf"\g<1>\g<2>copy {copy}, ", text, flags=re.M)
                (project / "docs" / lang / rel).write_text(text, encoding="utf-8")
            nav_lines.append(f"      - {rel}")
            names = {lang: f"copy {copy} of {page.stem}" for lang in ("ja", "en")}
            navigation.add_to_briefing_lists(project / "docs", rel, names, names)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    last = "      - briefings/outlook.md\n"
    config.write_text(text.replace(last, last + "\n".join(nav_lines) + "\n"), encoding="utf-8")
    return sum(1 for _ in (project / "docs").rglob("*.md"))


def build_rounds(project: Path, runs: int, configs: list[str]) -> list[list[tuple[float, float]]]:
    """Wall-clock and CPU seconds of each build, per configuration; each round builds every
    configuration once, in turn, so that a slow spell of the machine hits them all alike."""
    times: list[list[tuple[float, float]]] = [[] for _ in configs]
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            for index, config in enumerate(configs):
                times[index].append(timed_build(project, Path(out) / "site", config))
    return times


def median_builds(project: Path, runs: int, configs: list[str]) -> list[tuple[float, float]]:
    """Median wall-clock and CPU seconds per configuration (`build_rounds`)."""
    return [
        (statistics.median(w for w, _ in t), statistics.median(c for _, c in t))
        for t in build_rounds(project, runs, configs)
    ]


def paired_ratio(times: list[tuple[float, float]], baseline: list[tuple[float, float]]) -> float:
    """The median of the rounds' ratios of wall-clock time (`build_rounds`): each round's pair was
    built back to back, so a slow spell of the machine, which moves both, cancels out."""
    return statistics.median(ours / base for (ours, _), (base, _) in zip(times, baseline, strict=True))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def maps_share(html: str) -> int:
    """Gzip bytes that the page's locator maps add to it (0 on a page without a map)."""
    whole, rest = without_maps(html)
    return 0 if whole == rest else gz(whole.encode()) - gz(rest.encode())


def page_weights(site: Path) -> dict[str, tuple[int, int]]:
    """Per page: gzip bytes of its HTML, and of the CSS and JavaScript files it loads."""
    weights = {}
    for page in sorted(site.rglob("*.html")):
        html = page.read_bytes()
        assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
        total = 0
        for asset in assets:
            path = (page.parent / asset.decode()).resolve()
            if path.is_file():
                total += gz(path.read_bytes())
        weights[page.relative_to(site).as_posix()] = (gz(html), total)
    return weights


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that compresses text like GitHub Pages does (gzip), so transfer sizes are realistic.

    Each file is compressed once and kept: compressing on every request would take CPU from the
    browser being measured on the same machine.
    """

    COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".map"}
    compressed: dict[tuple[str, int], bytes] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if path.is_file() and path.suffix in self.COMPRESSIBLE and "gzip" in self.headers.get("Accept-Encoding", ""):
            key = (str(path), path.stat().st_mtime_ns)
            body = self.compressed.get(key) or self.compressed.setdefault(key, gzip.compress(path.read_bytes(), 6))
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, port


def lighthouse(url: str, chrome: str, desktop: bool) -> dict:
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--quiet",
        f"--chrome-path={chrome}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if desktop:
        command.append("--preset=desktop")
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=300).stdout)
    audits = report["audits"]
    requests = audits["network-requests"]["details"]["items"]
    return {
        **{name: round(category["score"] * 100) for name, category in report["categories"].items()},
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "bytes": round(audits["total-byte-weight"]["numericValue"]),
        "requests": len(requests),
        "third_party": sum(1 for r in requests if not r["url"].startswith(("http://127.0.0.1", "data:"))),
    }


def median_run(url: str, chrome: str, desktop: bool, runs: int) -> dict:
    """The run with the median performance score out of `runs` Lighthouse runs."""
    results = sorted((lighthouse(url, chrome, desktop) for _ in range(runs)), key=lambda r: r["performance"])
    return results[len(results) // 2]


def pdf_edition(runs: int) -> list[str]:
    """The PDF edition's section: seconds to make both books from a built site (median), sizes, pages."""
    from pypdf import PdfReader

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        site, dist = Path(tmp) / "site", Path(tmp) / "dist"
        build(ROOT, site)
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "rnk_briefings.publications.pdf", str(site), str(dist), "--root", str(ROOT)],
                check=True,
                capture_output=True,
            )
            times.append(time.perf_counter() - start)
        books = sorted(dist.glob("*.pdf"))
        rows = [f"| {b.name} | {len(PdfReader(b).pages)} | {b.stat().st_size / 1_000_000:.2f} |" for b in books]
    return [
        "## PDF edition\n",
        f"Both books from the built site (`python -m rnk_briefings.publications.pdf`, WeasyPrint): **{statistics.median(times):.1f} s** "
        f"(median of {runs}). Target: each PDF ≤ 5 MB.\n",
        "| file | pages | MB |\n|---|---|---|",
        *rows,
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="builds per build-time measure (median)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="PDF editions made (median)")
    parser.add_argument("--factor", type=int, default=10, help="content multiplier for the growth test")
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.md"))
    parser.add_argument("--skip-lighthouse", action="store_true")
    parser.add_argument("--only-pdf", action="store_true", help="measure the PDF edition alone")
    parser.add_argument("--mobile-runs", type=int, default=3, help="Lighthouse runs per page on mobile (median)")
    parser.add_argument("--desktop-runs", type=int, default=1, help="Lighthouse runs per page on desktop (median)")
    args = parser.parse_args(argv)
    chrome = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    lines = [
        f"# Benchmark results\n\nProduced by `make bench` on {time.strftime('%Y-%m-%d')} ({os.cpu_count()} cores).\n"
    ]

    if args.only_pdf:
        report = "\n".join(lines + pdf_edition(args.pdf_runs)) + "\n"
        Path(args.output).write_text(report, encoding="utf-8")
        print(report)
        return 0

    # The project's code byte-compiled, as pip leaves the packages it installs (MkDocs, Material),
    # so that no build compiles Python source while it is timed (PYTHONDONTWRITEBYTECODE may be set).
    compileall.compile_dir(ROOT / "scripts", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        project = copy_project(ROOT, Path(tmp) / "project")
        pages = sum(1 for _ in (project / "docs").rglob("*.md"))
        rendered = rendered_markdown_config(project, Path(tmp) / "saved-site")
        rounds = build_rounds(project, args.runs, ["mkdocs.yml", vanilla_config(project), rendered])
        (ours, ours_cpu), (vanilla, _), (vanilla_rendered, vanilla_rendered_cpu) = [
            (statistics.median(w for w, _ in t), statistics.median(c for _, c in t)) for t in rounds
        ]
        ratio = paired_ratio(rounds[0], rounds[2])
        big = copy_project(ROOT, Path(tmp) / "big")
        big_pages = multiply_content(big, args.factor)
        ((ours_big, _),) = median_builds(big, max(1, args.runs // 2), ["mkdocs.yml"])
        zensical = zensical_build(project, max(1, args.runs // 2))
    growth = (ours_big / big_pages) / (ours / pages)
    lines.append("## Build time\n")
    lines.append(f"Medians of {args.runs} builds of each, in {args.runs} rounds that build each once, in turn.\n")
    lines.append("| build | pages | seconds (median) | ms per page |\n|---|---|---|---|")
    for name, seconds, count in (
        ("vanilla Material, no project hooks or extensions, the Markdown as written", vanilla, pages),
        (
            "vanilla Material, no project hooks or extensions, the Markdown as the extensions render it",
            vanilla_rendered,
            pages,
        ),
        ("this project (strict, all checks)", ours, pages),
        ("this project built by Zensical (`docs.py build-zensical`: checks, copy, both languages)", zensical, pages),
        (f"this project at {args.factor}x content", ours_big, big_pages),
    ):
        lines.append(f"| {name} | {count} | {seconds:.2f} | {1000 * seconds / count:.0f} |")
    lines.append(
        f"\nRatio to vanilla, the same rendered content (what the project's rendering and checks cost): **{ratio:.2f}x** "
        f"(target ≤ {TARGETS['build_ratio']}x), the median of the {args.runs} rounds' ratios (the ratio of the medians "
        f"above: {ours / vanilla_rendered:.2f}x). Ratio to vanilla of the Markdown as written: {ours / vanilla:.2f}x; "
        "without the extensions the data blocks (timeline, figures, glossary, source list) stay empty markers and "
        "citations stay `@key`, so that build renders less.\n"
        f"\nCPU time (every process of the build): {ours_cpu:.2f} s against {vanilla_rendered_cpu:.2f} s, "
        f"{ours_cpu / vanilla_rendered_cpu:.2f}x. On Linux a second process reads and checks the sources, and "
        "compares the two languages, while MkDocs lists the files and renders the pages (`rnk_briefings.mdx.site`), "
        "so the build takes less time than the CPU time it uses.\n"
        f"\nTime per page at {args.factor}x content relative to 1x: **{growth:.2f}** (1.0 = linear growth).\n"
    )
    lines += pdf_edition(args.pdf_runs)

    with tempfile.TemporaryDirectory() as tmp:
        server, port = serve(Path(tmp))
        site = Path(tmp) / "site"
        build(ROOT, site, env={"SITE_URL": f"http://127.0.0.1:{port}/site/"})
        weights = page_weights(site)
        rows = []
        for rel, (html_gz, assets_gz) in weights.items():
            if rel in ("404.html",):
                continue
            url = f"http://127.0.0.1:{port}/site/{rel.removesuffix('index.html')}"
            maps_gz = maps_share((site / rel).read_text(encoding="utf-8"))
            result = {
                "page": rel.removesuffix("index.html") or "/",
                "html_kb": (html_gz - maps_gz) / 1024,
                "maps_kb": maps_gz / 1024,
                "assets_kb": assets_gz / 1024,
            }
            if not args.skip_lighthouse:
                result["mobile"] = median_run(url, chrome, False, args.mobile_runs)
                result["desktop"] = median_run(url, chrome, True, args.desktop_runs)
            rows.append(result)
            print(f"bench: {result['page']}", file=sys.stderr)
        server.shutdown()

    lines.append("## Pages\n")
    lines.append(
        "HTML, maps and CSS+JS are gzip sizes (targets: HTML without its maps ≤ 16 KB, the maps ≤ 25 KB each, CSS+JS ≤ 90 KB). Lighthouse columns: performance / accessibility / best practices / SEO, "
        f"from the run with the median performance score of {args.mobile_runs} (mobile) and {args.desktop_runs} (desktop) per page.\n"
    )
    if args.skip_lighthouse:
        lines.append("| page | HTML KB | maps KB | CSS+JS KB |\n|---|---|---|---|")
        lines += [f"| {r['page']} | {r['html_kb']:.1f} | {r['maps_kb']:.1f} | {r['assets_kb']:.1f} |" for r in rows]
    else:
        lines.append(
            "| page | HTML KB | maps KB | CSS+JS KB | mobile | LCP ms | TBT ms | CLS | bytes | requests | 3rd-party | desktop |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
        )
        for r in rows:
            m, d = r["mobile"], r["desktop"]
            scores = "/".join(str(m[c]) for c in ("performance", "accessibility", "best-practices", "seo"))
            desktop = "/".join(str(d[c]) for c in ("performance", "accessibility", "best-practices", "seo"))
            lines.append(
                f"| {r['page']} | {r['html_kb']:.1f} | {r['maps_kb']:.1f} | {r['assets_kb']:.1f} | {scores} | {m['lcp_ms']} | {m['tbt_ms']} | {m['cls']} | {m['bytes']:,} | {m['requests']} | {m['third_party']} | {desktop} |"
            )
        worst = {
            c: min(r["mobile"][c] for r in rows) for c in ("performance", "accessibility", "best-practices", "seo")
        }
        worst_desktop = {c: min(r["desktop"][c] for r in rows) for c in worst}
        lines.append(
            f"\nLowest scores over all pages, mobile: {worst}; desktop: {worst_desktop}. Third-party requests: {sum(r['mobile']['third_party'] + r['desktop']['third_party'] for r in rows)}."
        )
    lines.append(
        f"\nLargest HTML without its maps: {max(r['html_kb'] for r in rows):.1f} KB gz; largest maps of a page: "
        f"{max(r['maps_kb'] for r in rows):.1f} KB gz; largest CSS+JS: {max(r['assets_kb'] for r in rows):.1f} KB gz.\n"
    )
    report = "\n".join(lines) + "\n"
    Path(args.output).write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
