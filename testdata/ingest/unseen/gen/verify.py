#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Checks every written workbook against the spec it was made from, with openpyxl as a neutral reader:
same sheets, visibility, and every cell (type and value), so that the .json expectations (computed from
the specs) hold for the file that was actually written. Also checks the expectations themselves.

usage: /usr/bin/python3 verify.py   (after build.py, before the scratch folder is removed)
"""
import datetime
import json
import re
import sys
import warnings
import zipfile

import openpyxl

warnings.filterwarnings("ignore")
BUILD = "/work/corpus-out/unseen/gen/build"
REGIONS = set(__import__("vocab").REGIONS)


def num_of_text(s):
    t = s.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"-?\d+", t):
        return int(t)
    if re.fullmatch(r"-?\d+,\d+", t):
        return float(t.replace(",", "."))
    if re.fullmatch(r"-?[\d,]+\.\d+", s):
        return float(s.replace(",", ""))
    return None


def check_file(m):
    spec = json.load(open(m["spec_path"]))
    relaxed = m["sub"] == "csv"
    probs = []
    wb = openpyxl.load_workbook(m["out"])
    names = [ws.title for ws in wb.worksheets]
    want = [s["name"] for s in spec["sheets"]]
    if names != want:
        return ["sheets %s != %s" % (names, want)]
    for s in spec["sheets"]:
        ws = wb[s["name"]]
        vis = ws.sheet_state == "visible"
        if vis != (s["state"] == "visible"):
            probs.append("%s: state %s, wanted %s" % (s["name"], ws.sheet_state, s["state"]))
        seen = set()
        for r, c, t, v, fmt in s["cells"]:
            seen.add((r, c))
            got = ws.cell(row=r, column=c).value
            where = "%s!%s%d" % (s["name"], openpyxl.utils.get_column_letter(c), r)
            if t == "s":
                if got != v:
                    if m["writer"] == "lo-ods" and m["sub"] == "ssconvert" and isinstance(got, str) and got == v.replace("\n", ""):
                        continue  # Gnumeric's ODS export drops line breaks inside header cells
                    if relaxed and isinstance(got, (int, float)) and num_of_text(v) is not None and abs(num_of_text(v) - got) < 1e-6:
                        continue
                    probs.append("%s: %r != %r" % (where, got, v))
            elif t == "n":
                if isinstance(got, bool) or not isinstance(got, (int, float)) or abs(got - v) > 1e-9 * max(1, abs(v)):
                    probs.append("%s: %r != %r (number)" % (where, got, v))
            elif t == "d":
                d = datetime.date.fromisoformat(v)
                if not (isinstance(got, datetime.datetime) and got.date() == d):
                    probs.append("%s: %r != %r (date)" % (where, got, v))
            elif t == "f":
                if got is None:
                    probs.append("%s: formula cell empty" % where)
        for row in ws.iter_rows():
            for cell in row:
                if cell.value not in (None, "") and (cell.row, cell.column) not in seen:
                    probs.append("%s!%s: unexpected %r" % (s["name"], cell.coordinate, cell.value))
    if m.get("no_views"):
        with zipfile.ZipFile(m["out"]) as z:
            for n in z.namelist():
                if n.startswith("xl/worksheets/sheet") and b"<sheetViews" in z.read(n):
                    probs.append("%s has <sheetViews>" % n)
    return probs


def check_expect(m):
    e = json.load(open(m["out"][:-5] + ".json"))
    probs = []
    if e["valid"] == bool(m["invalid"]):
        probs.append("valid flag")
    if e["valid"] and e["faults"]:
        probs.append("valid with faults")
    if not e["valid"] and not (1 <= len(e["faults"]) <= 3):
        probs.append("fault count %d" % len(e["faults"]))
    keys = set()
    for r in e["returns"]:
        if not re.fullmatch(r"\d{15}", r["operator_id"]):
            probs.append("bad id %r" % r["operator_id"])
        if r["sector"] not in ("CRM", "BPO", "ITO", "ESO", "KPO") or r["region"] not in REGIONS:
            probs.append("bad sector/region %r" % r)
        if not re.fullmatch(r"20(1[5-9]|2[0-4])Q[1-4]", r["period"]):
            probs.append("bad period")
        if not (20 <= r["headcount"] <= 5000):
            probs.append("headcount %r" % r["headcount"])
        ratio = r["export_revenue_mad"] / r["headcount"]
        if not (15000 <= ratio <= 150000):
            probs.append("ratio %.0f at row %d" % (ratio, r["row"]))
        if r["total_revenue_mad"] is not None and r["total_revenue_mad"] < r["export_revenue_mad"]:
            probs.append("total<export row %d" % r["row"])
        for k in ("hires_youth", "hires_disabled"):
            if r[k] is not None and (r["hires"] is None or r[k] > r["hires"]):
                probs.append("%s row %d" % (k, r["row"]))
        key = (r["operator_id"], r["period"])
        if key in keys:
            probs.append("duplicate return %s" % (key,))
        keys.add(key)
    return probs, e


def main():
    man = json.load(open(BUILD + "/manifest.json"))
    bad = 0
    for m in man:
        p = check_file(m)
        q, e = check_expect(m)
        if p or q:
            bad += 1
            print("==", m["file"], m["sub"])
            for x in (p + q)[:12]:
                print("   ", x)
    print("checked %d files, %d with problems" % (len(man), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.path.insert(0, "/work/corpus-out/unseen/gen")
    sys.exit(main())
