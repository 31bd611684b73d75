"""Drawing a locator map (data/maps.yml) as inline SVG, from the pinned geodata (inputs/geodata.py).

The drawing is plain SVG elements with classes (svg, title, g, path, a, circle, text); the
site's CSS (docs/assets/site.css) gives the colours, and the PDF edition sets them as attributes
(publications/pdf.py). No script, no style attribute, no request to another host.

- Extent: the places' box with a margin, widened to a readable shape.
- Projection: equirectangular, longitudes scaled by the cosine of the central latitude.
- Shapes: every Natural Earth country (at the map's scale, 1:110m or 1:50m) that reaches into the extent, clipped to it (Sutherland–
  Hodgman), simplified to the drawing's scale (Douglas–Peucker, half a unit), coordinates rounded
  to one decimal; the map's own countries are shaded darker.
- Labels: real text in the page's language, 13 units high in a drawing 340 units wide, which the
  page never shows narrower than it is (so at least 12 CSS px at 390 px); each is placed beside its
  point where it overlaps no other label or point, and links to the place's glossary entry.
"""

from __future__ import annotations

import functools
import hashlib
import html
import math
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from ..inputs import geodata
from ..inputs.data_files import attribute

WIDTH = 340  # drawing units; the CSS shows the drawing at most 1.4 times this size and never scales it below 1
FONT = 13
MARGIN = 0.3  # of the places' span, on each side
MIN_MARGIN = 2.5  # degrees
ASPECT = (0.5, 1.0)  # height / width, at least and at most
TOLERANCE = 0.5  # drawing units: what Douglas–Peucker may leave out
DOT = 4


class Projection:
    """Degrees to drawing units for one map's extent."""

    def __init__(self, places: tuple[geodata.MapPlace, ...]):
        lats, lons = [p.lat for p in places], [p.lon for p in places]
        pad_lat = max(MIN_MARGIN, MARGIN * (max(lats) - min(lats)))
        pad_lon = max(MIN_MARGIN, MARGIN * (max(lons) - min(lons)))
        south, north = min(lats) - pad_lat, max(lats) + pad_lat
        west, east = min(lons) - pad_lon, max(lons) + pad_lon
        self.k = math.cos(math.radians((south + north) / 2))
        # Widen the shorter side until the shape is within ASPECT.
        ratio = (north - south) / ((east - west) * self.k)
        if ratio < ASPECT[0]:
            grow = ((east - west) * self.k * ASPECT[0] - (north - south)) / 2
            south, north = south - grow, north + grow
        elif ratio > ASPECT[1]:
            grow = ((north - south) / ASPECT[1] / self.k - (east - west)) / 2
            west, east = west - grow, east + grow
        self.west, self.east, self.south, self.north = west, east, south, north
        self.scale = WIDTH / ((east - west) * self.k)
        self.height = round((north - south) * self.scale)

    def may_show(self, ring: list[tuple[float, float]]) -> bool:
        """Whether a ring's box (in degrees, either side of the antimeridian) reaches into the extent."""
        lats = [lat for _, lat in ring]
        if max(lats) < self.south or min(lats) > self.north:
            return False
        lons = [lon for lon, _ in ring]
        west, east = min(lons), max(lons)
        return any(west + shift <= self.east and east + shift >= self.west for shift in (-360, 0, 360))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        centre = (self.west + self.east) / 2
        lon = lon + 360 if lon < centre - 180 else lon - 360 if lon >= centre + 180 else lon  # across the antimeridian
        return (lon - self.west) * self.k * self.scale, (self.north - lat) * self.scale


