#!/bin/sh
# bench/themes.sh [BIN]: the theme classifier against the strongest classical peer
# (TF-IDF and a linear SVM, scikit-learn) and fastText, on the same split.
#
# Train on UPR sessions 1-16, test on sessions 17-18 of the normalised UPR Info
# file. Joint recommendations are one item, as the importer makes them: same
# session, state under review and white-space-folded text, with the union of
# their labels. Only items with at least one label count.
#   rightstrack  import of the session 1-16 rows, `themes train`, then
#                `themes predict --json` on the test texts
#   fastText     `fasttext supervised -loss ova -wordNgrams 2 -thread 2`, the best
#                of four documented settings (epoch 25/50, lr 0.5/1.0) and a
#                threshold, both chosen on a 10 % development slice of the
#                training items; then trained again on all of them
#   peer         scikit-learn (Debian's python3-sklearn, $PEER_PYTHON, default
#                /usr/bin/python3): TF-IDF of word 1-2-grams and of character
#                2-5-grams within word bounds (char_wb), one-vs-rest LinearSVC
#                (C = 0.5), one decision threshold chosen on sessions 15-16 held
#                out of a first fit on sessions 1-14; then fitted again on 1-16
# Prints micro precision/recall/F1 of both, training times, and for prediction
# over the test texts repeated REPEAT times (default 10), the best of RUNS runs
# (default 3) of:
#   load         rightstrack: opening the database and loading the model, timed
#                inside bench/themes_driver.c; fastText: `predict-prob` of an
#                empty file
#   predictions/s apart from loading: rightstrack in one process through the
#                library (themes_driver.c: rt_classifier_predict and the labels
#                over their thresholds, nothing printed), in wall time and per
#                second of the driver's CPU time; fastText from the
#                difference between its whole process on the texts 5 times and
#                once (4 x the texts in the difference of the times)
#   whole process `themes predict --json` and `fasttext predict-prob` from start
#                to end: loading, predicting and printing every line
# and rightstrack trained on all of sessions 1-18 (wall and CPU seconds, model size),
# then ours against the peer side by side with their ratios (F1, training
# seconds on sessions 1-16, predictions/s, model size), and last both F1 figures
# and the ratios of the F1 (higher is better; target > 1), the peer's last.
# FASTTEXT=none leaves fastText out.
set -eu

BIN=${1:-build/release/rightstrack}
LIB=$(dirname "$BIN")/librightstrack.a
CSV=${CSV:-/work/shared/data/upr/upr_info_s01-s18.csv}
REPEAT=${REPEAT:-10}
RUNS=${RUNS:-3}
FT=${FASTTEXT:-fasttext}
PEER_PYTHON=${PEER_PYTHON:-/usr/bin/python3}
CC=${CC:-cc}

for f in "$BIN" "$LIB" "$CSV" bench/themes_driver.c; do
    [ -e "$f" ] || { echo "themes.sh: $f is missing (run from the repo root after" \
                          "'make BUILD=release')" >&2; exit 1; }
done
# FASTTEXT=none leaves fastText out (it takes minutes to train).
if [ "$FT" != none ]; then
    command -v "$FT" >/dev/null || { echo "themes.sh: fasttext is not installed" \
                                           "(scripts/bootstrap installs it; FASTTEXT=none" \
                                           "leaves it out)" >&2; exit 1; }
