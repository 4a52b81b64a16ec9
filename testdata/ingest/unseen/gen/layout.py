# -*- coding: utf-8 -*-
"""Recipes: operators, returns, columns, tables, faults -> Sheets + expectations."""
import math
import random
from decimal import Decimal

from model import *  # noqa
from vocab import *  # noqa

AMOUNT_FIELDS = ("export", "total", "invest")
INT_FIELDS = ("headcount", "hires", "youth", "disabled")
REQUIRED = ("id", "name", "sector", "region", "period", "headcount", "export")


# ---------------------------------------------------------------- operators
def make_ice(rng):
    if rng.random() < 0.7:
        head = "00" + "".join(str(rng.randint(0, 9)) for _ in range(7))
    elif rng.random() < 0.5:
        head = "0" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    else:
        head = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    est = "000" + str(rng.randint(0, 9)) if rng.random() < 0.8 else "00%02d" % rng.randint(10, 40)
    return head + est + "%02d" % rng.randint(10, 99)


def pick_city(rng):
    tot = sum(w for _, w in CITY_WEIGHTS)
    x = rng.uniform(0, tot)
    for c, w in CITY_WEIGHTS:
        x -= w
        if x <= 0:
            return c
    return "Casablanca"


class OpFactory:
    def __init__(self, rng):
        self.rng = rng
        self.names = set()
        self.ices = set()
        self.tricky = list(TRICKY_NAMES)
        rng.shuffle(self.tricky)

    def make(self, sector=None, tricky=False, small=False, city=None):
        rng = self.rng
        if tricky and self.tricky:
            name, sector = self.tricky.pop()
        else:
            sector = sector or rng.choice(["CRM", "CRM", "CRM", "BPO", "BPO", "ITO", "ITO", "ESO", "KPO"])
            for _ in range(100):
                name = "%s %s %s" % (rng.choice(NAME_ROOTS), rng.choice(NAME_MIDS[sector]), rng.choice(NAME_SUFFIX))
                if name not in self.names:
                    break
        self.names.add(name)
        while True:
            ice = make_ice(rng)
            if ice not in self.ices:
                break
        self.ices.add(ice)
        if city is None and rng.random() < 0.06:
            region, city = rng.choice(RARE_REGIONS), None
        else:
            city = city or pick_city(rng)
            region = CITIES[city]
        lo, hi = (20, 600) if small else (20, 5000)
        hc = int(math.exp(rng.uniform(math.log(lo), math.log(hi))))
        return {"ice": ice, "name": name, "sector": sector, "region": region, "city": city,
                "hc": max(20, min(5000, hc)), "rev": rng.uniform(24000, 115000),
                "margin": rng.choice([0, 0, rng.uniform(0.01, 0.4)])}


def make_ret(op, k, rng, drift=0):
    hc = int(op["hc"] * (1 + drift) * rng.uniform(0.95, 1.05))
    hc = max(20, min(5000, hc))
    exp = hc * op["rev"] * rng.uniform(0.92, 1.08)
    exp = round(exp, rng.choice([0, 0, 0, 2]))
    tot = exp * (1 + op["margin"]) if op["margin"] else exp
    hires = int(hc * rng.uniform(0.0, 0.12)) if rng.random() < 0.95 else 0
    youth = int(hires * rng.uniform(0.4, 0.95))
    dis = min(hires, rng.choice([0, 0, 0, 1, 1, 2, 3]))
    inv = rng.choice([0, round(hc * rng.uniform(500, 9000), -2), round(hc * rng.uniform(500, 9000), -2)])
    return {"k": k, "headcount": hc, "hires": hires, "youth": youth, "disabled": dis,
            "export": exp, "total": tot, "invest": inv}


