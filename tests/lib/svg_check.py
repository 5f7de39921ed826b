#!/usr/bin/env python3
"""svg_check.py FILE.html [MIN]: checks every inline SVG chart of a report page.

Each <svg>…</svg> must parse as XML, carry a viewBox of four numbers, have numbers in
every geometry attribute (x, y, cx, cy, r, width, height, x1, x2, y1, y2), and draw
marks: at least one circle, rect or path. Prints one line per chart ("svg N: M marks,
title") and exits 1 naming the first fault, or when fewer than MIN charts are found.
"""
import re
import sys
import xml.etree.ElementTree as ET

GEOMETRY = ("x", "y", "cx", "cy", "r", "width", "height", "x1", "x2", "y1", "y2")
MARKS = ("circle", "rect", "path")


def local(tag):
    return tag.rsplit("}", 1)[-1]


def number(value):
    try:
        float(value)
        return True
    except ValueError:
        return False


def check(html, minimum):
    charts = re.findall(r"<svg\b.*?</svg>", html, re.S)
    if len(charts) < minimum:
        return f"{len(charts)} inline SVG charts, expected at least {minimum}"
    for n, text in enumerate(charts, 1):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as e:
            return f"svg {n} does not parse: {e}"
        box = root.get("viewBox", "").split()
        if len(box) != 4 or not all(number(v) for v in box):
            return f"svg {n}: viewBox {root.get('viewBox')!r} is not four numbers"
        marks = 0
        for el in root.iter():
            for a in GEOMETRY:
                if a in el.attrib and not number(el.attrib[a]):
                    return f"svg {n}: <{local(el.tag)} {a}={el.attrib[a]!r}> is not a number"
            marks += local(el.tag) in MARKS
        title = root.find("title")
        name = title.text if title is not None else "(untitled)"
        if not marks:
            return f"svg {n} ({name}) draws no marks (no circle, rect or path)"
        print(f"svg {n}: {marks} marks, {name}")
    return None


def main():
    html = open(sys.argv[1], encoding="utf-8").read()
    fault = check(html, int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    if fault:
        print(f"{sys.argv[1]}: {fault}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
