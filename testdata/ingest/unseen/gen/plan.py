# -*- coding: utf-8 -*-
"""Workbook plans (layouts) and their rendering into Sheets + expectations."""
import copy
import datetime
import random

from layout import *  # noqa
from model import *  # noqa
from vocab import *  # noqa

LAYOUTS = ["single", "history", "group", "federation", "stacked", "per_quarter", "cover", "stale", "figs_first"]


def title_lines(st, rng, org, k, width, op=None, unit_scale=None, unit_where=None, fed=False):
    """returns list of lines; a line = dict(cells=[(col,t,v,fmt)], merge=bool)"""
    y, q = qk(k) if k is not None else (None, None)
    lines = []
    en = st["lang"] == "en"
    titles_fr = ["Déclaration trimestrielle", "Déclaration trimestrielle des indicateurs offshoring",
                 "Etat trimestriel - Activité offshoring", "Tableau de bord trimestriel des opérateurs",
                 "Reporting trimestriel à l'attention du Ministère de l'Industrie"]
    titles_en = ["Quarterly return", "Quarterly offshoring return", "Quarterly reporting - offshoring activity"]
    title = rng.choice(titles_en if en else titles_fr)
    if unit_where == "titlecell":
        u = rng.choice(UNIT_TITLE[unit_scale])
        title = title + rng.choice([" - ", " — ", " ("]) + (u[0].lower() + u[1:])
        title += ")" if title.count("(") > title.count(")") else ""
    logo = org.upper() if rng.random() < 0.5 else org
    if rng.random() < 0.7 or unit_where == "titlecell":
        if unit_where == "titlecell":
            lines.append({"cells": [(1, "s", title, None)], "merge": rng.random() < 0.5, "bold": True})
            lines.append({"cells": [(1, "s", logo, None)], "merge": False})
        else:
            lines.append({"cells": [(1, "s", logo, None)], "merge": rng.random() < 0.4, "bold": True})
            lines.append({"cells": [(1, "s", title, None)], "merge": rng.random() < 0.5, "bold": True})
    else:
        lines.append({"cells": [(1, "s", title, None)], "merge": rng.random() < 0.5, "bold": True})
    extra = []
    if op is not None and rng.random() < 0.5:
        city = op.get("city") or "Casablanca"
        extra.append({"cells": [(1, "s", rng.choice(ADDRESSES.get(city, ADDRESSES["Casablanca"])), None)], "merge": False})
    if op is not None and rng.random() < 0.25:
        extra.append({"cells": [(1, "s", "ICE : " + op["ice"], None)], "merge": False})
    if k is not None and rng.random() < 0.6:
        dd = qend_date(k) + datetime.timedelta(days=rng.randint(8, 40))
        if rng.random() < 0.5:
            extra.append({"cells": [(1, "s", ("Date de déclaration : " if not en else "Date: ") + dd.strftime("%d/%m/%Y"), None)], "merge": False})
        else:
            extra.append({"cells": [(1, "s", "Date de déclaration" if not en else "Filing date", None), (2, "d", dd, "dd/mm/yyyy")], "merge": False})
    if k is not None and rng.random() < 0.5:
        txt = rng.choice(["Trimestre : T%d %d" % (q, y), "Période : du %s au %s" % (
            datetime.date(y, 3 * q - 2, 1).strftime("%d/%m/%Y"), qend_txt(k)), "Quarter: Q%d %d" % (q, y),
            "%s trimestre %d" % (ORD1[q], y)])
        extra.append({"cells": [(1, "s", txt, None)], "merge": False})
    if fed and rng.random() < 0.6:
        extra.append({"cells": [(1, "s", rng.choice(["Synthèse des déclarations des membres",
                                                    "Consolidation des déclarations reçues",
                                                    "Members' returns - consolidated"]), None)], "merge": False})
    if rng.random() < 0.3:
        extra.append({"cells": [(1, "s", rng.choice(["Ministère de l'Industrie et du Commerce - Direction de l'Offshoring",
                                                    "A l'attention de : Direction des Services Offshoring",
                                                    "Tél : 05 22 %02d %02d %02d" % (rng.randint(10, 99), rng.randint(10, 99), rng.randint(10, 99))]), None)],
                      "merge": False})
    rng.shuffle(extra)
    lines += extra
    if unit_where in ("title", "mad_title"):
        u = rng.choice(UNIT_TITLE[unit_scale])
        pos = rng.choice(["append", "append", "insert", "right"])
        if rng.random() < 0.3 and pos != "right":
            u = rng.choice(["Exercice %d - " % y if y else "", "Version définitive - ", "Confidentiel. "]) + u
        line = {"cells": [(1, "s", u, None)], "merge": rng.random() < 0.5, "unit": True}
        if pos == "right":
            line = {"cells": [(width, "s", u, None)], "merge": False, "unit": True}
            lines.append(line)
        elif pos == "insert" and len(lines) > 1:
            lines.insert(rng.randint(1, len(lines)), line)
        else:
            lines.append(line)
    return lines