# ---------------------------------------------------------------- style
def make_style(rng, writer):
    st = {}
    st["lang"] = rng.choice(["fr"] * 7 + ["en"] * 2 + ["mix"])
    st["ice"] = rng.choice(["plain"] * 5 + ["spaced", "dotted", "dashed", "numeric", "numeric", "mixed"])
    st["amt"] = rng.choice(["num"] * 6 + ["txt_fr", "txt_fr", "txt_en", "mixed"])
    st["hc"] = rng.choice(["num"] * 5 + ["txt"])
    st["sep"] = rng.choice([" ", "\u00a0", "\u00a0", "\u202f"])
    st["amt_fmt"] = rng.choice(["#,##0", "#,##0.00", "# ##0", "General", "#,##0", "0"])
    st["int_fmt"] = rng.choice(["0", "General", "#,##0"])
    st["period"] = rng.choice(["yq", "tq", "fr", "qy", "date", "date", "datetext", "mixed", "yq", "tq"])
    st["sector"] = rng.choice(["code", "code", "code", "name", "mixed"])
    st["region"] = rng.choice(["canon", "canon", "variant", "city", "city", "mixed"])
    st["nulls"] = rng.sample(NULLS, 2)
    st["two_row"] = rng.random() < 0.35
    st["nongroup"] = rng.choice(["merge", "top", "bottom"])
    st["title"] = rng.random() < 0.8
    st["bold"] = rng.random() < 0.7
    # units
    st["unit_mode"] = rng.choice(["none", "none", "mad_head", "mad_title", "head", "head", "head",
                                  "title", "title", "tab", "titlecell"])
    st["scale"] = rng.choice([1000, 1000, 1000, 1000000])
    st["dec"] = rng.choice([0, 0, 1, 2])
    return st


def L(st, rng):
    if st["lang"] == "mix":
        return rng.choice(["fr", "en"])
    return st["lang"]


def head_word(field, st, rng, single_k=None):
    lang = L(st, rng)
    opts = HEAD[field][lang]
    if single_k is None:
        opts = [o for o in opts if "{d}" not in o] or opts
    w = rng.choice(opts)
    if "{d}" in w:
        w = w.replace("{d}", qend_txt(single_k) if rng.random() < 0.7 else qend_txt(single_k)[:5])
    return w, lang