fi
command -v python3 >/dev/null || { echo "themes.sh: python3 is not installed" >&2; exit 1; }
"$PEER_PYTHON" -c 'import sklearn' 2>/dev/null || { echo "themes.sh: scikit-learn is not" \
    "installed for $PEER_PYTHON (scripts/bootstrap bench installs python3-sklearn)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/rt-bench-themes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
secs() { python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) - float(sys.argv[1])))' "$1" "$2"; }
# best_of CMD...: runs CMD (output discarded) RUNS times; prints the best wall time.
best_of() {
    best=""
    for run in $(seq "$RUNS"); do
        t0=$(now)
        "$@" >/dev/null
        t1=$(now)
        best=$(python3 -c 'import sys; t = float(sys.argv[2]) - float(sys.argv[1]); b = sys.argv[3]
print("%.3f" % (min(t, float(b)) if b else t))' "$t0" "$t1" "$best")
    done
    echo "$best"
}
rate() { python3 -c 'import sys; print(int(int(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

# The driver, with the flags of the release build (Makefile: BASE_CFLAGS,
# CFLAGS_release, LIBS), as bench/search.sh builds its own.
PKGS="jansson libutf8proc sqlite3 libsodium libpq"
CFLAGS="-std=c17 -D_DEFAULT_SOURCE -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
-Wformat=2 -Wvla -Wcast-qual -O2 -DNDEBUG -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE"
# shellcheck disable=SC2046,SC2086
$CC $CFLAGS -Iinclude $(pkg-config --cflags $PKGS) -pie -Wl,-z,relro,-z,now \
    -o "$tmp/themes_driver" bench/themes_driver.c "$LIB" \
    $(pkg-config --libs $PKGS) -lcsv -lstemmer -lroaring -lm -lpthread

# The split. train.csv: the raw rows of sessions 1-16 (the importer merges them);
# the rest is de-duplicated here: *.ft for fastText (lower case, punctuation
# split off), test.txt (one text per line) and test.labels (JSON lists).
python3 - "$CSV" "$tmp" <<'EOF'
import csv, json, os, random, re, sys, unicodedata as u
src, out = sys.argv[1], sys.argv[2]
groups, order = {}, []
with open(src, encoding="utf-8", newline="") as f, \
     open(os.path.join(out, "train.csv"), "w", encoding="utf-8", newline="") as tr:
    rd = csv.DictReader(f)
    w = csv.DictWriter(tr, fieldnames=rd.fieldnames)
    w.writeheader()
    al = open(os.path.join(out, "all.csv"), "w", encoding="utf-8", newline="")
    wa = csv.DictWriter(al, fieldnames=rd.fieldnames)
    wa.writeheader()
    for r in rd:
        s = int(r["session"])
        if s <= 16:
            w.writerow(r)
        wa.writerow(r)
        text = " ".join(u.normalize("NFC", r["text"]).split())
        k = (s, r["state_under_review"], text)
        if k not in groups:
            groups[k] = set()
            order.append(k)
        groups[k].update(x for x in r["issues"].split("|") if x)
# The peer's files: text TAB labels (|-separated), by sessions.
def tsv(name, lo, hi):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for k in order:
            if lo <= k[0] <= hi and groups[k]:
                f.write("%s\t%s\n" % (k[2].replace("\t", " "), "|".join(sorted(groups[k]))))
tsv("peer-fit.tsv", 1, 14)
tsv("peer-val.tsv", 15, 16)
tsv("peer-train.tsv", 1, 16)
tsv("peer-test.tsv", 17, 18)
def ft_line(labels, text):
    t = re.sub(r"([.,;:!?()\"'])", r" \1 ", text.lower())
    return " ".join("__label__" + l.replace(" ", "_") for l in sorted(labels)) + " " + " ".join(t.split())
train = [(groups[k], k[2]) for k in order if k[0] <= 16 and groups[k]]
test = [(groups[k], k[2]) for k in order if k[0] >= 17 and groups[k]]
random.Random(7).shuffle(train)
n_dev = len(train) // 10
def write(name, items):
    with open(os.path.join(out, name), "w", encoding="utf-8") as f:
        for labels, text in items:
            f.write(ft_line(labels, text) + "\n")
write("train.ft", train)
write("dev-train.ft", train[n_dev:])
write("dev.ft", train[:n_dev])
with open(os.path.join(out, "test.txt"), "w", encoding="utf-8") as t, \
     open(os.path.join(out, "test.labels"), "w", encoding="utf-8") as l, \
     open(os.path.join(out, "test-ft.txt"), "w", encoding="utf-8") as tf:
    for labels, text in test:
        t.write(text + "\n")
        l.write(json.dumps(sorted(labels)) + "\n")
        tf.write(ft_line([], text).strip() + "\n")
print("  %d training items (sessions 1-16), %d test items (sessions 17-18)" % (len(train), len(test)))
EOF
for i in $(seq "$REPEAT"); do cat "$tmp/test.txt"; done >"$tmp/many.txt"
for i in $(seq "$REPEAT"); do cat "$tmp/test-ft.txt"; done >"$tmp/many-ft.txt"
n_many=$(wc -l <"$tmp/many.txt")
: >"$tmp/empty.txt"

# Scores predictions against test.labels. $1: rt (JSON lines) or ft (fastText
# predict-prob lines); $2: the predictions; $3: threshold for ft.
score() {
    python3 - "$1" "$2" "$tmp/test.labels" "${3:-0}" <<'EOF'
import json, sys
kind, pred, gold, thr = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
tp = fp = fn = 0
for p, g in zip(open(pred, encoding="utf-8"), open(gold, encoding="utf-8")):
    g = set(json.loads(g))
    if kind == "rt":
        got = set(json.loads(p)["labels"])
    else:
        t = p.split()
        got = {t[i][9:].replace("_", " ") for i in range(0, len(t) - 1, 2) if float(t[i + 1]) >= thr}
    tp += len(got & g); fp += len(got - g); fn += len(g - got)
P = tp / (tp + fp) if tp else 0; R = tp / (tp + fn) if tp else 0
print("%.4f %.4f %.4f" % (P, R, 2 * P * R / (P + R) if tp else 0))
EOF
}

# cpu_of OUT CMD...: runs CMD, its output to OUT; prints its wall and CPU seconds.
cpu_of() {
    python3 -c 'import resource, subprocess, sys, time
t = time.time()
subprocess.run(sys.argv[2:], check=True, stdout=open(sys.argv[1], "w"))
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f %.2f" % (time.time() - t, r.ru_utime + r.ru_stime))' "$@"
}

echo "themes: multi-label UPR Info issues, train sessions 1-16, test sessions 17-18"
echo "  rightstrack  $BIN themes train / predict"
[ "$FT" = none ] ||
    echo "  fastText     $(dpkg-query -W -f='${Version}' fasttext 2>/dev/null || echo "$FT") -loss ova -wordNgrams 2 -thread 2"
echo "  machine      $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"

# rightstrack
db=$tmp/rt.db
"$BIN" --db "$db" import "$tmp/train.csv" >"$tmp/import.log" 2>&1 ||
    { cat "$tmp/import.log" >&2; exit 1; }
set -- $(cpu_of "$tmp/train.json" "$BIN" --db "$db" themes train --json)
rt_train=$1 rt_train_cpu=$2
rt_bytes=$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["bytes"] / 1e6))' "$tmp/train.json")
"$BIN" --db "$db" themes predict --json <"$tmp/test.txt" >"$tmp/rt.pred"
rt_prf=$(score rt "$tmp/rt.pred")
# The driver: best load time and best prediction time of RUNS runs.
rt_load="" rt_pred="" rt_pred_cpu=""
for run in $(seq "$RUNS"); do
    set -- $("$tmp/themes_driver" "$db" "$tmp/test.txt" "$REPEAT")
    [ "$2" -eq "$n_many" ] || { echo "themes.sh: the driver predicted $2 texts, not $n_many" >&2; exit 1; }
    rt_load=$(python3 -c 'import sys; print("%.3f" % min(float(a) for a in sys.argv[1:] if a))' "$1" "$rt_load")
    rt_pred=$(python3 -c 'import sys; print(min(float(a) for a in sys.argv[1:] if a))' "$3" "$rt_pred")
    rt_pred_cpu=$(python3 -c 'import sys; print(min(float(a) for a in sys.argv[1:] if a))' "$5" "$rt_pred_cpu")