def render_title(sh, r, lines, width, rng, c0=1):
    for ln in lines:
        for (c, t, v, fmt) in ln["cells"]:
            sh.put(r, c0 + c - 1, t, v, fmt)
        if ln.get("merge") and width > 2 and len(ln["cells"]) == 1:
            sh.merges.append("%s:%s" % (addr(r, c0), addr(r, c0 + min(width, 12) - 1)))
        if ln.get("bold"):
            sh.bold.add(r)
        r += 1
    return r


def render_header(sh, r, cols, st, two_row, c0=1):
    if two_row:
        i = 0
        while i < len(cols):
            col = cols[i]
            c = c0 + i
            if col.get("group"):
                j = i
                while j + 1 < len(cols) and cols[j + 1].get("group") == col["group"]:
                    j += 1
                sh.s(r, c, col["group"])
                if j > i:
                    sh.merges.append("%s:%s" % (addr(r, c), addr(r, c0 + j)))
                for kk in range(i, j + 1):
                    sh.s(r + 1, c0 + kk, cols[kk]["sub"])
                i = j + 1
            else:
                mode = st["nongroup"]
                if mode == "merge":
                    sh.s(r, c, col["head"])
                    sh.merges.append("%s:%s" % (addr(r, c), addr(r + 1, c)))
                elif mode == "top":
                    sh.s(r, c, col["head"])
                else:
                    sh.s(r + 1, c, col["head"])
                i += 1
        sh.bold |= {r, r + 1}
        return r + 2
    for i, col in enumerate(cols):
        sh.s(r, c0 + i, col["head"])
    sh.bold.add(r)
    return r + 1


SUM_FIELDS = ("headcount", "hires", "youth", "disabled", "export", "total", "invest", "x_fem", "x_mass")


def sum_row(sh, r, cols, rows, c0, st, formula=False, span=None):
    for i, col in enumerate(cols):
        if col["field"] not in SUM_FIELDS:
            continue
        c = c0 + i
        vals = [sh.cells[(rr, c)][1] for rr in rows if (rr, c) in sh.cells and sh.cells[(rr, c)][0] == "n"]
        if not vals:
            continue
        tot = sum(vals)
        if isinstance(tot, float):
            tot = round(tot, 3)
        fmt = st["amt_fmt"] if col["field"] in AMOUNT_FIELDS else st["int_fmt"]
        if formula and span:
            L = col_letter(c)
            sh.put(r, c, "f", ["SUM(%s%d:%s%d)" % (L, span[0], L, span[1]), tot], fmt)
        else:
            sh.put(r, c, "n", tot, fmt)


