#!/usr/bin/env python3
"""Writes a large text for timing the readout parser (bench/readout.sh, t3710).

  python3 bench/readout_big.py SHAPE SIZE [DIR] > big.txt

SHAPE is one of:
  readouts  the bodies of the readouts in DIR (*.txt), one after another, again and
            again: a long text of ordinary sentences, lists, names and dates
  sentence  one sentence with no full stop: a chain of asks ("urged Laos to free A, to
            allow B and that it put an end to C, ...")
  list      one sentence that lists subjects ("discussed X, Y and Z, ...")
  nostop    words and commas with no full stop, no line break and no cue verb
  names     one sentence of participants: many titled names with their offices
  lines     short lines without punctuation, as a list of headings or names
SIZE is in bytes (e.g. 5000000); the text is cut to it at a whole word. Every text has
the four-line header of a readout file (title, ISO date, source, empty line).
"""
import glob
import os
import sys

HEADER = "Timing text for the readout parser\n2020-01-01\nbench/readout_big.py\n\n"

FIRST = ["Anna", "Boris", "Chen", "Dilnoza", "Erik", "Farida", "Gustav", "Hoa", "Ilse", "Jamal",
         "Kamila", "Luc", "Mirza", "Nadia", "Olek", "Phan", "Rustam", "Sofia", "Tomas", "Ulla"]
LAST = ["Berg", "Karimova", "Nguyen", "Ostrowski", "Haddad", "Lindqvist", "Tashkentov", "Moreau",
        "Schneider", "Abenova", "Pham", "Dubois", "Yilmaz", "Novak", "Sato", "Rahimov"]
TITLES = ["Director of the Department of Human Rights at the Ministry of Justice",
          "Deputy Minister of Foreign Affairs", "Head of Division for Central Asia",
          "Ambassador to the Republic of Kazakhstan", "Senior Adviser, Office of the Ombudsman"]


def readouts(d):
    bodies = []
    for f in sorted(glob.glob(os.path.join(d, "*.txt"))):
        with open(f, encoding="utf-8") as fp:
            lines = fp.read().split("\n")
        bodies.append("\n".join(lines[4:]).strip() + "\n\n")
    if not bodies:
        sys.exit("readout_big.py: no readouts in %s" % d)
    while True:
        for b in bodies:
            yield b


def repeat(s):
    while True:
        yield s


SYL = ["ka", "ri", "mo", "ber", "na", "tos", "lin", "du", "sha", "vel", "ro", "ne", "ki",
       "pa", "zu", "lo", "me", "da", "hu", "se", "tor", "val", "gi", "fa", "ye", "bo", "cha"]


def surname(i):
    """A made-up surname, different for each i below 27**3."""
    s = SYL[i % 27] + SYL[(i // 27) % 27] + SYL[(i // 729) % 27]
    return s.capitalize() + "ova"


def names():
    """Titled names, each one different (up to half a million of them)."""
    i = 0
    while True:
        f, l, t = FIRST[i % len(FIRST)], surname(i // len(FIRST)), TITLES[i % len(TITLES)]
        yield "%s %s %s, %s, " % ("Ms" if i % 2 else "Mr", f, l, t)
        i += 1


def lines():
    i = 0
    while True:
        yield "%s %s Director General Department %d\n" % (FIRST[i % len(FIRST)],
                                                          LAST[i % len(LAST)], i % 97)
        i += 1


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    shape, size = sys.argv[1], int(sys.argv[2])
    d = sys.argv[3] if len(sys.argv) > 3 else "/work/shared/data/readouts"
    head, gen = {
        "readouts": ("", lambda: readouts(d)),
        "sentence": ("Canada urged Laos to free A",
                     lambda: repeat(", and to free B, to allow C and that it put an end to D")),
        "list": ("The two sides discussed ",
                 lambda: repeat("freedom of expression, the death penalty and labour rights, "
                                "Tibet and Hong Kong, the rights of women and girls, ")),
        "nostop": ("", lambda: repeat("the rights of persons with disabilities and access to "
                                      "justice in rural provinces, ")),
        "names": ("The European Union was represented by ", names),
        "lines": ("", lines),
    }.get(shape, (None, None))
    if gen is None:
        sys.exit("readout_big.py: unknown shape %s" % shape)
    out = [HEADER, head]
    n = len(HEADER) + len(head)
    for piece in gen():
        if n + len(piece.encode("utf-8")) > size:
            break
        out.append(piece)
        n += len(piece.encode("utf-8"))
    text = "".join(out)
    if shape in ("sentence", "list", "names"):
        text = text.rstrip(", ") + "."
    sys.stdout.write(text)


main()
