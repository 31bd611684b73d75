"""The pages as a reader sees them, measured in headless Chromium: a phone (390 px) and a desktop
(1366 px), both languages, light and dark, the web site and the offline bundle, and print.

Every page is audited at both widths in the light scheme; the dark scheme and the offline bundle on a
representative set (the chart, a briefing with many notes and tables, the home page). The tests
assert on measurements (text, boxes, colours), never on pixels; `make screenshots` is for people.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT
from reader import search
from rnk_briefings.inputs.glossary import EXPLAINED_KINDS, load_glossary
from rnk_briefings.inputs.registry import load_registry
from test_offline import offline_work, unzipped  # noqa: F401 (the session's one offline build)

pytestmark = pytest.mark.browser

WIDTHS = (390, 1366)
SAMPLE = ("figures/", "briefings/deployments/", "")  # the chart, many notes and a wide table, the home page

# One look at a page: its visible text, what sticks out of the viewport, its glossary tooltips, its
# chart's text boxes, its wide tables and its language menu.
AUDIT = """() => {
  const width = document.documentElement.clientWidth;
  const visible = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const scrolls = e => e.closest(".md-typeset__scrollwrap, pre");
  const wide = [...document.querySelectorAll(".md-content *, .md-footer *")]
    .filter(e => visible(e) && !scrolls(e) && !e.closest("svg"))
    .map(e => [e, e.getBoundingClientRect()])
    .filter(([e, r]) => r.right > width + 0.5 || r.left < -0.5)
    .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
  const abbrs = [...document.querySelectorAll("article abbr[title]")].map(a => {
    const block = a.closest("p, li, td, th, dd, dt, h1, h2, h3, figcaption") || a.parentElement;
    const before = document.createRange(), after = document.createRange();
    before.setStart(block, 0); before.setEndBefore(a);
    after.setStartAfter(a); after.setEnd(block, block.childNodes.length);
    return {text: a.textContent, title: a.getAttribute("title"), after: after.toString().slice(0, 40),
            around: before.toString().slice(-40) + a.textContent + after.toString().slice(0, 40)};
  });
  const chart = [...document.querySelectorAll("svg.figure-chart")].map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return {box: [box.left, box.top, box.right, box.bottom], texts: [...svg.querySelectorAll("text")].map(t => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, box: [r.left, r.top, r.right, r.bottom],
              px: parseFloat(getComputedStyle(t).fontSize) * scale};
    })};
  });
  const tables = [...document.querySelectorAll(".md-typeset__scrollwrap")]
    .filter(w => w.scrollWidth > w.clientWidth + 1)
    .map(w => getComputedStyle(w).backgroundImage);
  const current = [...document.querySelectorAll(".md-select__link[aria-current='true']")].map(a => a.lang);
  // Separators are text the renderer writes, never drawn by CSS (which would not see the text between).
  const drawn = [...document.querySelectorAll("sup")].map(s => getComputedStyle(s, "::before").content)
    .filter(c => c !== "none" && c !== "normal");
  return {text: document.querySelector(".md-content").innerText, wide, abbrs, chart, tables, current, drawn,
          lang: document.documentElement.lang, scrollWidth: document.documentElement.scrollWidth, width};
}"""

# Artefacts around note markers in the visible text: a comma after a sentence's end, doubled commas.
ARTEFACT = re.compile(r"[.。．!?！？][,，、]\s*\d|[。．][,，]|,,|，，|、,")
LITERAL = re.compile(r"\[\^[^\]]*\]|(?<![\w/])@[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b|\*\*\S|\]\(|^#{1,6} |```", re.M)


@pytest.fixture(scope="module")
def glossary():
    sources, problems = load_registry(ROOT / "data/sources.yml")
    entries, more = load_glossary(ROOT / "data/glossary.yml", set(sources))
    assert not problems + more
    return entries


def _context(browser, width: int, scheme: str = "light", touch: bool = False):
    return browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, has_touch=touch, is_mobile=touch
    )


def _check(seen: dict, where: str, glossary, width: int) -> list[str]:
    """Every problem of one audited page, each naming the page."""
    problems = []
    for match in ARTEFACT.finditer(seen["text"]):
        problems.append(f"{where}: punctuation artefact {seen['text'][max(0, match.start() - 30) : match.end()]!r}")
    for match in LITERAL.finditer(seen["text"]):
        problems.append(f"{where}: literal markup {seen['text'][max(0, match.start() - 30) : match.end() + 10]!r}")
    problems += [f"{where}: a separator drawn by CSS: {content}" for content in seen["drawn"]]
    if seen["scrollWidth"] > seen["width"]:
        problems.append(f"{where}: the page scrolls sideways ({seen['scrollWidth']} > {seen['width']})")
    problems += [f"{where}: wider than the viewport: {w}" for w in seen["wide"]]
    problems += [f"{where}: a table scrolls with no sign of it" for bg in seen["tables"] if "gradient" not in bg]
    if seen["current"] != [seen["lang"]]:
        problems.append(f"{where}: the language menu marks {seen['current']} as current, not {seen['lang']}")
    problems += _tooltip_problems(seen, where, glossary)
    for chart in seen["chart"]:
        problems += _chart_problems(chart, where, width)
    return problems


def _tooltip_problems(seen: dict, where: str, glossary) -> list[str]:
    """Each tooltip is the definition of the very term it is on, never of a part of a longer name."""
    lang, problems = seen["lang"], []
    names = {text for e in glossary for text in (e.name[lang], e.abbr, e.original) if text}
    for abbr in seen["abbrs"]:
        entries = [e for e in glossary if e.kind in EXPLAINED_KINDS and abbr["text"] in (e.name[lang], e.abbr)]
        if not entries or not any(e.note[lang] in abbr["title"] for e in entries):
            problems.append(f"{where}: tooltip on {abbr['text']!r} is not its definition: {abbr['title']!r}")
        longer = [n for n in names if abbr["text"] in n and n != abbr["text"] and n in abbr["around"]]
        if longer or (lang == "en" and abbr["text"].split()[-1][0].isupper() and re.match(r" [A-Z]", abbr["after"])):
            problems.append(f"{where}: tooltip on {abbr['text']!r} inside a longer name: {abbr['around']!r}")
    return problems


def _chart_problems(chart: dict, where: str, width: int) -> list[str]:
    problems = []
    left, top, right, bottom = chart["box"]
    texts = [t for t in chart["texts"] if t["text"].strip()]
    for t in texts:
        x0, y0, x1, y1 = t["box"]
        if x0 < left - 0.5 or x1 > right + 0.5 or y0 < top - 0.5 or y1 > bottom + 0.5:
            problems.append(f"{where}: chart text cut at the chart's edge: {t['text']!r}")
        if "…" in t["text"]:
            problems.append(f"{where}: chart text shortened: {t['text']!r}")
        if width <= 390 and t["px"] < 12:
            problems.append(f"{where}: chart text at {t['px']:.1f} px: {t['text']!r}")
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            if a["box"][0] < b["box"][2] - 1 and b["box"][0] < a["box"][2] - 1:
                if a["box"][1] < b["box"][3] - 1 and b["box"][1] < a["box"][3] - 1:
                    problems.append(f"{where}: chart texts overlap: {a['text']!r} / {b['text']!r}")
    return problems


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_reads_clean_at_phone_and_desktop_width(served_site, browser, glossary, width):
    context = _context(browser, width)
    tab = context.new_page()
    problems, charts, tooltips = [], 0, 0
    pages = served_site.pages()
    assert len(pages) >= 30 and any("/en/" in str(p) for p in pages), "both languages"
    for path in pages:
        rel = path.relative_to(served_site.root).as_posix().removesuffix("index.html")
        tab.goto(served_site.site_url + rel)
        seen = tab.evaluate(AUDIT)
        charts += len(seen["chart"])
        tooltips += len(seen["abbrs"])
        problems += _check(seen, f"{rel or '/'} at {width} px", glossary, width)
    context.close()
    assert charts == 2, "the key figures chart, in both languages, was audited"
    assert tooltips > 40, "the glossary tooltips were audited"
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_bars_have_3_to_1_contrast_and_samples_read_clean_in_each_scheme(served_site, browser, glossary, scheme):
    context = _context(browser, 390, scheme)
    tab = context.new_page()
    problems = []
    for lang in ("", "en/"):
        for rel in SAMPLE:
            tab.goto(served_site.site_url + lang + rel)
            problems += _check(tab.evaluate(AUDIT), f"{lang}{rel or '/'} ({scheme})", glossary, 390)
        tab.goto(served_site.site_url + lang + "figures/")
        colours = tab.evaluate(
            """() => ({page: getComputedStyle(document.querySelector(".md-main")).backgroundColor
                        .replace("rgba(0, 0, 0, 0)", getComputedStyle(document.body).backgroundColor),
                       bar: getComputedStyle(document.querySelector(".figure-chart__bar")).fill,
                       range: getComputedStyle(document.querySelector(".figure-chart__range")).stroke})"""
        )
        for part in ("bar", "range"):
            ratio = contrast(colours[part], colours["page"])
            assert ratio >= 3, f"{lang}figures: {part} {colours[part]} on {colours['page']}: {ratio:.2f}:1"
    context.close()
    assert problems == [], "\n".join(problems)


def test_offline_bundle_reads_clean(unzipped, browser, glossary):  # noqa: F811
    context = _context(browser, 390)
    tab = context.new_page()
    problems = []
    for lang in ("", "en/"):
        for rel in SAMPLE:
            path = unzipped / lang / (rel.rstrip("/") + ".html" if rel else "index.html")
            tab.goto(path.as_uri())
            problems += _check(tab.evaluate(AUDIT), f"offline {lang}{rel or '/'}", glossary, 390)
    context.close()
    assert problems == [], "\n".join(problems)


def _luminance(colour: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3]]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, two: str) -> float:
    high, low = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_ratio_is_wcags():
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert round(contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)"), 1) == 4.5


TAP = """marker => {
  const entry = document.getElementById(decodeURIComponent(marker.getAttribute("href").slice(1))).cloneNode(true);
  entry.querySelectorAll(".footnote-backref").forEach(link => link.remove());
  return entry.textContent.replace(/\\s+/g, " ").trim();
}"""


def _tap_a_note(tab, url_of) -> None:
    """Tap a marker mid-page: its note opens in place; Close returns to the marker."""
    tab.goto(url_of("briefings/deployments"))
    marker = tab.locator("article sup > a.footnote-ref").nth(5)
    note_text = marker.evaluate(TAP)
    before = tab.url
    marker.tap()
    note = tab.locator(".rnk-note")
    note.wait_for(state="visible", timeout=5000)
    shown = re.sub(r"\s+", " ", note.inner_text())
    assert note_text and note_text in shown
    assert tab.url == before, "the tap did not jump to the note list"
    box, width = note.bounding_box(), tab.evaluate("document.documentElement.clientWidth")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    href = marker.get_attribute("href")
    assert note.locator(f'a[href="{href}"]').count() == 1, "a link to the full entry in the note list"
    note.get_by_role("button").tap()
    assert note.count() == 0
    assert marker.evaluate("m => document.activeElement === m"), "Close returns to the marker"


@pytest.mark.parametrize("lang", ["", "en/"])
def test_tapping_a_note_marker_shows_its_note_in_place(served_site, browser, lang):
    context = _context(browser, 390, touch=True)
    _tap_a_note(context.new_page(), lambda rel: f"{served_site.site_url}{lang}{rel}/")
    context.close()


def test_tapping_a_note_marker_works_offline(unzipped, browser):  # noqa: F811
    context = _context(browser, 390, touch=True)
    _tap_a_note(context.new_page(), lambda rel: (unzipped / "en" / f"{rel}.html").as_uri())
    context.close()


def test_mouse_click_on_a_marker_still_jumps_to_the_note(served_site, page):
    page.goto(served_site.site_url + "en/briefings/deployments/")
    page.locator("article sup > a.footnote-ref").first.click()
    assert "#fn:" in page.url
    assert page.locator(".rnk-note").count() == 0


def test_note_markers_are_24_px_targets_that_keep_the_line_height(served_site, browser):
    context = _context(browser, 390)
    tab = context.new_page()
    for lang in ("", "en/"):
        tab.goto(served_site.site_url + lang + "briefings/deployments/")
        # The marker's target: the area around its centre where a tap lands on it.
        targets = tab.eval_on_selector_all(
            "article sup > a.footnote-ref",
            """ms => ms.map(m => {
                 m.scrollIntoView({block: "center"});
                 const r = m.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
                 const hits = ([dx, dy]) => m.contains(document.elementFromPoint(x + dx, y + dy));
                 const alone = !m.parentElement.nextElementSibling?.matches(".footnote-sep")
                   && !m.parentElement.previousElementSibling?.matches(".footnote-sep");
                 const probes = [[0, -11.5], [0, 11.5]].concat(alone ? [[-11.5, 0], [11.5, 0]] : []);
                 return [m.textContent, probes.filter(p => !hits(p))];
               })""",
        )
        assert len(targets) > 10
        assert [(n, missed) for n, missed in targets if missed] == []
        # Every line of a paragraph with markers is one line-height tall: the targets grew no line.
        lines = tab.evaluate(
            """() => [...document.querySelectorAll("article p:has(sup > a.footnote-ref)")].map(p =>
                 [p.getBoundingClientRect().height, parseFloat(getComputedStyle(p).lineHeight)])"""
        )
        assert len(lines) > 5
        for height, line in lines:
            assert height == pytest.approx(round(height / line) * line, abs=1), (height, line)
    context.close()


def test_print_keeps_note_numbers_and_list_markers_whole_and_nothing_cut(served_site, browser):
    context = _context(browser, 794)  # an A4 page's width at 96 dpi
    tab = context.new_page()
    tab.emulate_media(media="print")
    problems, notes = [], 0
    for lang in ("", "en/"):
        for rel in ("briefings/deployments/", "figures/", "overview/"):
            tab.goto(served_site.site_url + lang + rel)
            seen = tab.evaluate(
                """() => {
                  const width = document.documentElement.clientWidth;
                  const probe = document.createElement("span");
                  const lists = [...document.querySelectorAll("article ol > li, article ul > li")].filter(li => li.getClientRects().length);
                  const cut = lists.map(li => {
                    const n = li.parentElement.tagName === "OL" ? [...li.parentElement.children].indexOf(li) + 1 : null;
                    probe.textContent = n ? `${n}. ` : "• ";
                    probe.style.font = getComputedStyle(li).font;
                    li.appendChild(probe);
                    const marker = probe.getBoundingClientRect().width;
                    probe.remove();
                    return [n, li.getBoundingClientRect().left - marker];
                  }).filter(([n, left]) => left < 0);
                  const wide = [...document.querySelectorAll("article *")].filter(e => e.getClientRects().length)
                    .map(e => [e.tagName + "." + e.className, e.getBoundingClientRect().right]).filter(([t, r]) => r > width + 0.5);
                  return {cut, wide, notes: document.querySelectorAll(".footnote ol > li").length};
                }"""
            )
            notes = max(notes, seen["notes"])
            problems += [f"{lang}{rel}: list marker {n} cut ({left:.1f} px)" for n, left in seen["cut"]]
            problems += [f"{lang}{rel}: {tag} runs past the page edge ({right:.0f} px)" for tag, right in seen["wide"]]
    context.close()
    assert notes >= 10, "two-digit note numbers were measured"
    assert problems == [], "\n".join(problems)


def test_adjacent_note_markers_get_one_comma_and_markers_apart_none():
    from rnk_briefings.inputs.citations import localise_footnotes

    def marker(label: str, n: int) -> str:
        return f'<sup id="fnref:{label}"><a class="footnote-ref" href="#fn:{label}">{n}</a></sup>'

    for text, lang in (("in the war.", "en"), ("懸念を示した。", "ja")):
        html = f"<p>{marker('a', 1)}{marker('b', 2)} {text}{marker('c', 3)}</p>"
        out = localise_footnotes(html, lang)
        assert out.count('class="footnote-sep"') == 1
        assert re.search(r'>1</a></sup><sup class="footnote-sep">,</sup><sup id="fnref:b"', out)
        assert f'{text}<sup id="fnref:c"' in out


def test_screenshots_folder_is_not_committed():
    assert "screenshots/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "screenshots:" in Path(ROOT / "Makefile").read_text(encoding="utf-8")


@pytest.mark.parametrize(("start", "query"), [("", "弾薬"), ("", "派遣"), ("en/", "munitions")])
def test_search_terms_are_highlighted_on_the_page_a_result_opens(served_site, page, start, query):
    page.goto(served_site.site_url + start)
    links = search(page, query)
    assert links and all(f"h={quote(query)}" in link for link in links), links
    page.goto(links[0])
    page.wait_for_selector("mark[data-md-highlight]", timeout=10000)
    marked = page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    assert query in marked


def test_search_text_keeps_the_charts_and_tables_words_apart(site):
    """Each chart text and table cell is its own word in the index: no "casualtiesEach bar"."""
    from rnk_briefings.inputs.ledger import CHART_WORDS, load_figures

    figures, problems = load_figures(ROOT / "data/figures.yml", load_registry(ROOT / "data/sources.yml")[0])
    assert figures and not problems

    for lang, prefix in (("ja", ""), ("en", "en/")):
        docs = json.loads(site.html(f"{prefix}search/search_index.json"))["docs"]
        text = " ".join(d["text"] for d in docs if d["location"].startswith("figures/"))
        words = CHART_WORDS[lang]
        assert re.search(re.escape(words["title"]) + r"\s+" + re.escape(words["desc"][:10]), text)
        assert "cell-label" not in text, "a phone's table labels are not indexed"
        for fig in figures.values():  # a table row: the label, then the value, apart
            assert re.search(re.escape(fig.label[lang]) + r"\s+" + re.escape(fig.value(lang)), text), fig.id
