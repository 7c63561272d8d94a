"""The smallest size at which each query shape crashes pyoxigraph, found by bisection in subprocesses.

Usage: bench/sparql_crash.py thread|main [SHAPE ...]. Prints one JSON line per shape: the largest size that ran
(ok_at) and the smallest that killed the process (crash_at, rc -11 is a segfault); crash null when none crashed
before the query passed 220,000 characters or a run took over 40 s (then the shape is slow, not crashing).
The bounds in src/oirld/sparql_limits.py sit far below these numbers (bench/RESULTS.md).
"""
import subprocess, sys, json
PY = sys.executable
CHILD = r'''
import sys, threading, pyoxigraph as ox
q = sys.stdin.read()
st = ox.Store()
st.add(ox.Quad(ox.NamedNode("http://a"), ox.NamedNode("http://p"), ox.NamedNode("http://a")))
def run():
    try:
        r = st.update(q) if q.startswith("INSERT") else st.query(q)
        if isinstance(r, ox.QuerySolutions): list(r)
        print("ok")
    except BaseException as e:
        print("err", type(e).__name__, str(e)[:80])
if sys.argv[1] == "thread":
    t = threading.Thread(target=run); t.start(); t.join()
else:
    run()
'''
P = "PREFIX : <http://> "
SHAPES = {
 "groups": lambda n: "SELECT * WHERE " + "{" * n + "?s ?p ?o" + "}" * n,
 "parens": lambda n: "SELECT * WHERE { FILTER(" + "(" * n + "1" + ")" * n + ") }",
 "brackets": lambda n: "SELECT * WHERE { ?s ?p " + "[ ?p " * n + "1" + " ]" * n + " }",
 "collections": lambda n: "SELECT * WHERE { ?s ?p " + "(" * n + "1" + ")" * n + " }",
 "subqueries": lambda n: "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{ ?s ?p ?o }" + " }" * n,
 "optional": lambda n: "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * n + " }",
 "union": lambda n: "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
 "plus": lambda n: "SELECT * WHERE { FILTER(" + "+".join(["1"] * n) + ") }",
 "and": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "&&".join(["true"] * n) + ") }",
 "or": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "||".join(["false"] * n) + ") }",
 "mult": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "*".join(["1"] * n) + ") }",
 "not": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "true) }",
 "neg": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "- " * n + "1) }",
 "pathseq": lambda n: "SELECT * WHERE { ?s " + "/".join(["<http://p>"] * n) + " ?o }",
 "pathalt": lambda n: "SELECT * WHERE { ?s " + "|".join(["<http://p>"] * n) + " ?o }",
 "pathparen": lambda n: "SELECT * WHERE { ?s " + "(" * n + "<http://p>" + ")" * n + " ?o }",
 "pathinv": lambda n: "SELECT * WHERE { ?s " + "^" * n + "<http://p> ?o }",
 "funcs": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(" + "STR(" * n + "?s" + ")" * n + ") }",
 "exists": lambda n: "SELECT * WHERE { ?s ?p ?o " + "FILTER EXISTS { ?s ?p ?o " * n + "}" * n + " }",
 "minus": lambda n: "SELECT * WHERE { ?s ?p ?o " + "MINUS { ?s ?p ?o " * n + "}" * n + " }",
 "values": lambda n: "SELECT * WHERE { VALUES ?x { " + " ".join(str(i) for i in range(n)) + " } }",
 "concat": lambda n: "SELECT * WHERE { BIND(CONCAT(" + ",".join(['"a"'] * n) + ") AS ?x) }",
 "in": lambda n: "SELECT * WHERE { ?s ?p ?o FILTER(?s IN (" + ",".join(["1"] * n) + ")) }",
 "joins": lambda n: "SELECT * WHERE { " + " ".join(f"?s{i} ?p ?o{i} ." for i in range(n)) + " }",
 "binds": lambda n: "SELECT * WHERE { BIND(1 AS ?x0) " + " ".join(f"BIND(?x{i} AS ?x{i+1})" for i in range(n)) + " }",
 "filters": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join("FILTER(true)" for i in range(n)) + " }",
 "flatopt": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join("OPTIONAL { ?s ?p ?o%d }" % i for i in range(n)) + " }",
 "flatminus": lambda n: "SELECT * WHERE { ?s ?p ?o " + " ".join("MINUS { ?s ?p ?o%d }" % i for i in range(n)) + " }",
 "flatgroups": lambda n: "SELECT * WHERE { " + " ".join("{ ?s ?p ?o%d }" % i for i in range(n)) + " }",
 "flatgraphs": lambda n: "SELECT * WHERE { " + " ".join("GRAPH ?g { ?s ?p ?o%d }" % i for i in range(n)) + " }",
 "upd-groups": lambda n: "INSERT { <http://a> <http://b> <http://c> } WHERE " + "{" * n + "}" * n,
}
def crashes(shape, n, mode):
    q = SHAPES[shape](n)
    try:
        r = subprocess.run([PY, "-c", CHILD, mode], input=q, capture_output=True, text=True, timeout=40)
    except subprocess.TimeoutExpired:
        return False, ("timeout", "", len(q))
    return r.returncode != 0, (r.returncode, r.stdout.strip()[:90], len(q))
mode = sys.argv[1] if len(sys.argv) > 1 else "main"
names = sys.argv[2:] or list(SHAPES)
for shape in names:
    lo, hi = 1, None
    n = 64
    info = None
    # grow until crash or the query passes 200k chars
    while True:
        c, info = crashes(shape, n, mode)
        if c:
            hi = n; break
        lo = n
        if info[2] > 220_000 or info[0] == 'timeout':
            break
        n *= 2
    if hi is None:
        print(json.dumps({"shape": shape, "mode": mode, "crash": None, "ok_at": lo, "chars": info[2], "last": info[1]}), flush=True); continue
    hi_info = info
    while hi - lo > max(1, lo // 20):
        mid = (lo + hi) // 2
        c, info = crashes(shape, mid, mode)
        if c: hi, hi_info = mid, info
        else: lo = mid
    print(json.dumps({"shape": shape, "mode": mode, "ok_at": lo, "crash_at": hi, "rc": hi_info[0], "chars": hi_info[2]}), flush=True)
