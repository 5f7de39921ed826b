#!/bin/sh
# bench/queries.sh DB [N]: N (default 1000) mixed search queries drawn from the
# recommendations of DB with a fixed seed, one a line in the format of qfile.h, on
# standard output. search.sh, compare.sh and scale.sh share them; the same
# database gives the same queries.
set -eu
db=$1
N=${2:-1000}
q=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-queries.XXXXXX")
trap 'rm -rf "$q"' EXIT
sqlite3 -separator '	' "$db" "SELECT text FROM recommendation ORDER BY id" >"$q/texts"
sqlite3 "$db" "SELECT DISTINCT s.code FROM state s JOIN recommendation r ON r.sur_id = s.id
               ORDER BY 1" >"$q/surs"
sqlite3 "$db" "SELECT DISTINCT cycle FROM recommendation WHERE cycle > 0 ORDER BY 1" >"$q/cycles"
sqlite3 "$db" "SELECT label FROM theme ORDER BY 1" >"$q/themes"
python3 - "$q" "$N" <<'EOF'
import random, re, sys
d, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(1000)
lines = lambda f: [l.rstrip("\n") for l in open(f"{d}/{f}", encoding="utf-8") if l.strip()]
texts, surs, themes = lines("texts"), lines("surs"), lines("themes")
cycles = [int(c) for c in lines("cycles")]
word = re.compile(r"^[a-z]{4,}$")
def words(t):
    return [w for w in re.findall(r"\w+", t.lower()) if word.match(w)]
def pick():
    while True:
        ws = words(rnd.choice(texts))
        if ws:
            return rnd.choice(ws)
def phrase():
    while True:
        ts = re.findall(r"\w+", rnd.choice(texts).lower())
        pairs = [(a, b) for a, b in zip(ts, ts[1:]) if re.match(r"^[a-z]+$", a + b)]
        if pairs:
            return '"%s %s"' % rnd.choice(pairs)
out = []
for i in range(n):
    k = rnd.random()
    if k < 0.35:
        text = pick()
    elif k < 0.55:
        text = pick() + " " + pick()
    elif k < 0.70:
        text = phrase()
    elif k < 0.85:
        w = pick()
        text = w[:max(3, len(w) - 3)] + "*"
    elif k < 0.95:
        text = pick() + " OR " + pick()
    else:
        text = ""
    sur = rnd.choice(surs) if rnd.random() < 0.20 else ""
    cycle = str(rnd.choice(cycles)) if rnd.random() < 0.20 else ""
    resp = rnd.choice(["supported", "noted", "pledge"]) if rnd.random() < 0.20 else ""
    theme = rnd.choice(themes) if rnd.random() < 0.15 else ""
    if not (text or sur or cycle or resp or theme):
        cycle = str(rnd.choice(cycles))
    facets = "1" if rnd.random() < 0.25 else "0"
    out.append("\t".join([text, sur, cycle, resp, theme, facets]))
print("\n".join(out))
EOF
