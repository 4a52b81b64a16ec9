#!/usr/bin/env python3
"""Build variants.tsv and negatives.tsv from source.txt and assign halves.

Halves: for each file a fresh random.Random(20261203); groups are processed in
a fixed order (the 12 canonical columns in brief order, then `none`); the
group's rows (in authoring order) are shuffled with rng.shuffle and the i-th
row after shuffling gets `dev` if i is even, `heldout` if i is odd. Rows are
written in shuffled order within each group. Content is never looked at.
"""
import random, collections, sys

ORDER = ["operator_id", "operator_name", "sector", "region", "period",
         "headcount", "hires", "hires_youth", "hires_disabled",
         "export_revenue_mad", "total_revenue_mad", "investment_mad"]
SEED = 20261203

groups = collections.OrderedDict()
cur = None
for raw in open("source.txt", encoding="utf-8"):
    line = raw.rstrip("\n")
    if not line.strip() or line.startswith("# "):
        continue
    if line.startswith("## "):
        cur = line[3:].strip(); groups.setdefault(cur, []); continue
    lang, _, wording = line.partition(": ")
    assert lang in ("fr", "en", "ar") and wording and "\t" not in wording, line
    groups[cur].append((lang, wording.strip()))

def write(path, cols):
    rng = random.Random(SEED)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("column\tlang\twording\thalf\n")
        for c in cols:
            rows = list(groups[c])
            rng.shuffle(rows)
            for i, (lang, w) in enumerate(rows):
                f.write(f"{c}\t{lang}\t{w}\t{'dev' if i % 2 == 0 else 'heldout'}\n")

assert set(groups) == set(ORDER) | {"none"}, groups.keys()
write("variants.tsv", ORDER)
write("negatives.tsv", ["none"])