done
rt_pps_lib=$(rate "$n_many" "$rt_pred")
rt_pps_cpu=$(rate "$n_many" "$rt_pred_cpu")
rt_whole=$(best_of sh -c '"$1" --db "$2" themes predict --json <"$3"' sh "$BIN" "$db" "$tmp/many.txt")
rt_pps=$(rate "$n_many" "$rt_whole")

# rightstrack trained on every session, 1-18: the time the target is about.
dball=$tmp/all.db
"$BIN" --db "$dball" import "$tmp/all.csv" >"$tmp/import-all.log" 2>&1 ||
    { cat "$tmp/import-all.log" >&2; exit 1; }
set -- $(cpu_of "$tmp/train-all.json" "$BIN" --db "$dball" themes train --json)
rt_all=$1 rt_all_cpu=$2
rt_all_bytes=$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["bytes"] / 1e6))' "$tmp/train-all.json")

if [ "$FT" != none ]; then
# fastText: pick the setting and threshold on the development slice.
best=""
for setting in "25 0.5" "25 1.0" "50 0.5" "50 1.0"; do
    set -- $setting
    "$FT" supervised -input "$tmp/dev-train.ft" -output "$tmp/dev" -loss ova -epoch "$1" \
        -lr "$2" -wordNgrams 2 -thread 2 -verbose 0
    sed 's/^\(__label__[^ ]* \)*//' "$tmp/dev.ft" >"$tmp/dev.txt"
    "$FT" predict-prob "$tmp/dev.bin" "$tmp/dev.txt" -1 0.01 >"$tmp/dev.pred"
    line=$(python3 - "$tmp/dev.ft" "$tmp/dev.pred" "$1" "$2" <<'EOF'
import sys
gold = [{t for t in l.split() if t.startswith("__label__")} for l in open(sys.argv[1], encoding="utf-8")]
pred = []
for l in open(sys.argv[2], encoding="utf-8"):
    t = l.split()
    pred.append([(t[i], float(t[i + 1])) for i in range(0, len(t) - 1, 2)])
best = (0, 0)
for k in range(5, 91):
    thr = k / 100; tp = fp = fn = 0
    for g, p in zip(gold, pred):
        got = {x for x, s in p if s >= thr}
        tp += len(got & g); fp += len(got - g); fn += len(g - got)
    f = 2 * tp / (2 * tp + fp + fn)
    best = max(best, (f, thr))
print("%.4f %s %s %.2f" % (best[0], sys.argv[3], sys.argv[4], best[1]))
EOF
)
    echo "  fastText dev: epoch $1 lr $2: F1 $(echo "$line" | cut -d' ' -f1) at threshold $(echo "$line" | cut -d' ' -f4)"
    if [ -z "$best" ] || python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)' \
        "$(echo "$line" | cut -d' ' -f1)" "$(echo "$best" | cut -d' ' -f1)"; then
        best=$line
    fi
