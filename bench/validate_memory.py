"""Peak memory and CPU seconds of a first build's global validation, in-process, on a built output folder.

    .venv/bin/python bench/validate_memory.py CORPUS OUT [BATCH]

The articles come from OUT's cache; the global cache is ignored (and not written), so every group is validated as
on a first build. The peak is VmHWM, reset just before the call. Nothing is asserted: the numbers go to
bench/RESULTS.md."""
import json
import sys
import time
from pathlib import Path
from oirld import globalparts
from oirld.config import Config
from oirld.pipeline import compile_incremental
from oirld.validation import load_shapes, split_shapes

def rss(field="VmRSS"):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
globalparts._load = lambda cache, name=globalparts.CACHE_FILE: {}
globalparts._save = lambda *a, **k: None
home, out = Path(sys.argv[1]), Path(sys.argv[2])
if len(sys.argv) > 3 and hasattr(globalparts, "BATCH"):
    globalparts.BATCH = int(sys.argv[3])
inc = compile_incremental(Config(home=home, out=out), workers=1)
_, gs = split_shapes(load_shapes(home / "shapes"))
part = inc.global_part
print("groups", len(part.groups), "fresh", part.fresh, "global triples", part.triples, "rss", round(rss()), flush=True)
Path("/proc/self/clear_refs").write_text("5")
before = rss()
c0 = time.process_time(); w0 = time.perf_counter()
r = part.validate(gs, inc.ontology.graph, "turbo")
print(json.dumps({"violations": len(r.violations), "cpu": round(time.process_time() - c0, 1), "wall": round(time.perf_counter() - w0, 1),
                  "rss_before": round(before), "peak": round(rss("VmHWM")), "peak_over": round(rss("VmHWM") - before)}))
import hashlib
print("digest", hashlib.sha256(repr(sorted((v.shape, v.focus, v.message, v.path or "", v.value or "") for v in r.violations)).encode()).hexdigest()[:16])
