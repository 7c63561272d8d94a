"""Which time finder to draft with: the drafter's patterns (read by oirld.timeexpr) or Microsoft Recognizers-Text.

    .venv/bin/python bench/timefinders.py                 # the drafter's patterns
    /tmp/rvenv/bin/python bench/timefinders.py --recognizers   # in a venv with ms-recognizers-text-suite and pyyaml

Counts how many of the time words the curated mappings quote (date, startDate, endDate, asOf) each finder locates in
the seed text, and how long it takes. Recognizers-Text 1.0.1's date-time package imports ``recognizers_text``, which
the suite installs as ``ms_recognizers_text``; the module is aliased here so it can be measured at all.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def curated_times():
    for path in sorted((ROOT / "mappings").glob("0*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        seed = (ROOT / "seeds" / f"{path.stem}.txt").read_text(encoding="utf-8")
        meta = yaml.safe_load((ROOT / "seeds" / f"{path.stem}.meta.yaml").read_text(encoding="utf-8"))
        words = []
        for c in doc["claims"]:
            if c["property"] in ("date", "startDate", "endDate"):
                words.append(str(c["value"]))
            q = c.get("qualifiers") or {}
            if "asOf" in q and q["asOf"] != "@published":
                words.append(str(q["asOf"]))
        yield path.stem, seed, meta["date_published"]["value"], words


def spans_rules(stem: str):
    sys.path.insert(0, str(ROOT / "src"))
    from oirld.draft.text import split_sentences
    from oirld.draft.values import find_times
    from oirld.seeds import load_seed

    seed = load_seed(ROOT / "seeds" / f"{stem}.txt")
    return [(f.start, f.end) for s in split_sentences(seed.text) for f in find_times(seed.text, s.start, s.end, seed.reference)]


def spans_recognizers(text: str, published: str | None):
    import ms_recognizers_text

    sys.modules.setdefault("recognizers_text", ms_recognizers_text)
    for sub in ("culture", "extractor", "model", "parser", "utilities", "matcher"):
        try:
            sys.modules.setdefault(f"recognizers_text.{sub}", __import__(f"ms_recognizers_text.{sub}", fromlist=["x"]))
        except ImportError:
            pass
    from recognizers_date_time import Culture, recognize_datetime

    ref = dt.datetime.fromisoformat(published or "2024-09-27")
    return [(r.start, r.end + 1) for r in recognize_datetime(text, Culture.English, reference=ref)]  # end is inclusive


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--recognizers", action="store_true", help="measure Recognizers-Text instead of the drafter's patterns")
    args = ap.parse_args()
    found = total = 0
    t0 = time.perf_counter()
    for stem, text, published, words in curated_times():
        spans = spans_recognizers(text, published) if args.recognizers else spans_rules(stem)
        for w in words:
            total += 1
            i = text.find(w)
            found += i >= 0 and any(a < i + len(w) and i < b for a, b in spans)
    name = "Recognizers-Text" if args.recognizers else "drafter's patterns"
    print(f"{name}: {found} of {total} curated time words located, {time.perf_counter() - t0:.1f} s (first call included)")


if __name__ == "__main__":
    main()
