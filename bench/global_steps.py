"""CPU seconds of the global steps of a one-article rebuild, in one process:

    .venv/bin/python bench/global_steps.py CORPUS OUT [nochange]

CORPUS and OUT are copies of a built corpus (bench/build.py --keep); one article of CORPUS is edited as
bench/build.py edits it (unless ``nochange``), then the build runs in this process, with its usual workers. It prints
the wall seconds per step, the CPU seconds of the build (with its workers), and the CPU (and wall) seconds of the
global part (``global_part``, reading and writing its cache), the store update (``update_store``: the difference,
applying it), the global validation (``GlobalPart.validate``: collecting the views, validating them) and of the
cyclic garbage collector in this process. Works with the code of older commits too (PYTHONPATH=<their src>)."""
import resource, sys, time
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
import build as b
from oirld import pipeline, globalparts
from oirld.config import Config
home, out = Path(sys.argv[1]), Path(sys.argv[2])
if len(sys.argv) < 4 or sys.argv[3] != "nochange":
    b.touch_one_article(home)
cpu = {}
def timed(name, f):
    def g(*a, **k):
        t = time.process_time(); w = time.perf_counter()
        try:
            return f(*a, **k)
        finally:
            c = cpu.setdefault(name, [0.0, 0.0]); c[0] += time.process_time() - t; c[1] += time.perf_counter() - w
    return g
pipeline.global_part = timed("global_part", pipeline.global_part)
pipeline.update_store = timed("update_store", pipeline.update_store)
globalparts.GlobalPart.validate = timed("GlobalPart.validate", globalparts.GlobalPart.validate)
globalparts.closure = timed("  closure", globalparts.closure)
globalparts.validate_views = timed("  validate_views", globalparts.validate_views)
from oirld import storedelta
storedelta._difference = timed("  _difference", storedelta._difference)
storedelta._apply = timed("  _apply", storedelta._apply)
if hasattr(globalparts, "read_groups"):
    globalparts.read_groups = timed("  read cache", globalparts.read_groups)
    from oirld import groupcache
    groupcache._write = timed("  write cache", groupcache._write)
else:
    globalparts._load = timed("  read cache", globalparts._load)
    globalparts._save = timed("  write cache", globalparts._save)
import gc
gct = [0.0, 0]
def cb(phase, info):
    if phase == "start":
        cb.t = time.process_time()
    else:
        gct[0] += time.process_time() - cb.t; gct[1] += info["generation"] == 2
gc.callbacks.append(cb)
marks = []
t0 = time.perf_counter()
def progress(step, msg):
    marks.append((time.perf_counter() - t0, step))
r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
pipeline.build(Config(home=home, out=out), progress)
r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
total = time.perf_counter() - t0
steps = {}
for (a, s), (b2, _) in zip(marks, marks[1:] + [(total, 0)]):
    steps[s] = steps.get(s, 0) + b2 - a
tot_cpu = sum(x.ru_utime + x.ru_stime for x in (r1, c1)) - sum(x.ru_utime + x.ru_stime for x in (r0, c0))
print(f"wall {total:.1f} s, CPU {tot_cpu:.1f} s; " + " ".join(f"{b.STEP_NAMES.get(str(k), k)} {v:.1f}" for k, v in steps.items()))
for k, (c, w) in cpu.items():
    print(f"  {k}: {c:.2f} CPU-s ({w:.2f} wall)")
print(f"  gc: {gct[0]:.2f} CPU-s ({gct[1]} full collections)")
