# -*- coding: utf-8 -*-
"""Workbook model, value rendering and table layout for the unseen corpus."""
import datetime
import math
from decimal import Decimal, ROUND_HALF_UP

from vocab import *  # noqa

QEND = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
ORD1 = {1: "1er", 2: "2ème", 3: "3ème", 4: "4ème"}
ORD2 = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}
MONTHS_FR = ["Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre",
             "Octobre", "Novembre", "Décembre"]


def col_letter(c):
    s = ""
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def addr(r, c):
    return "%s%d" % (col_letter(c), r)


def qk(k):
    """quarter index 0..39 -> (year, q)"""
    return 2015 + k // 4, k % 4 + 1


def qlabel(k):
    y, q = qk(k)
    return "%dQ%d" % (y, q)


def qend_date(k):
    y, q = qk(k)
    m, d = QEND[q]
    return datetime.date(y, m, d)


def qend_txt(k):
    return qend_date(k).strftime("%d/%m/%Y")


class Sheet:
    def __init__(self, name, state="visible"):
        self.name = name
        self.state = state
        self.cells = {}
        self.merges = []
        self.widths = {}
        self.bold = set()
        self.views = True
        self.freeze = None

    def put(self, r, c, t, v, fmt=None):
        if v is None:
            self.cells.pop((r, c), None)
            return
        self.cells[(r, c)] = (t, v, fmt)

    def s(self, r, c, v):
        self.put(r, c, "s", v)

    def to_spec(self):
        cells = []
        for (r, c), (t, v, fmt) in sorted(self.cells.items()):
            if t == "d":
                v = v.isoformat()
            cells.append([r, c, t, v, fmt])
        return {"name": self.name, "state": self.state, "views": self.views, "freeze": self.freeze,
                "cells": cells, "merges": self.merges, "widths": {str(k): v for k, v in self.widths.items()},
                "bold": sorted(self.bold)}


# ---------------------------------------------------------------- numbers
def dec(x):
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def jnum(d):
    """Decimal -> int or float for JSON"""
    d = Decimal(d)
    if d == d.to_integral_value():
        return int(d)
    return float(d)


def quantize(mad, scale, decimals):
    """true MAD amount -> (written number, expected MAD as Decimal)"""
    q = Decimal(1).scaleb(-decimals)
    w = (Decimal(mad) / Decimal(scale)).quantize(q, rounding=ROUND_HALF_UP)
    exp = w * Decimal(scale)
    wn = int(w) if w == w.to_integral_value() else float(w)
    return wn, exp


def group3(intpart, sep):
    s = str(intpart)
    out = []
    while len(s) > 3:
        out.insert(0, s[-3:])
        s = s[:-3]
    out.insert(0, s)
    return sep.join(out)


def txt_fr(v, decimals, sep):
    d = Decimal(str(v)).quantize(Decimal(1).scaleb(-decimals)) if decimals else Decimal(int(round(v)))
    neg = d < 0
    d = abs(d)
    ip = int(d)
    s = group3(ip, sep)
    if decimals:
        frac = str(d).split(".")[1] if "." in str(d) else "0" * decimals
        s += "," + frac.ljust(decimals, "0")
    return ("-" if neg else "") + s


def txt_en(v):
    d = Decimal(str(v)).quantize(Decimal("0.01"))
    ip = int(abs(d))
    frac = str(abs(d)).split(".")[1]
    return ("-" if d < 0 else "") + group3(ip, ",") + "." + frac


# ---------------------------------------------------------------- ICE
def ice_render(ice, style, rng):
    if style == "mixed":
        style = rng.choice(["plain", "plain", "spaced", "dotted", "numeric"])
    if style == "plain":
        return ("s", ice, "@")
    if style == "spaced":
        return ("s", " ".join(ice[i:i + 3] for i in range(0, 15, 3)), None)
    if style == "dotted":
        return ("s", ".".join(ice[i:i + 3] for i in range(0, 15, 3)), None)
    if style == "dashed":
        return ("s", "%s-%s-%s" % (ice[:9], ice[9:13], ice[13:]), None)
    if style == "numeric":
        return ("n", int(ice), rng.choice(["0", "General", "000000000000000", "0"]))
    raise ValueError(style)


def sector_render(code, style, rng):
    if style == "code":
        return code
    if style == "name":
        return rng.choice(SECTOR_WORDS[code][1:])
    return rng.choice(SECTOR_WORDS[code])


def region_render(op, style, rng):
    canon = op["region"]
    city = op.get("city")
    if style == "city":
        return city if city else canon
    if style == "canon":
        return canon
    if style == "variant":
        return rng.choice(region_variants(canon))
    # mixed
    if city and rng.random() < 0.5:
        return city
    return rng.choice(region_variants(canon)[:2] + [canon, canon])


def period_render(k, style, rng):
    y, q = qk(k)
    if style == "mixed":
        style = rng.choice(["yq", "tq", "fr", "qy", "date"])
    if style == "yq":
        return ("s", "%dQ%d" % (y, q), None)
    if style == "tq":
        return ("s", "T%d %d" % (q, y), None)
    if style == "fr":
        ords = ORD1 if rng.random() < 0.6 else ORD2
        return ("s", "%s trimestre %d" % (ords[q], y), None)
    if style == "qy":
        return ("s", "Q%d %d" % (q, y), None)
    if style == "date":
        return ("d", qend_date(k), rng.choice(["dd/mm/yyyy", "dd/mm/yyyy", "d/m/yyyy", "yyyy-mm-dd", "dd/mm/yy"]))
    if style == "datetext":
        return ("s", qend_txt(k), None)
    raise ValueError(style)
