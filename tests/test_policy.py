"""The content policy: each kind of hostile or oversized input stops the build with file, line and a fix.

One real build per kind of refusal (on a project copy); variations of a kind call the checker
directly, which is what the build runs (`checks.check_site` -> `content_policy.check`).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import assert_build_fails, build
from htmltools import tags
from rnk_briefings.checks import content_policy
from rnk_briefings.checks.site import check_site


def _add_page(project: Path, rel: str, body: str) -> None:
    """The same new page in both languages (so no translation is missing)."""
    for lang in ("ja", "en"):
        path = project / "docs" / lang / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"---\ntitle: T\ndescription: D.\npublished: 2026-11-21\nreviewed: 2026-11-21\n---\n\n{body}",
            encoding="utf-8",
        )


def _append(project: Path, rel: str, text: str) -> int:
    """Append text to a page; return the line number it starts on."""
    path = project / "docs" / rel
    old = path.read_text(encoding="utf-8")
    path.write_text(old + text, encoding="utf-8")
    return old.count("\n") + 1


def _html_file(project):
    (project / "docs/en/evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    return ["docs/en/evil.html:1: only Markdown pages (*.md) belong in docs/en/", "fix:"]


def _theme_script(project):
    target = project / "docs/assets/javascripts/bundle.a5f9d56c.min.js"
    target.parent.mkdir(parents=True)
    target.write_text("alert(1)", encoding="utf-8")
    return [
        "docs/assets/javascripts/bundle.a5f9d56c.min.js:1: 'assets/javascripts/bundle.a5f9d56c.min.js' would replace"
    ]


def _symlinks(project):
    os.symlink("/etc/passwd", project / "docs/assets/passwd.txt")
    os.symlink("/etc", project / "docs/en/linked", target_is_directory=True)
    os.symlink("/etc/hostname", project / "data/hostname.yml")
    return [
        "docs/assets/passwd.txt:1: symbolic link to /etc/passwd",
        "docs/en/linked:1: symbolic link to /etc",
        "data/hostname.yml:1: symbolic link to /etc/hostname",
    ]


def _huge_asset(project):
    with open(project / "docs/assets/map.png", "wb") as sparse:  # 90 MB, written in no time
        sparse.truncate(90_000_000)
    return ["docs/assets/map.png:1: the file is 90,000,000 bytes, above the limit of 1,000,000 bytes for a asset"]


def _huge_page(project):
    _append(project, "en/method.md", "\nfiller text that repeats.\n" * 12_000)  # 300 KB: a 5 MB page is below
    return ["docs/en/method.md:1: the file is", "above the limit of 200,000 bytes for a page"]


def _bad_file_name(project):
    _add_page(project, '"><img src=x onerror=alert(1)>.md', "Text.\n")
    return ['docs/en/"><img src=x onerror=alert(1)>.md:1: page file name', "fix: rename it"]


def _raw_html(project):
    line = _append(
        project,
        "en/method.md",
        '\n<script>alert(1)</script>\n\n<img src="x" onerror="alert(1)">\n\n'
        '<iframe src="https://example.com/"></iframe>\n',
    )
    return [
        f"docs/en/method.md:{line + 1}: raw HTML: <script> is not allowed (removed)",
        f'docs/en/method.md:{line + 3}: raw HTML: <img onerror="alert(1)" src="x"> is not allowed as written',
        f'docs/en/method.md:{line + 5}: raw HTML: <iframe src="https://example.com/"> is not allowed (removed)',
    ]


def _override_asset(project):
    target = project / "overrides/assets/javascripts/extra.js"
    target.parent.mkdir(parents=True)
    target.write_text("alert(1)", encoding="utf-8")
    return ["overrides/assets/javascripts/extra.js:1: overrides/ holds only theme templates (.html)"]


def _front_matter(project):
    path = project / "docs/en/method.md"
    text = path.read_text(encoding="utf-8").split("\n")
    text[1] = "title: Method <img src=x.png>"
    text[2] = 'description: A "quoted" &lt;b&gt; description.'
    path.write_text("\n".join(text), encoding="utf-8")
    return [
        "docs/en/method.md:2: 'title' contains '<', which plain text never needs",
        "docs/en/method.md:3: 'description' contains '&lt;', which plain text never needs",
    ]


CASES = [
    _html_file,
    _theme_script,
    _symlinks,
    _huge_asset,
    _huge_page,
    _bad_file_name,
    _raw_html,
    _override_asset,
    _front_matter,
]


def test_quotes_in_a_title_stay_text_in_every_attribute(project, tmp_path):
    """A double quote is ordinary text in a title: escaped where a template puts it into an attribute."""
    title, description = 'Method: the "summit" x" data-x="y', 'A "quoted" description" data-y="z'
    path = project / "docs/en/method.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1], lines[2] = f"title: {json.dumps(title)}", f"description: {json.dumps(description)}"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = build(project, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/en/method/index.html").read_text(encoding="utf-8")
    for meta in tags(html, "meta"):
        assert "data-x" not in meta and "data-y" not in meta, meta
    assert [m["content"] for m in tags(html, "meta") if m.get("name") == "description"] == [description]
    assert [m["content"] for m in tags(html, "meta", property="og:title")] == [title]
    assert [m["content"] for m in tags(html, "meta", property="og:description")] == [description]
    assert "<h1>Method: the &#34;summit" in html or '<h1>Method: the "summit" x" data-x="y</h1>' in html


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__.strip("_"))
def test_build_refuses(project, tmp_path, case):
    assert_build_fails(project, tmp_path / "site", case(project), case.__name__)
    if case is not _front_matter:  # the policy stops the build before MkDocs copies or renders a file
        assert not (tmp_path / "site" / "assets").exists(), "nothing is published"


def test_a_5_mb_page_is_refused_without_being_read(project):
    _append(project, "en/method.md", "\nfiller text that repeats.\n" * 200_000)
    started = time.monotonic()
    problems = _problems(project)
    assert time.monotonic() - started < 5, "the checks stop at the size (rendering it took 80 s)"
    assert problems == [
        f"docs/en/method.md:1: the file is {(project / 'docs/en/method.md').stat().st_size:,} bytes, above the "
        f"limit of 200,000 bytes for a page\n    fix: split a page into several pages; make an asset smaller "
        "(or leave it out)"
    ]


def test_the_build_stops_before_copying_anything(project, tmp_path):
    os.symlink("/etc/passwd", project / "docs/assets/passwd.txt")
    _huge_asset(project)
    result = build(project, tmp_path / "site")
    assert result.returncode != 0
    assert not (tmp_path / "site" / "assets" / "passwd.txt").exists(), "the link's target is never copied"
    assert not (tmp_path / "site" / "assets" / "map.png").exists(), "the 90 MB file is never copied"


def _problems(project: Path) -> list[str]:
    return [str(p) for p in check_site(project / "docs", project)[1]]


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ('<a href="javascript:alert(1)">x</a>', '<a href="javascript:alert(1)"> is not allowed'),
        ('<a href=" JaVa&#x09;Script:alert(1)">x</a>', "is not allowed as written: the allowlist keeps <a>"),
        ('<a href="&#106;avascript:alert(1)">x</a>', '<a href="javascript:alert(1)"> is not allowed'),
        ("<svg onload=alert(1)>", '<svg onload="alert(1)"> is not allowed'),
        ("<img src=x\x0conerror=alert(1)>", '<img onerror="alert(1)" src="x"> is not allowed'),
        ("<!--><img src=x onerror\n=alert(1)>-->", '<img onerror="alert(1)" src="x"> is not allowed'),
        ("<svg><script>alert(1)</script></svg>", "<script> is not allowed (removed)"),
        ("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "<math> is not allowed"),
        ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>', "<noscript> is not allowed"),
        ("<template><img src=x onerror=alert(1)></template>", "<template> is not allowed"),
        ('<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe"),
        ('<button formaction="javascript:alert(1)">x</button>', "<button"),
        ('<img src="//tracker.example/p.png">', '<img src="//tracker.example/p.png"> is not allowed'),
        ('<a rel="attachment" href="/proc/self/environ">x</a>', 'rel="attachment"'),
        ('<abbr title="<img src=x onerror=alert(1)>">x</abbr>', 'the allowlist keeps <abbr title="&lt;img'),
        ('<p class="md-annotation">x</p>', '<p class="md-annotation"> is not allowed'),
        ("<STYLE>body{}</STYLE>", "<style> is not allowed"),
        ("<meta http-equiv=refresh content=0>", "<meta"),
        ('<link rel="stylesheet" href="x.css">', "<link"),
        ("<base href=https://evil.example/>", "<base"),
        ("<object data=x></object> <embed src=x> <form>", "<object"),
    ],
)
def test_page_text_refused(markdown, message):
    """Raw HTML in a page is read by an HTML5 parser and held to the allowlist, with the line it starts on."""
    problems = content_policy.check_page_text(f"Intro.\n\n{markdown}\n", "docs/en/x.md")
    assert any(p.line == 3 and message in p.message for p in problems), problems


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x]( JaVaScRiPt:alert(1))",
        "[x](java&#115;cript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x]\n\n[x]: vbscript:msgbox",
        "Text\n{: onclick=alert(1) }",
        "![map](https://tracker.example/p.png)",
        '[x](method.md "<img src=x onerror\n=alert(1)>")',
    ],
)
def test_markdown_made_html_refused_by_the_renderer(markdown):
    """Links and attributes written in Markdown are judged where they become HTML: by the renderer's allowlist."""
    import markdown as python_markdown

    from rnk_briefings.inputs import html_allowlist

    rendered = python_markdown.markdown(f"Intro.\n\n{markdown}\n", extensions=["attr_list"])
    cleaned, changes = html_allowlist.sanitize_and_review(rendered)
    assert changes, rendered
    assert html_allowlist.changes(cleaned) == []  # what the renderer publishes is a fixed point


