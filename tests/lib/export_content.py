"""Prints a rightstrack export (export --json, on stdin) as its content only: one line
per recommendation with its state under review, session, text, response, category,
paragraph, recommending states, themes, and its sources (by kind and file SHA-256)
with their responses, sorted; ids and import times, which depend on the order of
imports, are left out. Two databases that hold the same print the same.

usage: rightstrack export --json | python3 tests/lib/export_content.py
"""
import json
import sys

t = json.load(sys.stdin)["tables"]
themes = {x["id"]: x["vocabulary"] + ":" + x["label"] for x in t["theme"]}
sources = {x["id"]: x["kind"] + ":" + x["sha256"] for x in t["source"]}
by, tags, srcs = {}, {}, {}
for x in t["recommendation_by"]:
    by.setdefault(x["rec_id"], []).append(x["state"])
for x in t["recommendation_theme"]:
    tags.setdefault(x["rec_id"], []).append(themes[x["theme_id"]] + ":" + x["origin"])
for x in t["recommendation_source"]:
    srcs.setdefault(x["rec_id"], []).append(sources[x["source_id"]] + ":" + x["response"])
rows = []
for r in t["recommendation"]:
    rows.append(json.dumps([r["state_under_review"], r["session"], r["text"], r["mechanism"],
                            r["cycle"], r["response"], r["action_category"], r["paragraph"],
                            sorted(by.get(r["id"], [])), sorted(tags.get(r["id"], [])),
                            sorted(srcs.get(r["id"], []))], ensure_ascii=False))
for line in sorted(rows):
    print(line)
