"""A small map of a place among its neighbours, with country outlines, drawn here.

The outlines are Natural Earth's 1:110m countries (public domain), shipped in ``web/geodata/countries.geojson``
(made once by ``tools/natural_earth.py``, which says from where). 1:110m is coarse, but it tells a reader which
country a place is in and what lies around it, with no tiles and nothing fetched.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .base import Svg, el, markup

__all__ = ["countries", "place_map", "country_at", "COUNTRIES_FILE"]

COUNTRIES_FILE = Path(__file__).resolve().parents[1] / "geodata" / "countries.geojson"
_NEAR_DEG = 12.0  # neighbours within this many degrees of the place share its map
_MIN_SPAN = 9.0   # degrees of longitude: never zoom closer than this


@functools.cache
def countries() -> tuple[dict[str, Any], ...]:
    """The outlines, read once: name, ISO code, rings of (lon, lat), bounding box."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    out = []
    for f in data["features"]:
        rings = [[(float(x), float(y)) for x, y in ring] for poly in f["geometry"]["coordinates"] for ring in poly]
        xs, ys = [p[0] for r in rings for p in r], [p[1] for r in rings for p in r]
        out.append({"name": f["properties"]["name"], "iso": f["properties"].get("iso_a3"), "rings": rings,
                    "bbox": (min(xs), min(ys), max(xs), max(ys))})
    return tuple(out)


def _inside(lon: float, lat: float, ring: list[tuple[float, float]]) -> bool:
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def country_at(lon: float, lat: float) -> dict[str, Any] | None:
    """The country whose outline holds the point (even-odd over all its rings, so lakes and holes count)."""
    for c in countries():
        w, s, e, n = c["bbox"]
        if w <= lon <= e and s <= lat <= n and sum(_inside(lon, lat, r) for r in c["rings"]) % 2:
            return c
    return None


def _frame(places: list[dict[str, Any]], here: dict[str, Any]) -> tuple[float, float, float, float]:
    """The place's neighbours with a margin, at least ``_MIN_SPAN`` wide (so the country's shape shows), 4:3."""
    near = [p for p in places if abs(p["lon"] - here["lon"]) <= _NEAR_DEG and abs(p["lat"] - here["lat"]) <= _NEAR_DEG] or [here]
    west, east = min(p["lon"] for p in near), max(p["lon"] for p in near)
    south, north = min(p["lat"] for p in near), max(p["lat"] for p in near)
    cx, cy = (west + east) / 2, (south + north) / 2
    kx = math.cos(math.radians(max(-80.0, min(80.0, cy))))
    half_x = max(_MIN_SPAN, (east - west) * 1.3) / 2
    half_y = max((north - south) * 1.3 / 2, half_x * kx * 0.75)
    half_x = max(half_x, half_y / 0.75 / kx)
    return cx - half_x, cx + half_x, max(-85.0, cy - half_y), min(85.0, cy + half_y)


def place_map(places: list[dict[str, Any]], focus: str, width: int = 320) -> Markup | None:
    """The place ``focus`` (an IRI among ``places``, each with lon, lat, label, href) on a map of its country and
    neighbours, with the dataset's other places near it as dots, each linking to its page."""
    here = next((p for p in places if p["iri"] == focus), None)
    if here is None:
        return None
    west, east, south, north = _frame(places, here)
    kx = math.cos(math.radians((north + south) / 2))
    scale = width / ((east - west) * kx)
    height = round((north - south) * scale, 1)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return round((lon - west) * kx * scale, 1), round((north - lat) * scale, 1)

    home = country_at(here["lon"], here["lat"])
    where = f", in {home['name']}" if home else ""
    svg = Svg(width, height, f"Map: {here['label']}{where}",
              f"{here['label']} at {here['lat']}° N, {here['lon']}° E{where}, with country outlines (Natural Earth, "
              "public domain) and the dataset's other places nearby as dots, each linking to its page.",
              "map-" + hashlib.sha1(focus.encode("utf-8")).hexdigest()[:8], class_="chart map")
    clip = f"{svg.ident}-clip"
    defs = el(svg.root, "defs")
    el(el(defs, "clipPath", id=clip), "rect", x=0, y=0, width=width, height=height)
    el(svg.root, "rect", x=0, y=0, width=width, height=height, fill="#dcebf7", class_="sea")
    land = el(svg.root, "g", clip_path=f"url(#{clip})", class_="countries")
    labels = el(svg.root, "g", font_size=9, fill="#6b5f45", font_style="italic", aria_hidden="true")
    for c in countries():
        w, s, e, n = c["bbox"]
        if e < west or w > east or n < south or s > north:
            continue
        d = " ".join("M" + " L".join(f"{x},{y}" for x, y in (xy(lon, lat) for lon, lat in ring)) + " Z" for ring in c["rings"])
        path = el(land, "path", d=d, fill="#efe6cf" if c is home else "#f8f5ee", stroke="#8d8471", stroke_width=0.8,
                  fill_rule="evenodd", class_="country" + (" home" if c is home else ""))
        el(path, "title", c["name"])
        seen = [(lon, lat) for r in c["rings"] for lon, lat in r if west < lon < east and south < lat < north]
        if len(seen) >= 4:
            lx, ly = xy(sum(p[0] for p in seen) / len(seen), sum(p[1] for p in seen) / len(seen))
            if 20 < lx < width - 20 and 10 < ly < height - 6:
                el(labels, "text", c["name"], x=lx, y=ly, text_anchor="middle")
    grid = el(svg.root, "g", stroke="#b9c8d6", stroke_width=0.5, aria_hidden="true")
    step = 2 if east - west <= 16 else 5 if east - west <= 40 else 10
    for lon in range(math.ceil(west / step) * step, math.floor(east) + 1, step):
        x = xy(lon, north)[0]
        el(grid, "line", x1=x, y1=0, x2=x, y2=height)
        el(grid, "text", f"{lon}°E", x=x + 2, y=height - 3, font_size=8, fill="#456", stroke="none")
    for lat in range(math.ceil(south / step) * step, math.floor(north) + 1, step):
        y = xy(west, lat)[1]
        el(grid, "line", x1=0, y1=y, x2=width, y2=y)
        el(grid, "text", f"{lat}°N", x=2, y=y - 2, font_size=8, fill="#456", stroke="none")
    dots = el(svg.root, "g", class_="places")
    for p in sorted(places, key=lambda p: p["iri"] == focus):
        if not (west <= p["lon"] <= east and south <= p["lat"] <= north):
            continue
        x, y = xy(p["lon"], p["lat"])
        is_here = p["iri"] == focus
        link = svg.link(dots, p.get("href"), p["label"])
        el(link, "circle", cx=x, cy=y, r=6 if is_here else 3.5, fill="#c0392b" if is_here else "#0b5394", stroke="#fff",
           stroke_width=1.5, class_="place" + (" focus" if is_here else ""))
        if is_here:
            left = x > width / 2
            el(link, "text", p["label"], x=x - 9 if left else x + 9, y=y + 4, font_size=11, font_weight=700, fill="#1b1b1b",
               text_anchor="end" if left else "start", stroke="#fff", stroke_width=3, paint_order="stroke")
    return markup(svg)