def _clip(ring: list[tuple[float, float]], right: float, bottom: float) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the ring cut to the rectangle (−2, −2)–(right + 2, bottom + 2)."""
    edges = (
        (0, -2.0, False),
        (0, right + 2.0, True),
        (1, -2.0, False),
        (1, bottom + 2.0, True),
    )
    for axis, limit, upper in edges:
        if not ring:
            break

        def inside(p, axis=axis, limit=limit, upper=upper):
            return p[axis] <= limit if upper else p[axis] >= limit

        out = []
        for index, current in enumerate(ring):
            previous = ring[index - 1]
            if inside(current) != inside(previous):
                t = (limit - previous[axis]) / (current[axis] - previous[axis])
                out.append(tuple(previous[i] + t * (current[i] - previous[i]) for i in (0, 1)))
            if inside(current):
                out.append(current)
        ring = out
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker (iterative), keeping the first and last points."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        length = math.hypot(bx - ax, by - ay)
        worst, where = 0.0, 0
        for i in range(first + 1, last):
            px, py = points[i]
            d = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length if length else math.hypot(px - ax, py - ay)
            if d > worst:
                worst, where = d, i
        if worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]


def _path(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for ring in rings:
        coords = [f"{x:.1f} {y:.1f}".replace(".0 ", " ").replace(".0", "") for x, y in ring]
        parts.append("M" + "L".join(coords) + "Z")
    return "".join(parts)


# Every part of a locator map on a built page, as a CSS selector: the drawing (here), its caption,
# the list of its places that is its text alternative, and its notes (inputs/geodata.render_map_text).
# A map has a gzip budget of its own (25 KB: tests/test_maps.py) and the page's budget counts the
# page without them (tests/test_cite.py, scripts/bench.py).
MAP_PARTS = 'figure.locator-map, p.locator-map__caption, p.locator-map__caption + ul, li[id^="fn:map-"]'


def without_maps(page: str) -> tuple[str, str]:
    """A built page as the HTML parser writes it, with its maps' parts and without them."""
    tree = LexborHTMLParser(page)
    whole = tree.html or ""
    for node in tree.css(MAP_PARTS):
        node.decompose()
    return whole, tree.html or ""


CODE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
# What a cached drawing may hold (it goes into the page as it is): paths of the two classes, numbers only.
SHAPES = re.compile(r'(?:<path class="locator-map__(?:land|focus)" d="[MLZ0-9. -]*"/>)*')


@functools.lru_cache(maxsize=8)
def _shapes(
    root: str, places: tuple[geodata.MapPlace, ...], countries: tuple[str, ...], scale: str
) -> tuple[Projection, str]:
    """The projection and the country paths of one map (the same in both languages: drawn once per build)."""
    projection = Projection(places)
    key = [geodata.atlas_stamp(Path(root), scale), [vars(p) for p in places], countries, scale, CODE]
    drawn = geodata.disk_cached(
        Path(root),
        "shapes",
        key,
        lambda: _draw(root, projection, countries, scale),
        lambda value: isinstance(value, str) and SHAPES.fullmatch(value) is not None,
    )
    return projection, drawn


def _draw(root: str, projection: Projection, countries: tuple[str, ...], scale: str) -> str:
    """The country paths of one map, from the decoded atlas."""
    atlas = geodata.load_atlas(Path(root), scale)
    height = projection.height
    paths = []
    for name in sorted(atlas.countries, key=lambda n: n in countries):
        rings = []
        for polygon in atlas.countries[name]:
            for ring in polygon:
                if not projection.may_show(ring):
                    continue
                projected = [projection(lon, lat) for lon, lat in ring]
                clipped = _clip(projected, WIDTH, height)
                simple = _simplify(clipped + clipped[:1], TOLERANCE)[:-1] if len(clipped) > 2 else []
                xs = [p[0] for p in simple]
                ys = [p[1] for p in simple]
                if len(simple) > 2 and (max(xs) - min(xs)) * (max(ys) - min(ys)) > 1:
                    rings.append(simple)
        if rings:
            kind = "locator-map__focus" if name in countries else "locator-map__land"
            paths.append(f'<path class="{kind}" d="{_path(rings)}"/>')
    return "".join(paths)


def _text_width(text: str) -> float:
    """A generous estimate of a label's width in drawing units (CJK full width, Latin 0.62 em)."""
    return sum(FONT if ord(c) > 0x2E80 else FONT * 0.62 for c in text)


