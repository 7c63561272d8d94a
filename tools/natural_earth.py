"""Write src/oirld/web/geodata/countries.geojson from Natural Earth's 1:110m country outlines, once.

The outlines are public domain (Natural Earth, naturalearthdata.com: "All versions of Natural Earth raster + vector
map data found on this website are in the public domain"). The copy read here is the one geopandas 0.14.4 shipped
(geopandas/datasets/naturalearth_lowres, Natural Earth ne_110m_admin_0_countries), so the file can be made again
offline from a registry package:

    pip download --no-deps geopandas==0.14.4 -d /tmp/ne && unzip -o /tmp/ne/geopandas-0.14.4-*.whl 'geopandas/datasets/*' -d /tmp/ne
    python -m venv /tmp/ne/v && /tmp/ne/v/bin/pip install pyshp
    /tmp/ne/v/bin/python tools/natural_earth.py /tmp/ne/geopandas/datasets/naturalearth_lowres/naturalearth_lowres.shp

Coordinates are rounded to 0.01 degree (about 1 km, far below what 1:110m resolves), one country a line.
"""

import json
import sys
from pathlib import Path

import shapefile  # pyshp: only this script needs it, not oirld

OUT = Path(__file__).resolve().parents[1] / "src" / "oirld" / "web" / "geodata" / "countries.geojson"


def rings(shape):
    """The shape's rings as lists of [lon, lat], rounded, with repeated points dropped."""
    bounds = list(shape.parts) + [len(shape.points)]
    for a, b in zip(bounds, bounds[1:]):
        ring = []
        for x, y in shape.points[a:b]:
            p = [round(x, 2), round(y, 2)]
            if not ring or ring[-1] != p:
                ring.append(p)
        if len(ring) >= 4:
            yield ring


def main(path: str) -> None:
    reader = shapefile.Reader(path)
    names = [f[0] for f in reader.fields[1:]]
    lines = []
    for rec, shape in zip(reader.records(), reader.shapes()):
        props = dict(zip(names, rec))
        feature = {"type": "Feature", "properties": {"name": props["name"], "iso_a3": props["iso_a3"]},
                   # every ring on its own: outer rings and holes are all drawn with the even-odd rule
                   "geometry": {"type": "MultiPolygon", "coordinates": [[r] for r in rings(shape)]}}
        lines.append(json.dumps(feature, separators=(",", ":"), ensure_ascii=False))
    head = {"type": "FeatureCollection", "source": "Natural Earth 1:110m Admin 0 - Countries (ne_110m_admin_0_countries), "
            "as shipped in geopandas 0.14.4", "license": "public domain (https://www.naturalearthdata.com/about/terms-of-use/)"}
    text = json.dumps(head, separators=(",", ":"))[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