# ---------------------------------------------------------------- columns
def make_columns(st, rng, need=(), layout=None, single_k=None):
    need = set(need)
    if layout == "figs_first":
        need |= {"hires", "total"}
    has_hires = rng.random() < 0.75 or need & {"hires", "youth", "disabled"}
    has_youth = has_hires and (rng.random() < 0.8 or "youth" in need)
    has_dis = has_hires and (rng.random() < 0.65 or "disabled" in need)
    has_total = rng.random() < 0.6 or "total" in need
    has_inv = rng.random() < 0.5 or "invest" in need
    region_city = st["region"] == "city"
    fields = ["id", "name", "sector", "region", "period", "headcount"]
    if rng.random() < 0.3:
        fields = ["name", "id", "sector", "region", "period", "headcount"]
    if rng.random() < 0.15:
        fields.remove("period")
        fields.insert(0, "period")
    if rng.random() < 0.2:
        i, j = fields.index("sector"), fields.index("region")
        fields[i], fields[j] = fields[j], fields[i]
    if has_hires:
        fields += ["hires"] + (["youth"] if has_youth else []) + (["disabled"] if has_dis else [])
    fields += ["export"] + (["total"] if has_total else [])
    if has_inv:
        fields += ["invest"]
    if False:
        pass
    elif rng.random() < 0.1:
        # columns in any order (keep hires/youth/disabled together)
        blocks = [[f] for f in fields if f not in ("youth", "disabled")]
        for b in blocks:
            if b[0] == "hires":
                b += [f for f in ("youth", "disabled") if f in fields]
        rng.shuffle(blocks)
        fields = [f for b in blocks for f in b]
    # extras
    extras = []
    if rng.random() < 0.35:
        extras.append(("x_no", 0))
    for x, p in (("x_if", 0.12), ("x_rc", 0.08), ("x_cnss", 0.06), ("x_addr", 0.12), ("x_zone", 0.08)):
        if rng.random() < p:
            extras.append((x, rng.randint(2, 4)))
    if not region_city and rng.random() < 0.15:
        extras.append(("x_city", fields.index("region") + 1))
    if rng.random() < 0.2:
        extras.append(("x_fem", fields.index("headcount") + 1))
    if rng.random() < 0.12:
        extras.append(("x_mass", len(fields)))
    if rng.random() < 0.3:
        extras.append(("x_obs", 999))
    if layout == "figs_first":
        extras = [(x, p) for x, p in extras if x != "x_no"]
    for x, pos in sorted(extras, key=lambda e: e[1]):
        if x == "x_no":
            fields.insert(0, x)
        elif pos >= len(fields):
            fields.append(x)
        else:
            # do not split the hires block
            while pos < len(fields) and fields[pos] in ("youth", "disabled"):
                pos += 1
            fields.insert(pos, x)
    if layout == "figs_first":
        # figure columns first (A-D), then the name in column E, where the TOTAL label will stand
        figs = [f for f in fields if f in ("headcount", "hires", "youth", "disabled", "export", "total", "invest")][:4]
        fields = figs + ["name"] + [f for f in fields if f not in figs and f != "name"]
        assert fields.index("name") == 4, fields
    # build column dicts
    cols = []
    unit_head = st["unit_mode"] in ("head", "mad_head")
    for f in fields:
        c = {"field": f}
        if f == "region" and region_city:
            w, lang = head_word("city", st, rng)
        elif f == "x_city":
            w, lang = head_word("city", st, rng)
        elif f == "period" and st["period"] in ("date", "datetext") and rng.random() < 0.5:
            w, lang = head_word("period_date", st, rng)
        else:
            w, lang = head_word(f, st, rng, single_k)
        if single_k is not None and f in ("hires", "export") and rng.random() < 0.25 and lang == "fr":
            y, q = qk(single_k)
            w += rng.choice([" T%d %d" % (q, y), " du %s trimestre %d" % (ORD1[q], y)])
        c["lang"] = lang
        if f in AMOUNT_FIELDS:
            if st["unit_mode"] == "head":
                sc = st["scale"] if rng.random() < 0.8 else rng.choice([1, 1000, 1000000])
                c["scale"] = sc
                units = (UNIT_HEAD_EN if lang == "en" else UNIT_HEAD)[sc]
                u = rng.choice(units)
                c["unit_text"] = u
                w = w + (rng.choice([" ", " ", "\n"])) + u
            elif st["unit_mode"] == "mad_head":
                c["scale"] = 1
                u = rng.choice((UNIT_HEAD_EN if lang == "en" else UNIT_HEAD)[1])
                w = w + " " + u
            elif st["unit_mode"] in ("title", "tab", "titlecell"):
                c["scale"] = st["scale"]
            else:
                c["scale"] = 1
            sc = c["scale"]
            if sc == 1:
                c["dec"] = rng.choice([0, 0, 2])
            elif sc == 1000:
                c["dec"] = st["dec"]
            else:
                c["dec"] = rng.choice([2, 3]) if st["amt"] == "num" else 2
            if st["amt"] in ("txt_fr", "mixed"):
                c["dec"] = min(c["dec"], 2)
        c["head"] = w
        cols.append(c)
    if st["unit_mode"] == "head" and st.get("ca_group"):
        pass
    return cols


def assign_groups(cols, st, rng):
    """two-row headers: group header over hires block / revenue pair / identification pair."""
    fields = [c["field"] for c in cols]
    lang = "en" if st["lang"] == "en" else "fr"

    def contiguous(fs):
        idx = [fields.index(f) for f in fs if f in fields]
        return len(idx) == len(fs) and idx == list(range(idx[0], idx[0] + len(idx)))
    groups = []
    hb = [f for f in ("hires", "youth", "disabled") if f in fields]
    if len(hb) >= 2 and contiguous(hb):
        groups.append(("recr", hb))
    if contiguous(["export", "total"]) and rng.random() < 0.7:
        groups.append(("ca", ["export", "total"]))
    if contiguous(["id", "name"]) and rng.random() < 0.4:
        groups.append(("ident", ["id", "name"]))
    if not groups:
        return False
    for g, fs in groups:
        gw = rng.choice(GROUPS[g][lang])
        if g == "ca":
            ce, ct = cols[fields.index("export")], cols[fields.index("total")]
            if ce.get("unit_text"):
                # put the unit in the group header, same scale for both
                ct["scale"], ct["dec"] = ce["scale"], ce["dec"]
                gw = gw + " " + ce["unit_text"]
            elif st["unit_mode"] == "mad_head":
                gw = gw + " (MAD)"
        for f in fs:
            c = cols[fields.index(f)]
            c["group"] = gw
            c["sub"] = rng.choice(SUBHEAD[f][lang])
    return True


