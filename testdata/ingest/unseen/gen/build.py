#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Builds the unseen corpus: /work/corpus-out/unseen/{dev,heldout}/<writer>-<nnn>-<slug>.xlsx + .json

usage: /usr/bin/python3 build.py            (needs node_modules: npm ci in this folder)
Deterministic: same seeds -> same workbooks (up to timestamps written by the tools).
"""
import hashlib
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Sheet  # noqa
from plan import build, describe  # noqa
from layout import FAULT_KINDS  # noqa
from vocab import strip_accents  # noqa
import writers  # noqa

ROOT = "/work/corpus-out/unseen"
GEN = ROOT + "/gen"
BUILD = GEN + "/build"          # specs + manifest (kept), scratch conversions (removed at the end)
SOURCES = GEN + "/sources"      # the .ods/.xls/.gnumeric/.csv originals, kept
WRITERS = ["openpyxl", "exceljs", "sheetjs", "lo-ods", "lo-xls", "gnumeric"]
PER_WRITER = 27
LAYOUT_MIX = (["single"] * 4 + ["history"] * 4 + ["group"] * 3 + ["federation"] * 4 + ["stacked"] * 3 +
              ["per_quarter"] * 3 + ["cover"] * 2 + ["stale"] * 2 + ["figs_first"] * 2)
LO_PROFILE = "file://" + BUILD + "/lo_profile"  # private LibreOffice profile, inside the scratch folder
SHORT = {"single": "decl", "history": "hist", "group": "sites", "federation": "fed", "stacked": "2tab",
         "per_quarter": "trims", "cover": "cover", "stale": "stale", "figs_first": "figs"}


def slugify(s, n=30):
    s = strip_accents(s).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:n].rstrip("-")


def side_of(fname):
    return "dev" if int(hashlib.sha1(fname.encode()).hexdigest(), 16) % 2 == 0 else "heldout"


def plan_files():
    files = []
    for w in WRITERS:
        rng = random.Random("layouts-" + w)
        mix = list(LAYOUT_MIX)
        if w == "gnumeric":
            # Gnumeric's xlsx export drops the hidden state of sheets: no hidden-stale layout here
            mix = [l if l != "stale" else "history" for l in mix]
        rng.shuffle(mix)
        for i, layout in enumerate(mix, 1):
            seed = int(hashlib.sha1(("%s-%d" % (w, i)).encode()).hexdigest()[:12], 16)
            sub = None
            if w == "gnumeric":
                if layout in ("single", "history", "group", "federation", "figs_first") and i % 3 == 0:
                    sub = "csv"
                elif i % 4 == 1:
                    sub = "ods"
                else:
                    sub = "gnumeric"
            elif w in ("lo-ods", "lo-xls"):
                sub = "ssconvert" if i % 2 else "soffice"
            wkind = "gnumeric-csv" if sub == "csv" else w
            ctx = build("dry", wkind, layout, seed, [])
            fname = "%s-%03d-%s-%s.xlsx" % (w, i, slugify(ctx.slug_src, 26), SHORT[layout])
            files.append({"writer": w, "i": i, "layout": layout, "seed": seed, "sub": sub, "wkind": wkind,
                          "file": fname, "side": side_of(fname)})
    return files


def assign_faults(files):
    rng = random.Random("faults")
    for side in ("dev", "heldout"):
        cycle = []
        for w in WRITERS:
            grp = [f for f in files if f["writer"] == w and f["side"] == side and f["sub"] != "csv"]
            n_inv = int(math.ceil(len([f for f in files if f["writer"] == w and f["side"] == side]) * 0.25))
            for f in rng.sample(grp, min(n_inv, len(grp))):
                f["invalid"] = True
        inv = [f for f in files if f["side"] == side and f.get("invalid")]
        rng.shuffle(inv)
        for f in inv:
            n = rng.choice([1, 1, 2, 2, 3])
            ks = []
            while len(ks) < n:
                if not cycle:
                    cycle = list(FAULT_KINDS)
                    rng.shuffle(cycle)
                k = cycle.pop()
                if k in ks:
                    cycle.insert(0, k)
                    if len(set(cycle)) <= 1:
                        break
                    continue
                ks.append(k)
            f["faults"] = ks
    for f in files:
        f.setdefault("invalid", False)
        f.setdefault("faults", [])


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError("%s failed: %s %s" % (cmd[:3], r.stdout[-2000:], r.stderr[-2000:]))
    return r


def soffice(target, outdir, paths):
    if not paths:
        return
    os.makedirs(outdir, exist_ok=True)
    for i in range(0, len(paths), 20):
        sh(["soffice", "-env:UserInstallation=" + LO_PROFILE, "--headless", "--norestore", "--convert-to", target,
            "--outdir", outdir] + paths[i:i + 20], timeout=900)


def main():
    for d in (BUILD, SOURCES):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    for side in ("dev", "heldout"):
        shutil.rmtree(ROOT + "/" + side, ignore_errors=True)
        os.makedirs(ROOT + "/" + side)
    os.makedirs(BUILD + "/specs")
    os.makedirs(BUILD + "/tmp")
    files = plan_files()
    assign_faults(files)
    creators = ["Service RH", "Direction financière", "Contrôle de gestion", "Fédération", "k.alaoui", "Admin",
                "Reporting", "s.bennani"]
    for f in files:
        ctx = build(f["file"][:-5], f["wkind"], f["layout"], f["seed"], f["faults"])
        f["ctx"] = ctx
        spec = {"sheets": [s.to_spec() for s in ctx.sheets], "props": {"creator": random.Random(f["seed"]).choice(creators)}}
        if f["writer"] == "exceljs":
            no_views = f["i"] % 3 != 0
            for s in spec["sheets"]:
                s["views"] = not no_views
            f["no_views"] = no_views
        if f["writer"] == "sheetjs":
            spec["sst"] = f["i"] % 2 == 0
            spec["compress"] = f["i"] % 3 != 0
        f["spec"] = spec
        f["spec_path"] = "%s/specs/%s.json" % (BUILD, f["file"][:-5])
        with open(f["spec_path"], "w") as fh:
            json.dump(spec, fh, ensure_ascii=False)
        f["out"] = "%s/%s/%s" % (ROOT, f["side"], f["file"])
        # expectations
        exp = {"valid": not f["invalid"], "writer": f["writer"],
               "notes": describe(ctx, f["faults"]) + writer_note(f),
               "returns": ctx.expected,
               "faults": [{"sheet": x["sheet"], "cell": x["cell"], "what": x["what"], "kind": x["kind"]} for x in ctx.faults]}
        if f["invalid"]:
            assert len(exp["faults"]) == len(f["faults"]), (f["file"], exp["faults"], f["faults"])
        else:
            assert not exp["faults"]
        with open(f["out"][:-5] + ".json", "w") as fh:
            json.dump(exp, fh, ensure_ascii=False, indent=1)
    # ---- openpyxl
    for f in files:
        if f["writer"] == "openpyxl":
            writers.write_openpyxl(f["spec"], f["out"])
    # ---- exceljs / sheetjs
    for w in ("exceljs", "sheetjs"):
        jobs = [{"spec": f["spec_path"], "out": f["out"]} for f in files if f["writer"] == w]
        jp = "%s/jobs-%s.json" % (BUILD, w)
        json.dump(jobs, open(jp, "w"))
        print(sh(["node", GEN + "/write_js.js", w, jp], cwd=GEN).stdout.strip())
    # ---- LibreOffice from .ods and .xls originals
    tmp = BUILD + "/tmp"
    for w, ext, filt, gfilt in (("lo-ods", "ods", "ods", "Gnumeric_OpenCalc:odf"),
                                ("lo-xls", "xls", 'xls:MS Excel 97', "Gnumeric_Excel:excel_biff8")):
        sel = [f for f in files if f["writer"] == w]
        via_soffice = []
        for f in sel:
            base = f["file"][:-5]
            writers.write_openpyxl(f["spec"], "%s/%s.xlsx" % (tmp, base))
            if f["sub"] == "ssconvert":
                sh(["ssconvert", "-T", gfilt, "%s/%s.xlsx" % (tmp, base), "%s/%s.%s" % (SOURCES, base, ext)])
            else:
                via_soffice.append("%s/%s.xlsx" % (tmp, base))
        soffice(filt, SOURCES, via_soffice)
        outdir = BUILD + "/lo-out-" + ext
        soffice('xlsx:Calc MS Excel 2007 XML', outdir, ["%s/%s.%s" % (SOURCES, f["file"][:-5], ext) for f in sel])
        for f in sel:
            shutil.move("%s/%s" % (outdir, f["file"]), f["out"])
    # ---- Gnumeric
    sel = [f for f in files if f["writer"] == "gnumeric"]
    ods_via = []
    for f in sel:
        base = f["file"][:-5]
        if f["sub"] == "gnumeric":
            writers.write_gnumeric(f["spec"], "%s/%s.gnumeric" % (SOURCES, base))
        elif f["sub"] == "csv":
            writers.write_csv(f["spec"], "%s/%s.csv" % (SOURCES, base))
        else:
            writers.write_openpyxl(f["spec"], "%s/%s.xlsx" % (tmp, base))
            ods_via.append("%s/%s.xlsx" % (tmp, base))
    soffice("ods", SOURCES, ods_via)
    for f in sel:
        base = f["file"][:-5]
        src = "%s/%s.%s" % (SOURCES, base, {"gnumeric": "gnumeric", "csv": "csv", "ods": "ods"}[f["sub"]])
        if f["sub"] == "csv":
            # Gnumeric names the sheet of a CSV after the file: convert from a copy named like the sheet
            d = "%s/csv/%s" % (BUILD, base)
            os.makedirs(d)
            shutil.copy(src, "%s/%s" % (d, f["spec"]["sheets"][0]["name"]))
            src = "%s/%s" % (d, f["spec"]["sheets"][0]["name"])
        sh(["ssconvert", "-T", "Gnumeric_Excel:xlsx2", src, f["out"]])
    # manifest for the verifier
    man = [{k: f[k] for k in ("file", "writer", "side", "layout", "sub", "invalid", "faults", "spec_path", "out")}
           | {"no_views": f.get("no_views", False)} for f in files]
    json.dump(man, open(BUILD + "/manifest.json", "w"), ensure_ascii=False, indent=1)
    with open(ROOT + "/manifest.tsv", "w") as fh:
        fh.write("file\tside\twriter\tlayout\tsource\tvalid\tfaults\n")
        for m in sorted(man, key=lambda m: (m["side"], m["file"])):
            fh.write("%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (m["file"], m["side"], m["writer"], m["layout"], m["sub"] or "-",
                                                   "no" if m["invalid"] else "yes", ",".join(m["faults"]) or "-"))
    # keep specs + manifest (verify.py needs them); drop the scratch conversions and the LibreOffice profile
    for d in ("tmp", "lo-out-ods", "lo-out-xls", "csv", "lo_profile"):
        shutil.rmtree("%s/%s" % (BUILD, d), ignore_errors=True)
    print("built", len(files))


def writer_note(f):
    w, sub = f["writer"], f["sub"]
    if w == "exceljs":
        return "; exceljs%s" % (" without <sheetViews> in any sheet" if f["i"] % 3 != 0 else " with sheetViews")
    if w == "sheetjs":
        return "; SheetJS %s strings" % ("shared" if f["i"] % 2 == 0 else "inline (t=str)")
    if w == "lo-ods":
        return "; .ods original made by %s, converted by LibreOffice" % sub
    if w == "lo-xls":
        return "; .xls (BIFF8) original made by %s, converted by LibreOffice" % sub
    if w == "gnumeric":
        return "; ssconvert from a %s source" % {"gnumeric": "hand-written .gnumeric XML", "csv": "CSV", "ods": ".ods (made by LibreOffice)"}[sub]
    return ""


if __name__ == "__main__":
    main()