done
set -- $best
ft_epoch=$2 ft_lr=$3 ft_thr=$4
t0=$(now)
"$FT" supervised -input "$tmp/train.ft" -output "$tmp/ft" -loss ova -epoch "$ft_epoch" \
    -lr "$ft_lr" -wordNgrams 2 -thread 2 -verbose 0
t1=$(now)
ft_train=$(secs "$t0" "$t1")
"$FT" predict-prob "$tmp/ft.bin" "$tmp/test-ft.txt" -1 "$ft_thr" >"$tmp/ft.pred"
ft_prf=$(score ft "$tmp/ft.pred" "$ft_thr")
# Its load time (800 MB) is most of a run, so its rate apart from loading is the
# difference between runs over the texts 5 times and once: loading cancels out.
for i in 1 2 3 4 5; do cat "$tmp/many-ft.txt"; done >"$tmp/many5-ft.txt"
ft_load=$(best_of "$FT" predict-prob "$tmp/ft.bin" "$tmp/empty.txt" -1 "$ft_thr")
ft_whole=$(best_of "$FT" predict-prob "$tmp/ft.bin" "$tmp/many-ft.txt" -1 "$ft_thr")
ft_whole5=$(best_of "$FT" predict-prob "$tmp/ft.bin" "$tmp/many5-ft.txt" -1 "$ft_thr")
ft_pps=$(rate "$n_many" "$ft_whole")
ft_pps_lib=$(python3 -c 'import sys; d = float(sys.argv[2]) - float(sys.argv[3])
print(int(4 * int(sys.argv[1]) / d) if d > 0 else "n/a")' "$n_many" "$ft_whole5" "$ft_whole")
ft_bytes=$(python3 -c 'import os,sys; print("%.1f" % (os.path.getsize(sys.argv[1]) / 1e6))' "$tmp/ft.bin")
fi

# The peer. Prints "P R F1 threshold validation-F1 train-cpu-s train-wall-s predictions/s
# model-MB" (the model: the pickled vectoriser, classifiers and label list).
peer=$("$PEER_PYTHON" - "$tmp" <<'EOF'
import os, pickle, sys, time
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion
from sklearn.preprocessing import MultiLabelBinarizer
from sklearn.svm import LinearSVC
d = sys.argv[1]
def read(name):
    X, Y = [], []
    for line in open(os.path.join(d, name), encoding="utf-8"):
        t, l = line.rstrip("\n").split("\t")
        X.append(t); Y.append([x for x in l.split("|") if x])
    return X, Y
def fit(X, Y):
    vec = FeatureUnion([("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 2))),
                        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5)))])
    clf = OneVsRestClassifier(LinearSVC(C=0.5))
    clf.fit(vec.fit_transform(X), mlb.transform(Y))
    return vec, clf
def counts(S, Y, t):
    P = S >= t
    return int((P & (Y == 1)).sum()), int((P & (Y == 0)).sum()), int((~P & (Y == 1)).sum())