# ---------------------------------------------------------------- faults
FAULT_KINDS = ["ice_text_14", "ice_text_13", "period_half_year", "period_month", "period_out_of_range",
               "youth_gt_hires", "disabled_gt_hires", "total_lt_export", "text_in_number",
               "unknown_sector", "unknown_region", "blank_required", "negative_headcount",
               "absurd_headcount", "amount_1000x_small", "duplicate_operator_quarter", "negative_export"]
FIELD_GROUP = {"hires": "h", "youth": "h", "disabled": "h", "export": "x", "total": "x"}
KIND_FIELDS = {"ice_text_14": {"id"}, "ice_text_13": {"id"}, "period_half_year": {"period"}, "period_month": {"period"},
               "period_out_of_range": {"period"}, "youth_gt_hires": {"hires", "youth"},
               "disabled_gt_hires": {"hires", "disabled"}, "total_lt_export": {"export", "total"},
               "text_in_number": {"headcount", "hires"}, "unknown_sector": {"sector"}, "unknown_region": {"region"},
               "blank_required": set(), "negative_headcount": {"headcount"}, "absurd_headcount": {"headcount"},
               "amount_1000x_small": {"export", "total"}, "negative_export": {"export", "total"},
               "duplicate_operator_quarter": {"id"}}
FAULT_NEEDS = {"youth_gt_hires": ("hires", "youth"), "disabled_gt_hires": ("hires", "disabled"),
               "total_lt_export": ("total",)}


def fault_cell(kind, item, st, rng, cols, avoid=()):
    """returns (field, (t,v,fmt) or None, what); avoid: fields already faulty in this row"""
    op, v = item["op"], item["v"]
    y, q = qk(v["k"])
    fields = [c["field"] for c in cols]
    if kind == "ice_text_14":
        ice = op["ice"]
        t = ice[1:] if ice[0] == "0" else ice[:14]
        return "id", ("s", t, "@"), "ICE typed as text with 14 digits (%s)" % t
    if kind == "ice_text_13":
        ice = op["ice"]
        t = ice[2:] if ice.startswith("00") else ice[:13]
        return "id", ("s", t, "@"), "ICE typed as text with 13 digits (%s)" % t
    if kind == "period_half_year":
        s = (q + 1) // 2
        t = rng.choice(["S%d %d" % (s, y), "%s semestre %d" % ("1er" if s == 1 else "2ème", y), "H%d %d" % (s, y)])
        return "period", ("s", t, None), "half-year period '%s' where a quarter is expected" % t
    if kind == "period_month":
        m = QEND[q][0]
        t = rng.choice(["%s %d" % (MONTHS_FR[m - 1], y), "%02d/%d" % (m, y), "%s %d" % (MONTHS_FR[m - 2], y)])
        return "period", ("s", t, None), "month '%s' where a quarter is expected" % t
    if kind == "period_out_of_range":
        t = rng.choice(["2014Q4", "T4 2014", "2025Q1", "T1 2025", "4ème trimestre 2014", "Q2 2025"])
        return "period", ("s", t, None), "quarter '%s' outside 2015Q1-2024Q4" % t
    if kind == "youth_gt_hires":
        val = v["hires"] + rng.randint(1, 12)
        return "youth", ("n", val, None), "hires under 35 (%d) greater than hires (%d)" % (val, v["hires"])
    if kind == "disabled_gt_hires":
        val = v["hires"] + rng.randint(1, 5)
        return "disabled", ("n", val, None), "disabled hires (%d) greater than hires (%d)" % (val, v["hires"])
    if kind == "total_lt_export":
        return "total", "LT", "total revenue below export revenue"
    if kind == "text_in_number":
        f = "headcount" if ("hires" not in fields or rng.random() < 0.6 or v["hires"] is None) else "hires"
        if f in avoid:
            f = "hires" if f == "headcount" and "hires" in fields and v["hires"] is not None else "headcount"
        base = v["headcount"] if f == "headcount" else max(v["hires"], 5)
        approx = int(round(base, -1 if base < 1000 else -2))
        t = rng.choice(["environ %d" % approx, "env. %d" % approx, "~%d personnes" % approx, "environ %d" % approx])
        return f, ("s", t, None), "text '%s' in a number cell (%s)" % (t, f)
    if kind == "unknown_sector":
        t = rng.choice(["Textile", "Textile", "Agroalimentaire", "BTP", "Tourisme"])
        return "sector", ("s", t, None), "unknown sector '%s'" % t
    if kind == "unknown_region":
        t = rng.choice(["Paris", "Lyon", "Dakar", "Madrid", "Bruxelles"])
        return "region", ("s", t, None), "unknown region/city '%s'" % t
    if kind == "blank_required":
        f = rng.choice([x for x in ["name", "sector", "region", "period", "headcount", "export", "headcount", "export"]
                        if x not in avoid])
        return f, None, "required cell left blank (%s)" % f
    if kind == "negative_headcount":
        return "headcount", ("n", -v["headcount"], None), "negative headcount (%d)" % -v["headcount"]
    if kind == "absurd_headcount":
        return "headcount", ("n", 999999999999, None), "absurd headcount 999999999999"
    if kind == "amount_1000x_small":
        return "export", "SMALL", "export revenue 1000x too small for the headcount, no unit stated anywhere"
    if kind == "negative_export":
        return "export", "NEG", "negative export revenue"
    raise ValueError(kind)