def render_table(ctx, sh, r, tbl, st, rng, c0=1):
    cols = tbl["cols"]
    fields = [c["field"] for c in cols]
    r = render_header(sh, r, cols, st, tbl.get("two_row"), c0)
    if st.get("freeze_here") and sh.freeze is None:
        sh.freeze = addr(r, 1)
    first = r
    seen = {}
    data_rows = []
    group_rows = []
    no = 0
    for item in tbl["items"]:
        kind = item["kind"]
        if kind == "blank":
            r += 1
            continue
        if kind == "ret":
            no += 1
            item["no"] = no
            key = (item["op"]["ice"], item["v"]["k"])
            if any(fl["cell"] == "DUP" for fl in item.get("faults", [])):
                item["dup_row"] = seen[key]
            exp, fr = render_row(sh, r, cols, item, st, rng, c0)
            if not tbl.get("stale"):
                if exp:
                    ctx.expected.append(exp)
                ctx.faults.extend(fr)
            seen.setdefault(key, r)
            data_rows.append(r)
            group_rows.append(r)
            r += 1
            continue
        if kind == "sub":
            lf = item["label_field"]
            lc = c0 + fields.index(lf) if lf in fields else c0
            sh.s(r, lc, item["label"])
            sum_row(sh, r, cols, group_rows, c0, st)
            if st["bold"]:
                sh.bold.add(r)
            group_rows = []
            r += 1
            continue
    tot = tbl.get("total")
    if tot:
        r += tot.get("gap", 0)
        lf = tot["label_field"]
        lc = c0 + fields.index(lf) if lf in fields else c0
        formula = tot.get("formula") and not any(it["kind"] == "sub" for it in tbl["items"])
        sum_row(sh, r, cols, data_rows, c0, st, formula=formula, span=(first, data_rows[-1]))
        sh.s(r, lc, tot["label"])
        if tot.get("period") and tbl.get("k") is not None and "period" in fields and lf != "period":
            sh.put(r, c0 + fields.index("period"), *period_render(tbl["k"], "yq" if st["period"] in ("date", "datetext", "mixed") else st["period"], rng))
        span_fields = fields[:tot.get("merge_to") or 0]
        if tot.get("merge_to") and lc == c0 and not (set(span_fields[1:]) & (set(SUM_FIELDS) | {"period"})):
            sh.merges.append("%s:%s" % (addr(r, c0), addr(r, c0 + tot["merge_to"] - 1)))
        sh.bold.add(r)
        r += 1
    return r


def render_notes(sh, r, notes, width, rng, city="Casablanca", k=None, c0=1):
    for n in notes:
        if "{city}" in n:
            dd = (qend_date(k) + datetime.timedelta(days=rng.randint(5, 30))).strftime("%d/%m/%Y") if k is not None else "15/04/2019"
            n = n.replace("{city}", city).replace("{dd}", dd)
        sh.s(r, c0, n)
        if rng.random() < 0.3 and width > 3:
            sh.merges.append("%s:%s" % (addr(r, c0), addr(r, c0 + min(width, 8) - 1)))
        r += 1
    return r


def set_widths(sh, cols, c0=1):
    for i, col in enumerate(cols):
        f = col["field"]
        w = {"name": 34, "id": 19, "region": 24, "sector": 14, "period": 14, "x_addr": 40, "x_obs": 28}.get(f, 14)
        sh.widths[c0 + i] = w


# ---------------------------------------------------------------- building one workbook
def sheet_name(rng, st, base_choices, k=None):
    if st["unit_mode"] == "tab":
        if k is not None and rng.random() < 0.5:
            y, q = qk(k)
            tag = "KDH" if st["scale"] == 1000 else "MDH"
            return rng.choice(["T%d %d %s" % (q, y, tag), "%dQ%d (%s)" % (y, q, tag)])
        return rng.choice(UNIT_TAB[st["scale"]])
    if k is not None and rng.random() < 0.4:
        y, q = qk(k)
        return rng.choice(["T%d %d" % (q, y), "%dQ%d" % (y, q), "Q%d-%d" % (q, y), "T%d-%d" % (q, y)])
    return rng.choice(base_choices)


def null_some(v, rng, cols):
    fields = [c["field"] for c in cols]
    if "hires" in fields and rng.random() < 0.06:
        v["hires"] = v["youth"] = v["disabled"] = None
    if "total" in fields and rng.random() < 0.06:
        v["total"] = None
    if "invest" in fields and rng.random() < 0.12:
        v["invest"] = None
    return v


