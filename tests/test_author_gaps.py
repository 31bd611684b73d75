"""The mistakes a new author made that once passed silently, and messages that named the wrong line.

Each case breaks a copy of the project (never the real docs) in one way and asserts exactly one
message: its file, its line (found in the broken file, not copied from the output), its message and
its hint. Several variants of each mistake are tried, since the rules are for the class, not the
example. The checks run in-process (`check_site`, what `make check` and the build run first); the
mistakes only MkDocs sees (links, the nav) and one of each kind above run the real strict build.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, build, line_of, replace_once
from rnk_briefings.checks.site import check_site
from rnk_briefings.inputs.registry import load_registry

JA_DEPLOY = "docs/ja/briefings/deployments.md"
EN_DEPLOY = "docs/en/briefings/deployments.md"


def _problems(project: Path) -> list:
    _, problems = check_site(project / "docs", project)
    return problems


def _one(project: Path, file: str, line: int, message: str, fix: str) -> None:
    problems = _problems(project)
    assert len(problems) == 1, "one mistake, one message:\n" + "\n".join(map(str, problems))
    (problem,) = problems
    assert (problem.file, problem.line) == (file, line), str(problem)
    assert re.search(message, problem.message), str(problem)
    assert re.search(fix, problem.fix), str(problem)


def _lines(project: Path, rel: str) -> list[str]:
    return (project / rel).read_text(encoding="utf-8").split("\n")


def test_the_unbroken_copy_has_no_problem(project):
    assert _problems(project) == []


# --- 1. A sentence without its footnote, per paragraph, list item and table row ----------------


def _drop_reference(project: Path, rel: str, needle: str, label: str) -> int:
    """Remove one use of [^label] from the line holding `needle`; return that line."""
    line = line_of(project / rel, needle)
    lines = _lines(project, rel)
    assert f"[^{label}]" in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(f"[^{label}]", "", 1)
    (project / rel).write_text("\n".join(lines), encoding="utf-8")
    return line


@pytest.mark.parametrize(
    ("rel", "needle", "label", "other", "key"),
    [
        # a table row whose source is cited elsewhere in the same section (the silent case)
        (JA_DEPLOY, "| 2025年1月 |", "wt-troops", EN_DEPLOY, "salmon-2025"),
        # a list item, in English
        (EN_DEPLOY, "The troop figures are not reconciled", "xu-intel", JA_DEPLOY, "xu-2024"),
        # a paragraph
        (JA_DEPLOY, "以下の数字は出典も時点も異なり", "xu-intel", EN_DEPLOY, "xu-2024"),
    ],
)
def test_a_sentence_that_lost_its_footnote_is_named_with_its_counterpart(project, rel, needle, label, other, key):
    line = _drop_reference(project, rel, needle, label)
    counterpart = line  # the two pages are written line for line here; the message must name it
    assert _lines(project, other)[counterpart - 1].strip()
    _one(project, rel, line, rf"does not cite @{key}, which its counterpart {other}:{counterpart} .* cites", "footnote")


def test_a_reference_removed_while_its_definition_stays_is_named_at_the_sentence(project):
    rel = "docs/ja/index.md"
    line = line_of(project / rel, "[^kelly-fade]。")
    replace_once(project / rel, "[^kelly-fade]。", "。")
    _one(
        project,
        rel,
        line,
        rf"lost its reference \[\^kelly-fade\] \(@kelly-2025\): its counterpart docs/en/index.md:{line_of(project / 'docs/en/index.md', 'Robert E. Kelly of Pusan')} ",
        r"put \[\^kelly-fade\] back .*definition, line \d+, is kept",
    )
    assert "delete" not in str(_problems(project)[0])


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_footnote_removed_from_a_paragraph_citing_the_same_source_again_is_found(project, lang):
    """The paragraph still cites the source through its other footnotes: the count of footnotes tells."""
    rel, other = f"docs/{lang}/overview.md", f"docs/{'en' if lang == 'ja' else 'ja'}/overview.md"
    line = line_of(project / rel, "[^wt-adiz]")
    definition = next(t for t in _lines(project, rel) if t.startswith("[^wt-adiz]:"))
    replace_once(project / rel, "[^wt-adiz]", "")
    replace_once(project / rel, definition + "\n", "")  # the footnote deleted whole: reference and definition
    assert "[^wt-shoigu]" in _lines(project, rel)[line - 1]  # the same source is still cited there
    _one(
        project,
        rel,
        line,
        rf"cites @salmon-2025 fewer times than its counterpart {other}:{line_of(project / other, '[^wt-adiz]')} ",
        "add the footnote that cites @salmon-2025",
    )


def test_a_footnote_swapped_for_another_on_one_side_is_one_message(project):
    rel = "docs/en/index.md"
    replace_once(project / rel, "whose estimate that is.[^wt-troops]", "whose estimate that is.[^kelly-fade]")
    _one(project, rel, line_of(project / rel, "whose estimate that is."), r"lost its reference \[\^wt-troops\]", "put")


def test_a_label_citing_another_source_in_one_language_is_one_message_at_its_definition(project):
    replace_once(project / EN_DEPLOY, "[^wt-troops]: @salmon-2025,", "[^wt-troops]: @xu-2024,")
    _one(
        project,
        EN_DEPLOY,
        line_of(project / EN_DEPLOY, "[^wt-troops]: @xu-2024"),
        rf"\[\^wt-troops\] cites @xu-2024 here but @salmon-2025 in {JA_DEPLOY}:{line_of(project / JA_DEPLOY, '[^wt-troops]:')}",
        "same source",
    )


def test_a_source_cited_in_one_language_only_names_the_paragraph_in_each_file(project):
    replace_once(
        project / "docs/ja/sources.md",
        "<!-- source-list -->",
        "<!-- source-list -->\n\n追加の記述[^extra-src]。\n\n[^extra-src]: @korean-daily-2024\n",
    )
    en_lines = _lines(project, "docs/en/sources.md")
    marker = en_lines.index("<!-- source-list -->")
    section = max(i for i in range(marker) if en_lines[i].startswith("## ")) + 1  # the counterpart section
    _one(
        project,
        "docs/en/sources.md",
        section,
        rf"@korean-daily-2024 is cited in docs/ja/sources.md:{line_of(project / 'docs/ja/sources.md', '追加の記述')} 「追加の記述。」 but not here",
        "add the footnote",
    )


# --- 2. Timeline dates ------------------------------------------------------------------------

TIMELINE = "data/timeline.yml"


def _future() -> str:
    return (dt.date.today() + dt.timedelta(days=400)).isoformat()


@pytest.mark.parametrize(
    ("old", "new", "message", "fix"),
    [
        ('- date: "1967"', f'- date: "{_future()}"', r"is dated \S+, in the future", "forecast"),
        (
            '- date: "2008"\n  end: "2014"',
            '- date: "2008"\n  end: "2025-03"',
            r"ends 2025-03, after every source",
            "after the source",
        ),
        (
            '- date: "2008"\n  end: "2014"',
            f'- date: "2008"\n  end: "{_future()[:4]}"',
            r"ends \d{4}, in the future",
            "forecast",
        ),
    ],
)
def test_a_timeline_date_no_source_could_report_is_an_error_at_its_line(project, old, new, message, fix):
    replace_once(project / TIMELINE, old, new)
    _one(project, TIMELINE, line_of(project / TIMELINE, new.split("\n")[-1].strip()), message, fix)


def test_an_event_dated_after_its_only_dated_source_is_an_error(project):
    text = (project / TIMELINE).read_text(encoding="utf-8")
    entries = yaml.safe_load(text)
    sources, _ = load_registry(project / "data/sources.yml")
    dates = {key: source.date.iso() for key, source in sources.items() if not source.date_bound}
    # An event resting on one source with an exact date: dated a year past that source.
    entry = next(
        e
        for e in entries
        if e["kind"] == "event"
        and len(e["sources"]) == 1
        and "dated_from" not in e
        and "end" not in e
        and len(dates.get(e["sources"][0], "")) == 10
    )
    later = str(int(dates[entry["sources"][0]][:4]) + 1)
    old = f'- date: "{entry["date"]}"\n  kind: event\n  ja: {entry["ja"]}'
    replace_once(project / TIMELINE, old, f'- date: "{later}"\n  kind: event\n  ja: {entry["ja"]}')
    _one(
        project,
        TIMELINE,
        line_of(project / TIMELINE, f'- date: "{later}"'),
        rf"is dated {later}, after every source that reports it \(the latest, @{entry['sources'][0]}, is dated",
        "forecast",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [('- date: "1967"', '- date: "1975"'), ('- date: "2008"\n  end: "2014"', '- date: "1951"\n  end: "1952"')],
)
def test_a_timeline_entry_out_of_date_order_is_one_message_saying_where_it_belongs(project, old, new):
    replace_once(project / TIMELINE, old, new)
    first = new.split("\n")[0]
    _one(
        project,
        TIMELINE,
        line_of(project / TIMELINE, first),
        r"out of date order",
        r"move it (before|after) the entry dated \S+ \(line \d+\)",
    )


def test_timeline_order_fix_names_a_line_that_exists(project):
    replace_once(project / TIMELINE, '- date: "1967"', '- date: "1975"')
    (problem,) = _problems(project)
    line = int(re.search(r"line (\d+)", problem.fix).group(1))
    assert _lines(project, TIMELINE)[line - 1].startswith("- date:")


# --- 3. Glossary names in one language only ---------------------------------------------------

GLOSSARY = "data/glossary.yml"


@pytest.mark.parametrize(
    ("lang", "right", "wrong"),
    [
        ("en", "air defence identification zone", "air defense identification zone"),
        ("en", "Treaty on Comprehensive Strategic Partnership", "Treaty on Comprehensive Strategic Partnershp"),
        ("ja", "包括的戦略パートナーシップ条約", "包括的戦略パートナシップ条約"),
        ("ja", "防空識別圏", "防空識別権"),
    ],
)
def test_a_misspelt_glossary_name_is_found_at_its_line_with_did_you_mean(project, lang, right, wrong):
    replace_once(project / GLOSSARY, f"  {lang}: {right}\n", f"  {lang}: {wrong}\n")
    language = {"ja": "Japanese", "en": "English"}[lang]
    _one(
        project,
        GLOSSARY,
        line_of(project / GLOSSARY, f"  {lang}: {wrong}"),
        rf"'{re.escape(wrong)}' \({lang}\) occurs on no {language} page, while its \w+ name '.+' occurs in docs/",
        rf"did you mean '{re.escape(right)}'\?",
    )


# --- 4. Malformed data markers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "[[図:nk-troops-2024-10]]",
        "[[fig nk-troops-2024-10]]",
        "[[ fig:nk-troops-2024-10 ]]",
        "[[fig：nk-troops-2024-10]]",
        "[fig:nk-troops-2024-10]",
        "[[fig:nk-troops-2024-10]",
        "[[Fig:nk-troops-2024-10]]",
    ],
)
def test_a_malformed_figure_reference_is_one_error_with_did_you_mean(project, written):
    replace_once(project / JA_DEPLOY, "[[fig:nk-troops-2024-10]]", written)
    _one(
        project,
        JA_DEPLOY,
        line_of(project / JA_DEPLOY, written),
        rf"'{re.escape(written)}' is not a figure reference",
        r"did you mean \[\[fig:nk-troops-2024-10\]\]\?",
    )


@pytest.mark.parametrize(
    ("rel", "right", "written"),
    [
        ("docs/en/sources.md", "<!-- source-list -->", "<!--source-list-->"),
        ("docs/ja/sources.md", "<!-- source-list -->", "<!-- sources-list -->"),
        ("docs/en/figures.md", "<!-- figures-table -->", "<!-- figures_table -->"),
        ("docs/en/figures.md", "<!-- figures-table -->", "<!-- figure-table -->"),
        ("docs/ja/timeline.md", "<!-- timeline -->", "<!--  timeline -->"),
        ("docs/en/people.md", "<!-- glossary: person place -->", "<!-- glossary person place -->"),
        ("docs/en/people.md", "<!-- glossary: person place -->", "<!-- glossary:person place -->"),
        ("docs/en/figures.md", "<!-- figures-chart: ", "<!-- figures-chart "),
    ],
)
def test_a_malformed_marker_comment_is_one_error_with_did_you_mean(project, rel, right, written):
    replace_once(project / rel, right, written)
    line = line_of(project / rel, written)
    meant = re.escape(right if right.endswith("-->") else right.rstrip())
    _one(project, rel, line, "is not a data marker as written", rf"did you mean '{meant}")


def test_an_ordinary_comment_is_no_marker(project):
    replace_once(
        project / "docs/en/figures.md",
        "<!-- figures-table -->",
        "<!-- figures table: check the 2025 row -->\n<!-- figures-table -->",
    )
    replace_once(
        project / "docs/ja/figures.md",
        "<!-- figures-table -->",
        "<!-- 表の2025年の行を確かめること -->\n<!-- figures-table -->",
    )
    assert _problems(project) == []


# --- 5, and the nav: at the mkdocs.yml line -----------------------------------------------------


def _nav_problems(result) -> list[str]:
    return re.findall(r"^(?:ERROR|WARNING) +-  (?!the checks found)(.*)$", result.stderr, re.M)


def _built(project: Path, tmp_path: Path) -> list[str]:
    result = build(project, tmp_path / "out")
    assert result.returncode != 0, "the build passed"
    return _nav_problems(result), result.stderr


@pytest.mark.parametrize(
    ("override", "first_wrong"),
    [
        (["index.md", "briefings/motives.md", "overview.md"], 1),  # a briefing moved up
        (["overview.md", "index.md"], 0),  # the first two swapped
    ],
)
def test_a_language_nav_in_another_order_is_one_error_at_its_line(project, override, first_wrong):
    entries = "".join(f"            - {page}\n" for page in override)
    replace_once(
        project / "mkdocs.yml", "          nav_translations:", f"          nav:\n{entries}          nav_translations:"
    )
    shared = ["index.md", "overview.md"]
    wrong = override[first_wrong]
    _one(
        project,
        "mkdocs.yml",
        line_of(project / "mkdocs.yml", f"            - {wrong}"),
        rf"the en nav lists '{wrong}' where the shared nav has '{shared[first_wrong]}' \(line \d+\)",
        "same order",
    )


def test_a_nav_entry_for_a_missing_page_names_its_mkdocs_yml_line_once(project, tmp_path):
    replace_once(
        project / "mkdocs.yml",
        "      - briefings/outlook.md\n",
        "      - briefings/outlook.md\n      - briefings/sanctions.md\n",
    )
    line = line_of(project / "mkdocs.yml", "- briefings/sanctions.md")
    messages, stderr = _built(project, tmp_path)
    assert len(messages) == 1, stderr
    assert messages[0].startswith(f"mkdocs.yml:{line}: the nav lists 'briefings/sanctions.md', which is not a page"), (
        stderr
    )
    assert f"remove line {line}" in stderr


def test_a_misspelt_nav_entry_suggests_the_page(project):
    replace_once(project / "mkdocs.yml", "      - briefings/outlook.md\n", "      - briefings/outlok.md\n")
    _one(
        project,
        "mkdocs.yml",
        line_of(project / "mkdocs.yml", "outlok"),
        "not a page",
        r"did you mean 'briefings/outlook.md'\?",
    )


def test_a_page_left_out_of_the_nav_names_the_line_to_add_it_after(project, tmp_path):
    page = "---\ntitle: X\ndescription: X\npublished: 2026-11-21\nreviewed: 2026-11-21\nrevisions:\n  - date: 2026-11-21\n    summary: {}\n---\n\nText.\n"
    (project / "docs/ja/briefings/extra.md").write_text(page.format("初版を公開。"), encoding="utf-8")
    (project / "docs/en/briefings/extra.md").write_text(page.format("First published."), encoding="utf-8")
    after = line_of(project / "mkdocs.yml", "- briefings/outlook.md")
    messages, stderr = _built(project, tmp_path)
    assert len(messages) == 1, stderr
    assert messages[0].startswith(
        f"mkdocs.yml:{after}: docs/ja/briefings/extra.md and docs/en/briefings/extra.md are not in the nav"
    ), stderr
    assert f"add `- briefings/extra.md` to nav: in mkdocs.yml after line {after} ('briefings/outlook.md')" in stderr


# --- The lists of briefings follow the nav ----------------------------------------------------


@pytest.mark.parametrize("rel", ["docs/en/index.md", "docs/ja/overview.md"])
def test_a_list_of_briefings_without_one_of_the_nav_briefings_is_one_error(project, rel):
    line = next(
        i
        for i, text in enumerate(_lines(project, rel), 1)
        if "](briefings/china.md)" in text and re.match(r"^(\d+\.|-) \[", text)
    )
    lines = _lines(project, rel)
    del lines[line - 1]
    (project / rel).write_text("\n".join(lines), encoding="utf-8")
    _one(
        project,
        rel,
        line,
        "the list of briefings does not link briefings/china.md, which the nav lists",
        rf"before line {line}",
    )


def test_new_page_lists_a_new_briefing_on_the_home_and_overview_pages(project):
    shutil.copy2(ROOT / "scripts/docs.py", project / "scripts/docs.py")
    command = [str(ROOT / ".venv/bin/python"), "scripts/docs.py", "new-page", "briefings/sanctions"]
    command += [
        "--title-ja",
        "制裁",
        "--title-en",
        "Sanctions",
        "--description-ja",
        "制裁の概要。",
        "--description-en",
        "Sanctions in brief.",
    ]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    for lang in ("ja", "en"):
        for name in ("index.md", "overview.md"):
            text = (project / f"docs/{lang}/{name}").read_text(encoding="utf-8")
            assert text.count("(briefings/sanctions.md)") == 1, name
            assert text.index("(briefings/outlook.md)") < text.index("(briefings/sanctions.md)")
    numbers = [int(m) for m in re.findall(r"^(\d+)\. \[", (project / "docs/en/index.md").read_text(), re.M)]
    assert numbers == list(range(1, len(numbers) + 1))
    # Only the scaffold lines are left for the author to write.
    assert {p.message for p in _problems(project)} == {"the page still has a scaffold instruction"}


# --- Messages at the line to edit -------------------------------------------------------------


def test_reviewed_earlier_than_published_is_one_message_at_the_reviewed_line(project):
    rel = "docs/en/overview.md"
    published = re.search(r"^published: (\S+)$", (project / rel).read_text(), re.M).group(1)
    earlier = (dt.date.fromisoformat(published) - dt.timedelta(days=20)).isoformat()
    text = (project / rel).read_text()
    (project / rel).write_text(re.sub(r"^reviewed: \S+$", f"reviewed: {earlier}", text, count=1, flags=re.M))
    _one(
        project,
        rel,
        line_of(project / rel, "reviewed:"),
        rf"'reviewed' \({earlier}\) is earlier than 'published' \({published}\)",
        r"set `reviewed:`.*`published:` \(line \d+\)",
    )


@pytest.mark.parametrize(
    ("rel", "old", "new", "fix"),
    [
        (
            "docs/ja/method.md",
            "（2024年10月31日付、",
            "（2024/10/31付、",
            "write the date in the Japanese sentence as 2024年10月31日",
        ),
        (
            "docs/en/method.md",
            "31 October 2024",
            "October 31, 2024",
            "write the date in the English sentence as 31 October 2024",
        ),
        (
            EN_DEPLOY,
            "11,000–13,000 elite troops were sent",
            "about 12,000 elite troops were sent",
            "keep the range in the English sentence: 11,000–13,000",
        ),
        (
            EN_DEPLOY,
            "11,000–13,000 elite troops were sent",
            "11,000 to 13,000 elite troops were sent",
            "keep the range in the English sentence: 11,000–13,000",
        ),
    ],
)
def test_a_date_or_range_in_another_notation_says_how_to_write_it(project, rel, old, new, fix):
    replace_once(project / rel, old, new)
    # One message, at the Japanese sentence, naming the English one (the value differs on both sides).
    ja, en = (rel.replace("/en/", f"/{lang}/").replace("/ja/", f"/{lang}/") for lang in ("ja", "en"))
    line = line_of(project / rel, new)
    assert _lines(project, ja)[line - 1].strip() and _lines(project, en)[line - 1].strip()
    _one(project, ja, line, rf"states .* where {en}:{line} ", re.escape(fix))


@pytest.mark.parametrize(
    ("rel", "link", "meant"),
    [
        ("docs/en/method.md", "../ja/method.md", "method.md"),
        ("docs/en/method.md", "../ja/", "index.md"),
        ("docs/ja/method.md", "../en/briefings/china/", "briefings/china.md"),
    ],
)
def test_a_link_to_the_other_language_says_to_link_this_language(project, tmp_path, rel, link, meant):
    replace_once(project / rel, "\n## ", f"\n[x]({link})\n\n## ")
    line = line_of(project / rel, f"[x]({link})")
    messages, stderr = _built(project, tmp_path)
    assert len(messages) == 1, stderr
    assert messages[0].startswith(f"{rel}:{line}: "), stderr
    assert f"link to the page in this page's language: did you mean '{meant}'?" in stderr
    assert "language switcher" in stderr


def test_a_refused_asset_name_names_the_pages_linking_it_and_a_renamed_one_is_suggested(project, tmp_path):
    shutil.copy2(project / "docs/assets/favicon.svg", project / "docs/assets/Map Korea.svg")
    for lang in ("ja", "en"):
        replace_once(project / f"docs/{lang}/method.md", "\n## ", "\n![x](../assets/Map%20Korea.svg)\n\n## ")
    problems = _problems(project)
    assert len(problems) == 1, problems
    (problem,) = problems
    assert (problem.file, problem.line) == ("docs/assets/Map Korea.svg", 1)
    lines = {lang: line_of(project / f"docs/{lang}/method.md", "Map%20Korea") for lang in ("ja", "en")}
    assert "rename it, e.g. to assets/map-korea.svg" in problem.fix
    assert f"docs/ja/method.md:{lines['ja']}" in problem.fix and f"docs/en/method.md:{lines['en']}" in problem.fix
    # Renamed, the old links now say where the asset went.
    (project / "docs/assets/Map Korea.svg").rename(project / "docs/assets/map-korea.svg")
    replace_once(project / "docs/ja/method.md", "Map%20Korea", "map-korea")
    messages, stderr = _built(project, tmp_path)
    assert len(messages) == 1, stderr
    assert messages[0].startswith(f"docs/en/method.md:{lines['en']}: "), stderr
    assert "did you mean '../assets/map-korea.svg'?" in stderr and "an existing .md file" not in stderr


# --- The real build stops on each kind of mistake the checks find -----------------------------


def test_the_strict_build_stops_on_a_silent_mistake_with_one_message(project, tmp_path):
    replace_once(project / JA_DEPLOY, "[[fig:nk-troops-2024-10]]", "[[図:nk-troops-2024-10]]")
    messages, stderr = _built(project, tmp_path)
    assert len(messages) == 1, stderr
    assert messages[0].startswith(f"{JA_DEPLOY}:{line_of(project / JA_DEPLOY, '[[図:')}: "), stderr


# --- make serve PORT=… HOST=… -----------------------------------------------------------------


def test_make_serve_takes_port_and_host_from_the_command_line_only(tmp_path):
    command = ["make", "-n", "-o", ".venv/.site", "serve"]
    env = {"PATH": "/usr/bin:/bin", "PORT": "1", "HOST": "elsewhere"}
    given = subprocess.run(command + ["PORT=8765", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True, env=env)
    assert "--dev-addr 0.0.0.0:8765" in given.stdout, given.stdout + given.stderr
    default = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    assert "--dev-addr 127.0.0.1:8000" in default.stdout, default.stdout + default.stderr