# ---------------------------------------------------------------- rendering
def amount_cell(val, col, st, rng):
    wn, exp = quantize(val, col["scale"], col["dec"])
    mode = st["amt"]
    if mode == "mixed":
        mode = rng.choice(["num", "num", "txt_fr"])
    if mode == "num":
        fmt = st["amt_fmt"]
        if col["dec"] and fmt in ("#,##0", "# ##0", "0"):
            fmt = "#,##0.%s" % ("0" * col["dec"])
        return ("n", wn, fmt), exp
    if mode == "txt_fr":
        return ("s", txt_fr(wn, col["dec"] if not isinstance(wn, int) or col["dec"] else 0, st["sep"]), None), exp
    return ("s", txt_en(wn), None), exp


def int_cell(n, st, field):
    if st["hc"] == "txt" and field == "headcount":
        return ("s", group3(n, st["sep"]) if n >= 1000 else str(n), None)
    return ("n", n, st["int_fmt"])


class Ctx:
    """one workbook under construction"""

    def __init__(self, name, writer, rng):
        self.name, self.writer, self.rng = name, writer, rng
        self.sheets = []
        self.expected = []
        self.faults = []
        self.notes = []


def render_row(sh, r, cols, item, st, rng, c0=1):
    """writes one return row; returns (expected dict or None, fault dict or None)"""
    op, v = item["op"], item["v"]
    fmap = {fl["field"]: fl for fl in item.get("faults", [])}
    exp = {"sheet": sh.name, "row": r, "operator_id": op["ice"], "operator_name": op["name"],
           "sector": op["sector"], "region": op["region"], "period": qlabel(v["k"]),
           "headcount": v["headcount"], "hires": None, "hires_youth": None, "hires_disabled": None,
           "export_revenue_mad": None, "total_revenue_mad": None, "investment_mad": None}
    fields = [c["field"] for c in cols]
    hires_present = "hires" in fields and v["hires"] is not None
    written = {}
    fault_recs = []
    ecol = [c for c in cols if c["field"] == "export"]
    if ecol and v["export"] is not None:
        # export value as the file states it, computed up front (total may come before export)
        written["export"] = (None, quantize(v["export"], ecol[0]["scale"], ecol[0]["dec"])[1])
    for i, col in enumerate(cols):
        f = col["field"]
        c = c0 + i
        cell = None
        if f == "id":
            cell = ice_render(op["ice"], st["ice"], rng)
        elif f == "name":
            cell = ("s", op["name"], None)
        elif f == "sector":
            cell = ("s", sector_render(op["sector"], st["sector"], rng), None)
        elif f == "region":
            cell = ("s", region_render(op, st["region"], rng), None)
        elif f == "period":
            cell = period_render(v["k"], item.get("pstyle") or st["period"], rng)
        elif f == "headcount":
            cell = int_cell(v["headcount"], st, f)
        elif f in ("hires", "youth", "disabled"):
            val = v[f] if hires_present else None
            key = {"hires": "hires", "youth": "hires_youth", "disabled": "hires_disabled"}[f]
            if val is None:
                nm = rng.choice(st["nulls"])
                cell = ("s", nm, None) if nm else None
            else:
                cell = int_cell(val, st, f)
                exp[key] = val
        elif f in AMOUNT_FIELDS:
            val = v[f]
            key = {"export": "export_revenue_mad", "total": "total_revenue_mad", "invest": "investment_mad"}[f]
            if val is None:
                nm = rng.choice(st["nulls"])
                cell = ("s", nm, None) if nm else None
            else:
                cell, e = amount_cell(val, col, st, rng)
                if f == "total" and written.get("export") is not None and e < written["export"][1]:
                    # rounding made total < export: write total = export (rounded up in this column's unit)
                    cell, e = amount_up(written["export"][1], col, st)
                if f != "export":
                    written[f] = (cell, e)
                exp[key] = jnum(e)
        elif f == "x_no":
            cell = ("n", item.get("no", 1), None)
        elif f == "x_obs":
            o = rng.choice(OBS)
            cell = ("s", o, None) if o else None
        elif f == "x_addr":
            cell = ("s", rng.choice(ADDRESSES.get(op.get("city") or "Casablanca")), None)
        elif f == "x_fem":
            cell = ("n", int(v["headcount"] * rng.uniform(0.3, 0.65)), None)
        elif f == "x_mass":
            cell = ("n", round(v["headcount"] * rng.uniform(9, 16), 1), "#,##0.0")
        elif f == "x_if":
            cell = ("n", rng.randint(10000000, 53999999), None)
        elif f == "x_rc":
            cell = ("n", rng.randint(10000, 499999), None)
        elif f == "x_cnss":
            cell = ("n", rng.randint(1000000, 9999999), None)
        elif f == "x_zone":
            cell = ("s", rng.choice(["Zone franche", "Droit commun", "Casanearshore", "Technopolis", "P2I"]), None)
        elif f == "x_city":
            cell = ("s", op.get("city") or "", None) if op.get("city") else None
        fault = fmap.get(f)
        if fault:
            ov = fault["cell"]
            if ov == "DUP":
                cell = cell
                fault = dict(fault, what=fault["what"] % item["dup_row"])
            elif ov == "LT":
                e_exp = written["export"][1]
                tv = Decimal(e_exp) * Decimal("0.6")
                wn, e = quantize(tv, col["scale"], col["dec"])
                ov = ("n", wn, st["amt_fmt"])
            elif ov == "SMALL":
                assert col["scale"] == 1
                ov = ("n", max(1, int(round(v["export"] / 1000.0))), st["amt_fmt"])
            elif ov == "NEG":
                ov = ("n", -quantize(v["export"], col["scale"], col["dec"])[0], st["amt_fmt"])
            if ov != "DUP":
                cell = ov
            fault_recs.append({"sheet": sh.name, "cell": addr(r, c), "what": fault["what"], "kind": fault["kind"]})
        if cell is not None:
            sh.put(r, c, *cell)
    if fault_recs:
        return None, fault_recs
    return exp, []


def amount_up(e_exp, col, st):
    from decimal import ROUND_CEILING
    q = Decimal(1).scaleb(-col["dec"])
    w = (Decimal(e_exp) / Decimal(col["scale"])).quantize(q, rounding=ROUND_CEILING)
    wn = int(w) if w == w.to_integral_value() else float(w)
    fmt = st["amt_fmt"]
    if col["dec"] and fmt in ("#,##0", "# ##0", "0"):
        fmt = "#,##0.%s" % ("0" * col["dec"])
    return ("n", wn, fmt), w * Decimal(col["scale"])