def test_ordinary_text_and_links_pass():
    text = (
        "Based on the data: 11,000 troops.[^a] See [the method](method.md) and <https://example.org/>.\n"
        '<span lang="en" data-parity="skip">x</span> ![map](../assets/map.png) "online" = yes\n'
    )
    assert content_policy.check_page_text(text, "docs/en/x.md") == []


def test_assets_are_checked_by_type_name_and_content(project):
    assets = project / "docs/assets"
    (assets / "ok-map.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>')
    (assets / "bad.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script></svg>')
    (assets / "remote.css").write_text("a { color: red }\n@import url(https://evil.example/x.css);\n")
    (assets / "tool.exe").write_bytes(b"MZ")
    (assets / "Bad Name.png").write_bytes(b"\x89PNG")
    (assets / "images").mkdir()
    (assets / "images/favicon.png").write_bytes(b"\x89PNG")  # the theme's own favicon
    (project / "docs/notes.txt").write_text("x")
    problems = _problems(project)
    assert not any("ok-map.svg" in p for p in problems)
    for expected in [
        "docs/assets/bad.svg:2: column 1: <script> is not an element of the SVG subset",
        "docs/assets/remote.css:2: the css file holds @import",
        "docs/assets/tool.exe:1: 'assets/tool.exe' is not one of the asset types",
        "docs/assets/Bad Name.png:1: asset name",
        "docs/assets/images/favicon.png:1: 'assets/images/favicon.png' would replace a file of the theme",
        "docs/notes.txt:1: docs/ holds only pages",
    ]:
        assert any(p.startswith(expected) and "fix:" in p for p in problems), (expected, problems)


def test_reserved_folder_names_for_pages(project):
    _add_page(project, "en/method.md", "Text.\n")  # docs/ja/en/method.md would be the English page's address
    problems = _problems(project)
    assert any(p.startswith("docs/ja/en/method.md:1: page file name") for p in problems), problems


def test_front_matter_refusals(project):
    path = project / "docs/en/method.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    for title, found in [
        ("A &amp; B", "'&amp;'"),
        ("A&#60;b", "'&#60;'"),
        ("Tab\there", "'\\t'"),
        ("2024-01-01", "'title' is not text"),
    ]:
        lines[1] = f"title: {title}" if "\t" not in title else f'title: "{title.replace(chr(9), chr(92) + "t")}"'
        path.write_text("\n".join(lines), encoding="utf-8")
        problems = _problems(project)
        assert any(p.startswith("docs/en/method.md:2: ") and found in p for p in problems), (title, problems)
    lines[1] = "title: Method: how the site is made, “quoted” and 1–2 (ok)"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert not any("'title'" in p for p in _problems(project))


def test_the_real_project_passes_the_policy():
    root = Path(__file__).resolve().parent.parent
    assert content_policy.check(root / "docs", root) == []