def _place_labels(points: list[tuple[float, float]], names: list[str], height: int) -> list[tuple[float, float, str]]:
    """(x, y, text-anchor) of each label: the first position beside its point that is inside the drawing and clear."""
    boxes: list[tuple[float, float, float, float]] = [
        (x - DOT - 1, y - DOT - 1, x + DOT + 1, y + DOT + 1) for x, y in points
    ]
    placed = []
    for index, ((x, y), name) in enumerate(zip(points, names, strict=True)):
        width = _text_width(name)
        candidates = [
            (x + DOT + 3, y + FONT * 0.35, "start", x + DOT + 3, y - FONT * 0.65),
            (x - DOT - 3, y + FONT * 0.35, "end", x - DOT - 3 - width, y - FONT * 0.65),
            (x, y - DOT - 5, "middle", x - width / 2, y - DOT - 5 - FONT),
            (x, y + DOT + 5 + FONT * 0.8, "middle", x - width / 2, y + DOT + 5 - FONT * 0.2),
            (x + DOT, y - DOT - 5, "end", x + DOT - width, y - DOT - 5 - FONT),
            (x - DOT, y - DOT - 5, "start", x - DOT, y - DOT - 5 - FONT),
            (x + DOT, y + DOT + 5 + FONT * 0.8, "end", x + DOT - width, y + DOT + 5 - FONT * 0.2),
            (x - DOT, y + DOT + 5 + FONT * 0.8, "start", x - DOT, y + DOT + 5 - FONT * 0.2),
        ]
        best = None
        for tx, ty, anchor, left, top in candidates:
            box = (left - 2, top - 2, left + width + 2, top + FONT * 1.2 + 2)
            inside = box[0] >= 0 and box[2] <= WIDTH and box[1] >= 0 and box[3] <= height
            clear = all(
                box[2] <= b[0] or b[2] <= box[0] or box[3] <= b[1] or b[3] <= box[1]
                for i, b in enumerate(boxes)
                if i != index
            )
            if inside and clear:
                best = (tx, ty, anchor, box)
                break
            if best is None and inside:
                best = (tx, ty, anchor, box)
        if best is None:
            tx, ty, anchor, left, top = candidates[0]
            best = (tx, ty, anchor, (left, top, left + width, top + FONT))
        placed.append(best[:3])
        boxes.append(best[3])
    return placed


def render_map(
    root: Path, locator_map: geodata.LocatorMap, names: dict[str, str], links: dict[str, str], lang: str
) -> str:
    """The map as one line of HTML: a <figure> holding the SVG, labelled by the caption the page writes after it.

    `names` and `links` give each place's label in the page's language and its glossary entry's URL.
    """
    projection, shapes = _shapes(str(root), locator_map.places, locator_map.countries, locator_map.scale)
    height = projection.height
    prefix = f"map-{locator_map.id}"
    points = [projection(p.lon, p.lat) for p in locator_map.places]
    labels = _place_labels(points, [names[p.id] for p in locator_map.places], height)
    title = html.escape(locator_map.title[lang])
    parts = [
        f'<figure class="locator-map" aria-labelledby="{prefix}-caption">',
        f'<svg class="locator-map__svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" lang="{lang}" '
        f'role="group" aria-labelledby="{prefix}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-title">{title}</title>',
        f'<g class="locator-map__shapes" aria-hidden="true">{shapes}</g>',
        '<g class="locator-map__places">',
    ]
    for place, (x, y), (tx, ty, anchor) in zip(locator_map.places, points, labels, strict=True):
        parts.append(
            f'<a class="locator-map__place" href="{attribute(links[place.id])}">'
            f'<circle class="locator-map__dot" cx="{x:.1f}" cy="{y:.1f}" r="{DOT}"/>'
            f'<text class="locator-map__label" x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">'
            f"{html.escape(names[place.id])}</text></a>"
        )
    parts.append("</g></svg></figure>")
    return "".join(parts)
