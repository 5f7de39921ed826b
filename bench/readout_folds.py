#!/usr/bin/env python3
"""Scores the readout parser fold by fold, so a change can be judged on readouts
it was not made from.

  python3 bench/readout_folds.py [BIN] [--fold NAME]... [--verbose]

BIN defaults to build/release/rightstrack, else build/debug/rightstrack.
READOUTS (default /work/shared/data/readouts) and SCORER (default
/work/shared/tools/readout_score.py) override the inputs.

The folds: A is the ten readouts the parser was first written against; the fourteen
added later are split in two, B1 and B2 (by name, below). Work with one fold out of
sight, measure on it before reading it, then rotate. For each fold (and for all)
prints the scorer's per-field P/R/F1 and its overall F1; --fold limits the output to
the folds named, so a held-out fold's texts need not be looked at.
"""
import os
import shutil
import subprocess
import sys
import tempfile

FOLDS = {
    "A": ["us-belarus-wg-2015-12-16", "us-belarus-release-statement-2022-09-25",
          "eu-belarus-hrd-2009-06-16", "us-vietnam-hrd-2021-11-09",
          "australia-vietnam-hrd-2014-07-29", "us-kazakhstan-hld-2023-01-24",
          "china-uk-hrd-2011-01-13", "eu-china-hrd-2012-05-29", "eu-cuba-hr-2016-06-06",
          "us-myanmar-hrd-2015-01-14"],
    "B1": ["australia-vietnam-hrd-2017-08-10", "eu-china-hrd-2013-06-25",
           "eu-cuba-hrd-2017-05-22", "eu-kazakhstan-hrd-2021-12-02",
           "eu-myanmar-hrd-2016-11-22", "eu-turkmenistan-hrd-2013-05-15",
           "switzerland-china-hrd-2015-03-03"],
    "B2": ["australia-vietnam-hrd-2018-08-28", "china-australia-hrd-2003-07-28",
           "eu-cuba-hrd-2018-10-09", "eu-kazakhstan-hrd-2023-03-09",
           "eu-kyrgyzstan-hrd-2022-09-15", "eu-tajikistan-hrd-2017-10-12",
           "eu-vietnam-hrd-2015-01-19"],
}


def main():
    args = [a for a in sys.argv[1:]]
    verbose = "--verbose" in args
    want = []
    rest = []
    i = 0
    while i < len(args):
        if args[i] == "--fold" and i + 1 < len(args):
            want.append(args[i + 1])
            i += 2
            continue
        if args[i] != "--verbose":
            rest.append(args[i])
        i += 1
    binp = rest[0] if rest else "build/release/rightstrack"
    if not os.access(binp, os.X_OK):
        binp = "build/debug/rightstrack"
    readouts = os.environ.get("READOUTS", "/work/shared/data/readouts")
    scorer = os.environ.get("SCORER", "/work/shared/tools/readout_score.py")
    for need in (binp, readouts, scorer):
        if not os.path.exists(need):
            print(f"readout_folds.py: missing {need}", file=sys.stderr)
            return 1
    folds = dict(FOLDS)
    have = sorted(n[:-10] for n in os.listdir(readouts) if n.endswith(".gold.json"))
    known = {n for v in FOLDS.values() for n in v}
    extra = [n for n in have if n not in known]
    if extra:
        folds["other"] = extra
    folds["all"] = have
    names = want or list(folds)
    tmp = tempfile.mkdtemp()
    try:
        pred = os.path.join(tmp, "pred")
        os.mkdir(pred)
        for n in have:
            with open(os.path.join(pred, n + ".json"), "w") as out:
                r = subprocess.run([binp, "readout", "parse", "--json",
                                    os.path.join(readouts, n + ".txt")], stdout=out)
                if r.returncode:
                    print(f"readout_folds.py: {n} failed to parse", file=sys.stderr)
        for f in names:
            if f not in folds:
                print(f"readout_folds.py: no fold {f}", file=sys.stderr)
                return 2
            g = os.path.join(tmp, "gold-" + f)
            os.mkdir(g)
            for n in folds[f]:
                for ext in (".txt", ".gold.json"):
                    os.symlink(os.path.join(readouts, n + ext), os.path.join(g, n + ext))
            cmd = ["python3", scorer, g, pred] + (["--verbose"] if verbose else [])
            r = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
            print(f"== fold {f} ({len(folds[f])} readouts)")
            sys.stdout.write(r.stdout)
    finally:
        shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