def build(name, writer, layout, seed, fault_kinds):
    rng = random.Random(seed)
    st = make_style(rng, writer)
    need = set()
    for fk in fault_kinds:
        need |= set(FAULT_NEEDS.get(fk, ()))
    if "amount_1000x_small" in fault_kinds:
        st["unit_mode"] = "none"
    if writer == "gnumeric-csv":
        st["period"] = rng.choice(["yq", "tq", "fr", "qy"])
        st["two_row"] = False
        st["title"] = rng.random() < 0.5
    if layout == "figs_first":
        st["two_row"] = False
    ctx = Ctx(name, writer, rng)
    ctx.style = st
    # names and organisations come from their own generators so that the file name (slug) does not
    # depend on which faults are injected
    orng = random.Random(seed * 7 + 3)
    ofac = OpFactory(random.Random(seed + 17))
    fed_pick = orng.choice(FEDERATIONS)
    root_pick = orng.choice(NAME_ROOTS)
    n_small = orng.randint(1, 10)
    n_pq = orng.randint(1, 12)
    notes = []
    k0 = rng.randint(0, 39)
    single_k = k0 if layout in ("single", "group", "federation", "cover", "stale", "figs_first") and rng.random() < 0.6 else None
    cols = make_columns(st, rng, need, layout, single_k)
    if st["two_row"]:
        st["two_row"] = assign_groups(cols, st, rng)
    width = len(cols)
    plan = []  # list of sheet plans
    scale = st["scale"] if st["unit_mode"] in ("title", "tab", "titlecell") else 1
    unit_where = st["unit_mode"] if st["unit_mode"] in ("title", "titlecell", "mad_title") else None
    if unit_where == "mad_title":
        scale_t = 1
    else:
        scale_t = scale
    if st["unit_mode"] in ("title", "titlecell", "mad_title"):
        st["title"] = True
    tricky = orng.random() < 0.35

    def items_for(ops, k, drift=0.0):
        its = []
        for op in ops:
            v = null_some(make_ret(op, k, rng, drift), rng, cols)
            its.append({"kind": "ret", "op": op, "v": v})
        return its

    def mk_table(items, k, total=None, stale=False):
        return {"type": "table", "cols": cols, "two_row": st["two_row"], "items": items, "total": total, "k": k,
                "stale": stale}

    def total_spec(k, label=None, lf=None):
        fields = [c["field"] for c in cols]
        if lf is None:
            lf = rng.choice([fields[0], "name", "name", fields[0], "sector" if "sector" in fields else "name"])
        return {"label": label or rng.choice(TOTAL_LABELS), "label_field": lf, "formula": rng.random() < 0.5,
                "gap": rng.choice([0, 0, 1]), "period": rng.random() < 0.2,
                "merge_to": rng.choice([0, 0, 2, 3]) if lf == fields[0] and fields[1] not in SUM_FIELDS else 0}

    def title_for(k, org, op=None, fed=False):
        if not st["title"]:
            return None
        return {"type": "title", "lines": title_lines(st, rng, org, k, width, op, scale_t, unit_where, fed)}

    def gap(n):
        return {"type": "gap", "n": n}

    org_op = None
    if layout in ("single", "history", "cover", "stale"):
        op = ofac.make(tricky=tricky)
        org_op = op
        org = op["name"]
        slug = op["name"]
        if layout == "history":
            n = rng.randint(3, 8)
            k0 = min(k0, 40 - n)
            if rng.random() < 0.3:
                k0 = rng.choice([0, 40 - n])  # touch the range ends
            items = []
            for i in range(n):
                items += items_for([op], k0 + i, drift=0.02 * i)
            if rng.random() < 0.3:
                items.reverse()
            if rng.random() < 0.15:
                items.insert(rng.randint(1, len(items) - 1), {"kind": "blank"})
            total = total_spec(None, rng.choice(["Cumul", "Cumul annuel", "Total", "TOTAL"])) if rng.random() < 0.35 else None
            tables = [mk_table(items, None, total)]
            tk = None
        else:
            # one row; with several faults, the same operator's previous quarters as extra rows
            nrows = max(1, len(fault_kinds))
            k0 = max(k0, nrows - 1)
            items = []
            for j in range(nrows):
                items += items_for([op], k0 - j)
            tables = [mk_table(items, k0, None)]
            tk = k0
        blocks = []
        t = title_for(tk if tk is not None else k0, org, op)
        if t:
            blocks += [t, gap(rng.choice([0, 1, 1, 2]))]
        blocks += tables
        if rng.random() < 0.5:
            blocks += [gap(rng.choice([1, 2])), {"type": "notes", "lines": rng.sample(NOTES, rng.randint(1, 3))}]
        main = {"name": sheet_name(rng, st, ["Déclaration", "Feuil1", "Sheet1", "Reporting", "Etat trimestriel", "Données"], tk),
                "state": "visible", "blocks": blocks}
        plan.append(main)
        if layout == "cover":
            y, q = qk(k0)
            pairs = [("Raison sociale", op["name"]), ("ICE", op["ice"]),
                     ("Adresse", rng.choice(ADDRESSES.get(op.get("city") or "Casablanca"))),
                     ("Trimestre déclaré", "T%d %d" % (q, y)), ("Responsable", rng.choice(["M. Karim Alaoui", "Mme Salma Bennani", "M. Youssef El Idrissi", "Mme Nadia Tazi"])),
                     ("Fonction", rng.choice(["DRH", "Directeur financier", "Responsable reporting"])),
                     ("Téléphone", "05 %02d %02d %02d %02d" % tuple(rng.randint(10, 99) for _ in range(4)))]
            cover = {"name": rng.choice(["Page de garde", "Couverture", "Cover", "Identification"]), "state": "visible",
                     "blocks": [{"type": "cover", "title": rng.choice(["DÉCLARATION TRIMESTRIELLE", "Fiche d'identification de l'opérateur", "Quarterly return - cover page"]),
                                 "pairs": pairs}]}
            plan.insert(0, cover)
        if layout == "stale":
            old_items = []
            for it in items:
                if it["kind"] != "ret":
                    continue
                v2 = make_ret(it["op"], it["v"]["k"] - rng.choice([0, 0, 1]) if it["v"]["k"] > 0 else 0, rng, drift=-0.05)
                old_items.append({"kind": "ret", "op": it["op"], "v": v2})
            sb = []
            if t:
                sb += [{"type": "title", "lines": title_lines(st, rng, org, k0, width, op, scale_t, unit_where)}, gap(1)]
            sb.append(mk_table(old_items, k0, None, stale=True))
            stale_sheet = {"name": rng.choice(["Déclaration (ancienne)", "Feuil1 (2)", "V1", "Ancienne version", "Old", "Brouillon"]),
                           "state": rng.choice(["hidden", "hidden", "veryHidden"]), "blocks": sb}
            if stale_sheet["name"] == main["name"]:
                stale_sheet["name"] += " old"
            # LibreOffice un-hides a hidden FIRST sheet when it converts an .ods without view settings,
            # so for the lo-* writers the stale sheet always comes after the real one
            if rng.random() < 0.5 and not writer.startswith("lo-"):
                plan.insert(0, stale_sheet)
            else:
                plan.append(stale_sheet)
    elif layout in ("group", "figs_first"):
        root = root_pick
        sector = rng.choice(["CRM", "BPO", "ITO", "ESO", "KPO"])
        n = rng.randint(2, 6) if layout == "group" else rng.randint(5, 30)
        ops = []
        if layout == "group":
            base = ofac.make(sector=sector)
            for i in range(n):
                o = ofac.make(sector=rng.choice([sector, sector, rng.choice(["CRM", "BPO", "ITO", "ESO", "KPO"])]))
                o["ice"] = base["ice"][:9] + "%04d" % (i + rng.choice([0, 1])) + "%02d" % rng.randint(10, 99)
                if o["ice"] in ofac.ices:
                    o["ice"] = o["ice"][:13] + "%02d" % ((int(o["ice"][13:]) + 7) % 90 + 10)
                ofac.ices.add(o["ice"])
                o["name"] = "%s %s - site %s" % (root, NAME_MIDS[o["sector"]][0], o.get("city") or o["region"])
                ops.append(o)
            # unique names
            names = set()
            for o in ops:
                while o["name"] in names:
                    o["name"] += " II"
                names.add(o["name"])
            org = "Groupe %s" % root
        else:
            for i in range(n):
                ops.append(ofac.make(tricky=(tricky and i < 2), small=True))
            org = fed_pick[0]
        slug = org
        items = items_for(ops, k0)
        if layout == "figs_first":
            total = total_spec(k0, lf="name")
            total["merge_to"] = 0
        else:
            total = total_spec(k0, rng.choice(["Total groupe", "TOTAL", "Total", "Ensemble du groupe"])) if rng.random() < 0.6 else None
        blocks = []
        t = title_for(k0, org, None)
        if t:
            blocks += [t, gap(rng.choice([0, 1, 2]))]
        blocks.append(mk_table(items, k0, total))
        if rng.random() < 0.6:
            blocks += [gap(rng.choice([1, 2])), {"type": "notes", "lines": rng.sample(NOTES, rng.randint(1, 3))}]
        plan.append({"name": sheet_name(rng, st, ["Déclaration", "Sites", "Feuil1", "Consolidé"], k0), "state": "visible", "blocks": blocks})
    elif layout == "federation":
        fed, acr = fed_pick
        org = "%s (%s)" % (fed, acr)
        slug = acr + " federation"
        n = rng.randint(50, 200)
        ops = [ofac.make(tricky=(i < rng.randint(1, 4)), small=rng.random() < 0.7) for i in range(n)]
        items_all = items_for(ops, k0)
        subtot = rng.random() < 0.65
        items = []
        if subtot:
            lf = rng.choice(["name", "name", "sector", [c["field"] for c in cols][0]])
            for sec in ["CRM", "BPO", "ITO", "ESO", "KPO"]:
                grp = [it for it in items_all if it["op"]["sector"] == sec]
                if not grp:
                    continue
                if rng.random() < 0.3:
                    items.append({"kind": "blank"})
                items += grp
                items.append({"kind": "sub", "label": rng.choice(SUBTOTAL_FMT).format(s=rng.choice([sec, SECTOR_LONG[sec]])),
                              "label_field": lf})
        else:
            rng.shuffle(items_all)
            items = items_all
            for _ in range(rng.randint(0, 3)):
                items.insert(rng.randint(1, len(items) - 1), {"kind": "blank"})
        total = total_spec(k0, rng.choice(["TOTAL GENERAL", "Total général", "TOTAL FEDERATION", "Total des membres", "Ensemble", "TOTAL"]))
        blocks = []
        t = title_for(k0, org, None, fed=True)
        if t:
            blocks += [t, gap(rng.choice([0, 1, 2]))]
        blocks.append(mk_table(items, k0, total))
        blocks += [gap(rng.choice([1, 2])), {"type": "notes", "lines": rng.sample(NOTES, rng.randint(1, 4))}]
        plan.append({"name": sheet_name(rng, st, ["Membres", "Déclarations", "Consolidation", "Feuil1", "Base"], k0), "state": "visible", "blocks": blocks})
    elif layout == "stacked":
        n = n_small
        ops = [ofac.make(tricky=(tricky and i == 0)) for i in range(n)]
        org = ops[0]["name"] if n == 1 else fed_pick[0]
        slug = org
        k0 = max(k0, 1)
        cur = items_for(ops, k0, 0.02)
        prev = items_for(ops, k0 - 1, 0.0)
        blocks = []
        t = title_for(k0, org, ops[0] if n == 1 else None)
        if t:
            blocks += [t, gap(rng.choice([0, 1]))]
        y, q = qk(k0 - 1)
        blocks.append(mk_table(cur, k0, total_spec(k0) if n > 2 and rng.random() < 0.5 else None))
        blocks.append(gap(rng.choice([1, 2, 3])))
        if rng.random() < 0.7:
            blocks.append({"type": "label", "text": rng.choice(["Rappel : déclaration du trimestre précédent (T%d %d)" % (q, y),
                                                                "Trimestre précédent", "Previous quarter (Q%d %d)" % (q, y),
                                                                "Pour mémoire - %s trimestre %d" % (ORD1[q], y)])})
        blocks.append(mk_table(prev, k0 - 1, None))
        plan.append({"name": sheet_name(rng, st, ["Déclaration", "Feuil1", "Reporting", "Suivi"], k0), "state": "visible", "blocks": blocks})
    elif layout == "per_quarter":
        n = n_pq
        ops = [ofac.make(tricky=(tricky and i == 0)) for i in range(n)]
        org = ops[0]["name"] if n == 1 else fed_pick[0]
        slug = org
        nq = rng.randint(2, 4)
        k0 = min(k0, 40 - nq)
        synth_rows = []
        for i in range(nq):
            k = k0 + i
            its = items_for(ops, k, 0.02 * i)
            blocks = []
            t = title_for(k, org, ops[0] if n == 1 else None)
            if t:
                blocks += [t, gap(rng.choice([0, 1]))]
            blocks.append(mk_table(its, k, total_spec(k) if n > 3 and rng.random() < 0.4 else None))
            y, q = qk(k)
            if st["unit_mode"] == "tab":
                tag = "KDH" if st["scale"] == 1000 else "MDH"
                nm = rng.choice(["T%d %d %s", "T%d-%d (%s)"]) % (q, y, tag)
            else:
                nm = rng.choice(["T%d %d", "Q%d %d", "T%d-%d"]) % (q, y)
            plan.append({"name": nm, "state": "visible", "blocks": blocks})
            synth_rows.append((k, its))
        # de-duplicate names
        seen_n = set()
        for p in plan:
            while p["name"] in seen_n:
                p["name"] += "b"
            seen_n.add(p["name"])
        if rng.random() < 0.4:
            plan.append({"name": "Synthèse", "state": "visible", "blocks": [{"type": "synth", "rows": synth_rows}]})
        if rng.random() < 0.3:
            plan.reverse()
    else:
        raise ValueError(layout)
    if writer == "gnumeric-csv":
        # the sheet of a CSV import is named after the file; the source file is named like this
        y, q = qk(k0)
        plan[0]["name"] = random.Random(seed).choice(["declaration_T%d_%d" % (q, y), "reporting_%dT%d" % (y, q),
                                                      "membres_%dQ%d" % (y, q), "export_sage", "extraction_rh",
                                                      "decl_offshoring"]) + ".csv"
    elif len(plan) == 1 and rng.random() < 0.15:
        plan.append({"name": rng.choice(["Feuil2", "Sheet2", "Notice"]), "state": "visible",
                     "blocks": [{"type": "notes", "lines": ["Notice de remplissage", "1. Une ligne par opérateur et par trimestre.",
                                                           "2. Les montants sont à déclarer hors taxes."]}] if rng.random() < 0.5 else []})
    # ---------------------------------------------------------------- faults
    eligible = [it for p in plan if p["state"] == "visible" for b in p["blocks"] if b["type"] == "table" and not b["stale"]
                for it in b["items"] if it["kind"] == "ret"]
    dup_inserts = []
    for fk in sorted(fault_kinds, key=lambda x: x != "duplicate_operator_quarter"):
        def ok(it, fk=fk):
            if fk in ("youth_gt_hires", "disabled_gt_hires") and it["v"]["hires"] is None:
                return False
            if fk == "total_lt_export" and it["v"]["total"] is None:
                return False
            if fk == "amount_1000x_small" and it["v"]["headcount"] < 60:
                return False
            return True

        def conflict(it, fk=fk):
            if fk == "duplicate_operator_quarter":
                return bool(it.get("faults")) or it.get("dup_target")
            if it.get("dup_target"):
                return True
            mine = KIND_FIELDS[fk] | {"headcount", "export", "name", "sector", "region", "period"} if fk == "blank_required" else KIND_FIELDS[fk]
            theirs = set()
            for fl in it.get("faults", []):
                theirs |= KIND_FIELDS[fl["kind"]] | {fl["field"]}
            if fk == "blank_required":
                return len({"headcount", "export", "name", "sector", "region", "period"} - theirs) == 0
            return bool(mine & theirs)
        cands = [it for it in eligible if not it.get("faults") and not it.get("dup_target") and ok(it)]
        if not cands:
            cands = [it for it in eligible if not conflict(it) and ok(it)]
        if not cands:
            cands = [it for it in eligible if not conflict(it)]
            if not cands:
                raise RuntimeError("no row for fault %s" % fk)
            it = cands[0]
            if fk in ("youth_gt_hires", "disabled_gt_hires"):
                it["v"]["hires"] = max(3, it["v"]["headcount"] // 20)
                it["v"]["youth"] = min(it["v"]["youth"] or 0, it["v"]["hires"])
                it["v"]["disabled"] = min(it["v"]["disabled"] or 0, it["v"]["hires"])
            if fk == "total_lt_export":
                it["v"]["total"] = it["v"]["export"] * 1.1
            if fk == "amount_1000x_small":
                it["v"]["headcount"] = max(it["v"]["headcount"], 120)
        it = rng.choice(cands)
        if fk == "duplicate_operator_quarter":
            it["dup_target"] = True
            v2 = dict(it["v"])
            v2["headcount"] = max(20, v2["headcount"] + rng.randint(-15, 15))
            dup = {"kind": "ret", "op": it["op"], "v": v2,
                   "faults": [{"kind": fk, "field": "id", "cell": "DUP",
                               "what": "duplicate operator+quarter: same ICE and period as row %d"}]}
            dup_inserts.append((it, dup))
            continue
        avoid = set()
        for fl in it.get("faults", []):
            avoid |= KIND_FIELDS[fl["kind"]] | {fl["field"]}
        field, cell, what = fault_cell(fk, it, st, rng, cols, avoid)
        it.setdefault("faults", []).append({"kind": fk, "field": field, "cell": cell, "what": what})
    for it, dup in dup_inserts:
        for p in plan:
            for b in p["blocks"]:
                if b["type"] == "table" and any(x is it for x in b["items"]):
                    idx = [i for i, x in enumerate(b["items"]) if x is it][0]
                    pos = rng.randint(idx + 1, len(b["items"]))
                    b["items"].insert(pos, dup)
    # ---------------------------------------------------------------- render
    for p in plan:
        sh = Sheet(p["name"][:31], p["state"])
        r = 1
        c0 = 1
        st["freeze_here"] = rng.random() < 0.3
        for b in p["blocks"]:
            if b["type"] == "title":
                r = render_title(sh, r, b["lines"], width, rng, c0)
            elif b["type"] == "gap":
                r += b["n"]
            elif b["type"] == "label":
                sh.s(r, c0, b["text"])
                sh.bold.add(r)
                r += 1
            elif b["type"] == "table":
                r = render_table(ctx, sh, r, b, st, rng, c0)
                set_widths(sh, b["cols"], c0)
            elif b["type"] == "notes":
                r = render_notes(sh, r, b["lines"], width, rng, (org_op or {}).get("city") or "Casablanca", k0, c0)
            elif b["type"] == "cover":
                sh.s(2, 2, b["title"])
                sh.bold.add(2)
                rr = 4
                for lab, val in b["pairs"]:
                    sh.s(rr, 2, lab + rng.choice(["", " :"]))
                    sh.s(rr, 3, val)
                    rr += 1
                sh.widths[2] = 26
                sh.widths[3] = 50
            elif b["type"] == "synth":
                sh.s(1, 1, "Synthèse par trimestre" if st["lang"] != "en" else "Summary by quarter")
                heads = ["Trimestre", "Effectif total", "Recrutements", "CA export total"]
                for i, h in enumerate(heads):
                    sh.s(3, 1 + i, h)
                sh.bold |= {1, 3}
                rr = 4
                for k, its in b["rows"]:
                    y, q = qk(k)
                    sh.s(rr, 1, "T%d %d" % (q, y))
                    sh.put(rr, 2, "n", sum(it["v"]["headcount"] for it in its), None)
                    sh.put(rr, 3, "n", sum((it["v"]["hires"] or 0) for it in its), None)
                    sh.put(rr, 4, "n", round(sum(it["v"]["export"] for it in its) / (st["scale"] if st["unit_mode"] in ("title", "tab", "titlecell") else 1), 0), "#,##0")
                    rr += 1
        ctx.sheets.append(sh)
    if st["unit_mode"] == "tab":
        for sh in ctx.sheets:
            if sh.name in ("Synthèse",):
                continue
    ctx.slug_src = slug
    ctx.layout = layout
    return ctx


def describe(ctx, fault_kinds):
    st = ctx.style
    bits = ["layout=%s" % ctx.layout]
    um = st["unit_mode"]
    if um in ("title", "tab", "titlecell"):
        bits.append("unit stated in %s (x%d)" % ({"title": "title block line", "tab": "sheet tab name", "titlecell": "workbook title cell A1"}[um], st["scale"]))
    elif um == "head":
        bits.append("units in header cells (per column)")
    elif um == "mad_head":
        bits.append("headers say MAD/DH")
    elif um == "mad_title":
        bits.append("title line says amounts in dirhams")
    else:
        bits.append("no unit stated (MAD)")
    bits.append("ICE style %s" % st["ice"])
    bits.append("period style %s" % st["period"])
    bits.append("amounts %s" % st["amt"])
    if st["hc"] == "txt":
        bits.append("headcount as text")
    bits.append("sector %s, region %s" % (st["sector"], st["region"]))
    bits.append("headers %s, %s" % (st["lang"], "two rows" if st["two_row"] else "one row"))
    hidden = [s.name for s in ctx.sheets if s.state != "visible"]
    if hidden:
        bits.append("hidden stale sheet(s) %s are not returns" % hidden)
    if len(ctx.sheets) > 1:
        bits.append("%d sheets" % len(ctx.sheets))
    if fault_kinds:
        bits.append("faults: %s" % ", ".join(fault_kinds))
    return "; ".join(bits)