Xf, Yf = read("peer-fit.tsv"); Xv, Yv = read("peer-val.tsv")
Xa, Ya = read("peer-train.tsv"); Xt, Yt = read("peer-test.tsv")
mlb = MultiLabelBinarizer(); mlb.fit(Ya + Yv)
vec, clf = fit(Xf, Yf)
S = clf.decision_function(vec.transform(Xv)); Y = mlb.transform(Yv)
best = (-1, 0)
for t in np.arange(-1.0, 0.5, 0.02):
    tp, fp, fn = counts(S, Y, t)
    best = max(best, (2 * tp / (2 * tp + fp + fn), round(float(t), 2)))
c0, w0 = time.process_time(), time.time()
vec, clf = fit(Xa, Ya)
c1, w1 = time.process_time(), time.time()
S = clf.decision_function(vec.transform(Xt))
w2 = time.time()
tp, fp, fn = counts(S, mlb.transform(Yt), best[1])
p, r = tp / (tp + fp), tp / (tp + fn)
print("%.4f %.4f %.4f %.2f %.4f %.1f %.1f %d %.1f" % (p, r, 2 * p * r / (p + r), best[1], best[0],
      c1 - c0, w1 - w0, len(Xt) / (w2 - w1), len(pickle.dumps((vec, clf, mlb))) / 1e6))
EOF
)

set -- $rt_prf
echo "rightstrack: P $1 R $2 F1 $3; train on sessions 1-16 ${rt_train} s (${rt_train_cpu} s CPU); model ${rt_bytes} MB"
echo "  trained on all of sessions 1-18: ${rt_all} s wall, ${rt_all_cpu} s CPU (both threads); model ${rt_all_bytes} MB"
echo "  held out inside training: $(python3 -c 'import json,sys; h=json.load(open(sys.argv[1]))["heldout"]; print("F1 %.4f, action category accuracy %.3f" % (h["f1"], h["category_accuracy"]))' "$tmp/train.json")"
echo "  predicting $n_many texts: load ${rt_load} s; $rt_pps_lib predictions/s apart from loading ($rt_pps_cpu per second of CPU); whole process $rt_pps predictions/s"
rt_f1=$3
if [ "$FT" != none ]; then
    set -- $ft_prf
    echo "fastText (epoch $ft_epoch, lr $ft_lr, threshold $ft_thr): P $1 R $2 F1 $3; train ${ft_train} s; model ${ft_bytes} MB"
    echo "  predicting $n_many texts: load ${ft_load} s; $ft_pps_lib predictions/s apart from loading; whole process $ft_pps predictions/s"
    ft_f1=$3
fi
set -- $peer
echo "peer TF-IDF + LinearSVC (threshold $4, F1 $5 on sessions 15-16): P $1 R $2 F1 $3; train $6 s CPU, $7 s wall; $8 predictions/s with the transform; model $9 MB"
peer_f1=$3
# Ours against the peer, side by side: both trained on sessions 1-16 (wall
# seconds), predicting apart from loading (the peer with its TF-IDF transform),
# the stored model against the pickled one.
python3 - "$rt_f1" "$3" "$rt_train" "$7" "$rt_pps_lib" "$8" "$rt_bytes" "$9" <<'EOF'
import sys
a = [float(x) for x in sys.argv[1:]]
print("ours against the peer          rightstrack        peer   ratio (ours/peer)")
for name, ours, peer, better in (("micro-F1, sessions 17-18", a[0], a[1], "higher"),
                                 ("training s (1-16, wall)", a[2], a[3], "lower"),
                                 ("texts/s predicted", a[4], a[5], "higher"),
                                 ("model MB", a[6], a[7], "lower")):
    fmt = "%.4f" if name.startswith("micro") else "%.1f" if ours < 1000 else "%.0f"
    print("  %-26s %11s %11s   %6.3f  (%s is better)" % (name, fmt % ours, fmt % peer,
                                                      ours / peer if peer else float("nan"), better))
EOF
echo "targets: F1 above the peer's and fastText's, training all of sessions 1-18 under 30 s, at least 50000 predictions/s (apart from loading), model under 64 MB"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (times are wall unless said; the CPU times count both threads)"
[ "$FT" = none ] ||
    python3 -c 'import sys; print("ratio themes F1 rightstrack/fasttext: %.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$rt_f1" "$ft_f1"
python3 -c 'import sys; print("themes micro-F1 on sessions 17-18: rightstrack %s, peer %s" % (sys.argv[1], sys.argv[2]))' "$rt_f1" "$peer_f1"
python3 -c 'import sys; print("ratio themes F1 rightstrack/peer: %.3f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$rt_f1" "$peer_f1"
