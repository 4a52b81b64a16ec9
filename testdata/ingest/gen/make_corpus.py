#!/usr/bin/env python3
"""Writes the ingest corpus (testdata/ingest/corpus) and its golden files.

Every case is a workbook layout plus the canonical returns it holds (or the
problems it must raise). The workbook is written by a program other than
excelize — openpyxl (here), LibreOffice (soffice re-saves an openpyxl file,
so the bytes are LibreOffice's), and exceljs (node write_exceljs.js) — and the
golden file <name>.want.txt is written from the canonical data, not from
offshore's reading, so the Go test (pipeline/ingest/corpus_test.go) checks
the reader against an independent truth.

Run from the repository root:  python3 testdata/ingest/gen/make_corpus.py
Needs python3-openpyxl, soffice (LibreOffice) and node with exceljs
(npm install in testdata/ingest/gen). CI needs none of them: the workbooks
are committed.
"""
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal

import openpyxl
from openpyxl.utils import get_column_letter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "corpus")
GEN = os.path.dirname(os.path.abspath(__file__))

NBSP, NNBSP = "\u00a0", "\u202f"

FR_HEADERS = {
    "operator_id": "ICE", "operator_name": "Raison sociale", "sector": "Filière", "region": "Région", "period": "Période",
    "headcount": "Effectif fin de période", "hires": "Recrutements de la période", "hires_youth": "dont jeunes (moins de 35 ans)",
    "hires_disabled": "dont personnes en situation de handicap", "export_revenue_mad": "CA export de la période (MAD)",
    "total_revenue_mad": "CA total de la période (MAD)", "investment_mad": "Investissements de la période (MAD)",
}
EN_HEADERS = {
    "operator_id": "ICE", "operator_name": "Company name", "sector": "Sector", "region": "Region", "period": "Period",
    "headcount": "Headcount at end of period", "hires": "Hires in period", "hires_youth": "of which young people (under 35)",
    "hires_disabled": "of which people with disabilities", "export_revenue_mad": "Export revenue in period (MAD)",
    "total_revenue_mad": "Total revenue in period (MAD)", "investment_mad": "Investment in period (MAD)",
}
COLS = list(FR_HEADERS)
AMOUNTS = ["export_revenue_mad", "total_revenue_mad", "investment_mad"]
COUNTS = ["headcount", "hires", "hires_youth", "hires_disabled"]

SECTOR_WORDS = {
    "CRM": ["CRM", "Relation client", "Centres d'appels", "Call center", "crm", "Centre d'appels"],
    "BPO": ["BPO", "Externalisation des processus métiers", "Business process outsourcing", "bpo", "Back-office"],
    "ITO": ["ITO", "Services informatiques", "IT services", "Informatique", "IT outsourcing"],
    "ESO": ["ESO", "Ingénierie", "Engineering", "Ingénierie et R&D", "R&D"],
    "KPO": ["KPO", "Analyse de données", "Knowledge process outsourcing", "Data analysis"],
}
REGION_WORDS = {
    "Casablanca-Settat": ["Casablanca-Settat", "Casa", "Casablanca", "Mohammedia", "Grand Casablanca", "CASABLANCA"],
    "Rabat-Salé-Kénitra": ["Rabat-Salé-Kénitra", "Rabat", "Salé", "Rabat-Sale-Kenitra", "Technopolis", "Kénitra"],
    "Fès-Meknès": ["Fès-Meknès", "Fès", "Fes", "Meknès", "Fes-Meknes", "Fez"],
    "Tanger-Tétouan-Al Hoceïma": ["Tanger-Tétouan-Al Hoceïma", "Tanger", "Tétouan", "Tangier", "Tetouan"],
    "L'Oriental": ["L'Oriental", "Oujda", "Oriental", "Nador"],
    "Marrakech-Safi": ["Marrakech-Safi", "Marrakech", "Safi"],
    "Souss-Massa": ["Souss-Massa", "Agadir"],
}
NAMES = ["Atlas Contact", "Souss IT", "Maghreb Data", "Rif Engineering", "Anfa Services", "Sebou Outsourcing", "Bouregreg Tech",
         "Oasis Call", "Medina BPO", "Chellah Conseil", "Argan Digital", "Tingis Software", "Volubilis Analytics", "Atlantic Relation Client",
         "Kasbah Process", "Nakhla Ingénierie", "Zellige Systèmes", "Ifrane Data Lab", "Sahara Support", "Toubkal IT"]


def quarter_end(y, q):
    return dt.date(y, 3 * q, 31 if q in (1, 4) else 30)


def period_spellings(y, q):
    ords = {1: "1er", 2: "2e", 3: "3e", 4: "4e"}
    words = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième"}
    en = {1: "First", 2: "Second", 3: "Third", 4: "Fourth"}
    return [f"{y}Q{q}", f"T{q} {y}", f"{y}-T{q}", f"{ords[q]} trimestre {y}", f"Q{q} {y}", f"{y}/{q}", f"Q{q}-{y}",
            f"{words[q]} trimestre {y}", f"{en[q]} quarter {y}", f"{q}T{y}", f"T{q}-{y}", f"{y} T{q}", f"Trimestre {q} {y}",
            f"{y}q{q}", f"2e trimestre {y}" if q == 2 else f"T{q} {y}"]


class Row:
    """One canonical return."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def dump(self):
        def opt(v):
            return "-" if v is None else fmt(v)
        return "|".join([self.operator_id, self.operator_name, self.sector, self.region, f"{self.year}Q{self.q}",
                         str(self.headcount), opt(self.hires), opt(self.hires_youth), opt(self.hires_disabled),
                         fmt(self.export_revenue_mad), opt(self.total_revenue_mad), opt(self.investment_mad)])


def fmt(v):
    if isinstance(v, Decimal):
        v = float(v)
    if isinstance(v, float) and v == int(v):
        return str(int(v))
    return repr(v) if isinstance(v, float) else str(v)


def make_rows(rng, n, years=(2016, 2024), optional=True, ops=None):
    rows = []
    ops = ops or max(1, n // 3)
    operators = []
    for i in range(ops):
        ice = "%015d" % rng.randrange(10**9, 10**13)  # leading zeros, as real ICEs have
        name = NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i // len(NAMES) + 1}")
        sector = rng.choice(list(SECTOR_WORDS))
        region = rng.choice(list(REGION_WORDS))
        operators.append((ice, name, sector, region, rng.randrange(20, 3000)))
    used = set()
    while len(rows) < n:
        ice, name, sector, region, size = operators[len(rows) % ops]
        y = rng.randrange(years[0], years[1] + 1)
        q = rng.randrange(1, 5)
        if (ice, y, q) in used:
            continue
        used.add((ice, y, q))
        hc = size + rng.randrange(-size // 10, size // 10 + 1)
        hires = rng.randrange(0, max(2, hc // 8)) if optional or rng.random() < 0.7 else None
        youth = rng.randrange(0, hires + 1) if hires is not None and rng.random() < 0.8 else None
        dis = rng.randrange(0, min(hires, 3) + 1) if hires is not None and rng.random() < 0.6 else None
        export = Decimal(hc * rng.randrange(60, 250) * 100) + Decimal(rng.choice([0, 0, 0, 50, 25]))
        total = export + Decimal(rng.randrange(0, 5000) * 1000) if rng.random() < 0.8 else None
        inv = Decimal(rng.randrange(0, 900) * 1000) if rng.random() < 0.6 else None
        rows.append(Row(operator_id=ice, operator_name=name, sector=sector, region=region, year=y, q=q, headcount=hc,
                        hires=hires, hires_youth=youth, hires_disabled=dis, export_revenue_mad=export,
                        total_revenue_mad=total, investment_mad=inv))
    return rows


# ---- cells -------------------------------------------------------------------
# A cell value is: str, int, float, Decimal, dt.date, ("f", formula, cached) or
# ("pct", value) for a percent-formatted number.

def text_number(d, style, rng):
    """Writes an exact decimal as a person types it."""
    d = Decimal(d)
    neg = d < 0
    s = format(abs(d), "f")
    ip, _, fp = s.partition(".")
    fp = fp.rstrip("0")
    groups = []
    while len(ip) > 3:
        groups.insert(0, ip[-3:])
        ip = ip[:-3]
    groups.insert(0, ip)
    if style == "fr":
        sep = rng.choice([" ", NBSP, NNBSP])
        out = sep.join(groups) + ("," + fp if fp else "")
    elif style == "en":
        out = ",".join(groups) + ("." + fp if fp else "")
    elif style == "de":
        out = ".".join(groups) + ("," + fp if fp else "")
    else:
        out = "".join(groups) + ("." + fp if fp else "")
    return ("-" if neg else "") + out


class Sheet:
    def __init__(self, name, hidden=False):
        self.name, self.hidden = name, hidden
        self.cells = {}  # (row, col) 1-based -> value
        self.merges = []
        self.widths = {}

    def set(self, r, c, v):
        self.cells[(r, c)] = v

    def ref(self, r, c):
        return f"{get_column_letter(c)}{r}"


class Case:
    def __init__(self, name, writer, sheets, rows=None, errors=None, date1904=False, expect=None):
        self.name, self.writer, self.sheets = name, writer, sheets
        self.rows = rows or []  # list of (sheet, row number, Row)
        self.errors = errors or []  # list of (code, "Sheet!A1")
        self.date1904 = date1904
        self.expect = expect  # for files offshore must refuse: the code of the file-level error

    def want(self):
        lines = [f"row {s}!{r} {row.dump()}" for s, r, row in self.rows]
        lines += [f"error {code} {where}" for code, where in self.errors]
        if self.expect:
            lines.append(f"error {self.expect} -")
        return "\n".join(sorted(lines)) + "\n"


def table(sh, top, cols, rows, rng, headers=FR_HEADERS, present=None, factor=1, sheetname=None, row_gap=None,
          amount_style="num", count_style="num", ice_style="text", period_style=0, word_styles=True, header_rows=None, pct=False):
    """Writes a table: header at row top, data below. Returns [(sheet, rownum, Row)]."""
    present = present or {}
    for i, c in enumerate(cols, 1):
        if header_rows and c in header_rows:
            continue
        sh.set(top, i, headers[c] if isinstance(headers, dict) else headers(c))
    out = []
    r = top + 1
    for k, row in enumerate(rows):
        if row_gap and k in row_gap:
            r += row_gap[k]
        for i, c in enumerate(cols, 1):
            v = cell_value(row, c, rng, factor, amount_style, count_style, ice_style, period_style, word_styles, k, pct)
            if v is not None:
                sh.set(r, i, v)
        out.append((sheetname or sh.name, r, row))
        r += 1
    return out, r


def cell_value(row, c, rng, factor, amount_style, count_style, ice_style, period_style, word_styles, k, pct):
    if c == "operator_id":
        st = ice_style if ice_style != "mixed" else ["text", "number", "spaced", "dashed"][k % 4]
        if st == "number":
            return int(row.operator_id)
        if st == "spaced":
            s = row.operator_id
            return " ".join([s[0:3], s[3:6], s[6:9], s[9:12], s[12:15]])
        if st == "dashed":
            s = row.operator_id
            return f"{s[0:3]}-{s[3:9]}-{s[9:15]}"
        return row.operator_id
    if c == "operator_name":
        return row.operator_name
    if c == "sector":
        return rng.choice(SECTOR_WORDS[row.sector]) if word_styles else row.sector
    if c == "region":
        return rng.choice(REGION_WORDS[row.region]) if word_styles else row.region
    if c == "period":
        if period_style == "date":
            return quarter_end(row.year, row.q) - dt.timedelta(days=rng.randrange(0, 80))
        if period_style == "textdate":
            d = quarter_end(row.year, row.q)
            return rng.choice([d.strftime("%d/%m/%Y"), d.isoformat(), d.strftime("%d.%m.%Y")])
        if period_style == "mixed":
            sp = period_spellings(row.year, row.q)
            return sp[k % len(sp)]
        return period_spellings(row.year, row.q)[period_style]
    v = getattr(row, c)
    if v is None:
        return None
    if c in AMOUNTS:
        d = Decimal(v) / Decimal(factor)
        st = amount_style if amount_style != "mixed" else ["num", "fr", "en", "de", "plain"][k % 5]
        if st == "num":
            return float(d) if d != int(d) else int(d)
        return text_number(d, st, rng)
    if c in ("hires_youth", "hires_disabled") and pct and row.hires:
        return ("pct", v / row.hires)
    st = count_style if count_style != "mixed" else ["num", "fr", "plain"][k % 3]
    if st == "num":
        return int(v)
    return text_number(Decimal(v), st, rng)


# ---- writers -----------------------------------------------------------------

def write_openpyxl(case, path):
    wb = openpyxl.Workbook()
    if case.date1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.remove(wb.active)
    for sh in case.sheets:
        ws = wb.create_sheet(sh.name)
        if sh.hidden:
            ws.sheet_state = "hidden"
        for (r, c), v in sh.cells.items():
            cell = ws.cell(row=r, column=c)
            if isinstance(v, tuple) and v[0] == "f":
                cell.value = "=" + v[1]
            elif isinstance(v, tuple) and v[0] == "pct":
                cell.value = v[1]
                cell.number_format = "0.0%"
            elif isinstance(v, Decimal):
                cell.value = float(v)
            elif isinstance(v, dt.date):
                cell.value = v
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(v, str) and "\n" in v:
                cell.value = v
                cell.alignment = openpyxl.styles.Alignment(wrap_text=True)
            else:
                cell.value = v
        for m in sh.merges:
            ws.merge_cells(m)
    wb.save(path)


def exceljs_spec(case):
    sheets = []
    for sh in case.sheets:
        cells = []
        for (r, c), v in sorted(sh.cells.items()):
            if isinstance(v, tuple) and v[0] == "f":
                cells.append({"r": r, "c": c, "t": "f", "f": v[1], "v": None if v[2] is None else float(v[2])})
            elif isinstance(v, tuple) and v[0] == "pct":
                cells.append({"r": r, "c": c, "t": "n", "v": v[1], "fmt": "0.0%"})
            elif isinstance(v, dt.date):
                cells.append({"r": r, "c": c, "t": "d", "v": v.isoformat()})
            elif isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
                cells.append({"r": r, "c": c, "t": "n", "v": float(v)})
            else:
                cells.append({"r": r, "c": c, "t": "s", "v": v})
        sheets.append({"name": sh.name, "hidden": sh.hidden, "merges": sh.merges, "cells": cells})
    return {"date1904": case.date1904, "sheets": sheets}


def write_all(cases):
    os.makedirs(OUT, exist_ok=True)
    tmp = tempfile.mkdtemp()
    lo_in = os.path.join(tmp, "lo")
    os.makedirs(lo_in)
    js = []
    for case in cases:
        path = os.path.join(OUT, case.name + ".xlsx")
        if case.writer == "openpyxl":
            write_openpyxl(case, path)
        elif case.writer == "libreoffice":
            write_openpyxl(case, os.path.join(lo_in, case.name + ".xlsx"))
        elif case.writer == "exceljs":
            js.append({"out": path, **exceljs_spec(case)})
        with open(os.path.join(OUT, case.name + ".want.txt"), "w") as f:
            f.write(case.want())
    if os.listdir(lo_in):
        lo_out = os.path.join(tmp, "out")
        subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", lo_out]
                       + sorted(os.path.join(lo_in, n) for n in os.listdir(lo_in)), check=True, stdout=subprocess.DEVNULL)
        for n in os.listdir(lo_out):
            shutil.copy(os.path.join(lo_out, n), os.path.join(OUT, n))
    if js:
        spec = os.path.join(tmp, "spec.json")
        with open(spec, "w") as f:
            json.dump(js, f, ensure_ascii=False)
        subprocess.run(["node", os.path.join(GEN, "write_exceljs.js"), spec], check=True)
    shutil.rmtree(tmp)


# ---- cases -------------------------------------------------------------------

def cases_for(writer, seed):
    rng = random.Random(seed)
    p = {"openpyxl": "py", "libreoffice": "lo", "exceljs": "js"}[writer]
    cs = []

    def case(name, sheets, rows=None, errors=None, **kw):
        cs.append(Case(f"{p}-{name}", writer, sheets, rows, errors, **kw))

    # 1. the template as is
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 6), rng, word_styles=False)
    case("template", [sh], rows)

    # 2. a title block with merged cells, a declaration date, a unit cell above the table (thousands)
    sh = Sheet("Retour T1")
    sh.set(1, 1, "Ministère de l'Industrie — Déclaration trimestrielle des opérateurs de l'offshoring")
    sh.merges.append("A1:L1")
    sh.set(2, 1, "Date de déclaration :")
    sh.set(2, 2, dt.date(2024, 4, 15))
    sh.set(3, 1, "Montants en milliers de dirhams")
    sh.merges.append("A3:D3")
    hdr = {c: FR_HEADERS[c].replace(" (MAD)", "") for c in COLS}
    rows, _ = table(sh, 6, COLS, make_rows(rng, 5), rng, headers=hdr, factor=1000)
    case("title-block-kmad", [sh], rows)

    # 3. English headers with units in millions, periods "Q1 2016"
    sh = Sheet("Returns")
    en = dict(EN_HEADERS, export_revenue_mad="Export revenue, MAD millions", total_revenue_mad="Total revenue\n(MAD millions)",
              investment_mad="Capex (in MAD millions)")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 5), rng, headers=en, factor=10**6, period_style=4)
    case("english-millions", [sh], rows)

    # 4. a two-row header: group cells merged over their sub-columns, KMAD in the group
    sh = Sheet("Données")
    sh.set(3, 1, "Relevé des effectifs et du chiffre d'affaires")
    top = 5
    lower = {"hires": "Total", "hires_youth": "dont jeunes", "hires_disabled": "dont handicap", "export_revenue_mad": "Export", "total_revenue_mad": "Total"}
    for i, c in enumerate(COLS, 1):
        if c in lower:
            sh.set(top + 1, i, lower[c])
        else:
            sh.set(top, i, FR_HEADERS[c].replace(" (MAD)", " (en KMAD)") if c == "investment_mad" else FR_HEADERS[c])
            sh.merges.append(f"{get_column_letter(i)}{top}:{get_column_letter(i)}{top + 1}")
    sh.set(top, 7, "Recrutements")
    sh.merges.append(f"G{top}:I{top}")
    sh.set(top, 10, "Chiffre d'affaires (en KMAD)")
    sh.merges.append(f"J{top}:K{top}")
    rows, _ = table(sh, top + 1, COLS, make_rows(rng, 6), rng, headers=lambda c: None, header_rows=set(COLS), factor=1000)
    case("two-row-header", [sh], rows)

    # 5. columns shuffled, extra columns, header wordings with line breaks and odd case
    cols = ["period", "operator_name", "operator_id", "region", "sector", "export_revenue_mad", "headcount", "hires", "total_revenue_mad"]
    sh = Sheet("Feuil1")
    words = {"period": "TRIMESTRE", "operator_name": "Nom de la\nsociété", "operator_id": "N° ICE", "region": "Ville",
             "sector": "Secteur d'activité", "export_revenue_mad": "Chiffre d'affaires à l'export\n(MAD)",
             "headcount": "Effectif\nfin de trimestre", "hires": "Nombre de recrutements", "total_revenue_mad": "CA TOTAL (DH)"}
    rs = make_rows(rng, 7)
    for r in rs:
        r.hires_youth = r.hires_disabled = r.investment_mad = None
    rows, _ = table(sh, 2, cols, rs, rng, headers=words, period_style="mixed")
    sh.set(2, 10, "Commentaire")
    sh.set(3, 10, "RAS")
    sh.set(2, 11, "Responsable")
    case("shuffled-extra", [sh], rows)

    # 6. several sheets: a notice, the data, a hidden list
    notice = Sheet("Notice")
    notice.set(1, 1, "Remplir l'onglet Déclaration. Une ligne par trimestre.")
    notice.set(3, 1, "ICE : 15 chiffres")
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 4), rng)
    lists = Sheet("Listes", hidden=True)
    for i, s in enumerate(SECTOR_WORDS, 1):
        lists.set(i, 1, s)
    case("multi-sheet", [notice, sh, lists], rows)

    # 7. the only table in a hidden sheet
    front = Sheet("Synthèse")
    front.set(1, 1, "Synthèse")
    front.set(2, 1, "Effectif total")
    front.set(2, 2, 1234)
    sh = Sheet("Base", hidden=True)
    rows, _ = table(sh, 1, COLS, make_rows(rng, 3), rng)
    case("hidden-only", [front, sh], rows)

    # 8. blank rows inside, a totals row with SUM formulas, a note under it
    sh = Sheet("Déclaration")
    rs = make_rows(rng, 6)
    rows, end = table(sh, 1, COLS, rs, rng, row_gap={2: 1, 4: 2})
    sh.set(end, 1, "TOTAL")
    for i, c in enumerate(COLS, 1):
        if c in COUNTS + AMOUNTS:
            L = get_column_letter(i)
            tot = sum((getattr(r, c) or 0) for r in rs)
            sh.set(end, i, ("f", f"SUM({L}2:{L}{end - 1})", tot))
    sh.set(end + 2, 1, "Source : direction des ressources humaines, chiffres non audités")
    case("blank-rows-totals", [sh], rows)

    # 9-11. numbers as text: French, English, German-style separators
    for style in ("fr", "en", "de"):
        sh = Sheet("Déclaration")
        rows, _ = table(sh, 1, COLS, make_rows(rng, 6), rng, amount_style=style, count_style="fr" if style == "fr" else "num")
        case(f"text-numbers-{style}", [sh], rows)

    # 12. every period spelling
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 15, ops=15), rng, period_style="mixed")
    case("period-spellings", [sh], rows)

    # 13. periods as dates (Excel dates) and text dates
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 5), rng, period_style="date")
    sh2 = Sheet("Déclaration")
    case("period-dates", [sh], rows)
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 5), rng, period_style="textdate")
    case("period-textdates", [sh], rows)

    # 14. the 1904 date system
    sh = Sheet("Déclaration")
    sh.set(1, 1, "Date d'envoi")
    sh.set(1, 2, dt.date(2024, 5, 2))
    rows, _ = table(sh, 3, COLS, make_rows(rng, 5), rng, period_style="date")
    case("date1904", [sh], rows, date1904=True)

    # 15. ICEs as numbers (zeros lost), spaced, dashed
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 8, ops=8), rng, ice_style="mixed")
    case("ice-forms", [sh], rows)

    # 16. formulas: total = export + local (a formula), headcount = two sites
    sh = Sheet("Déclaration")
    cols = COLS + ["local"]
    rs = make_rows(rng, 5)
    for r in rs:
        r.investment_mad = None
    hdrs = dict(FR_HEADERS, local="CA local")
    top = 1
    for i, c in enumerate(cols, 1):
        sh.set(top, i, hdrs[c])
    data = []
    for k, row in enumerate(rs):
        rn = top + 1 + k
        for i, c in enumerate(cols, 1):
            if c == "local":
                sh.set(rn, i, int((row.total_revenue_mad or row.export_revenue_mad) - row.export_revenue_mad))
            elif c == "total_revenue_mad":
                if row.total_revenue_mad is None:
                    row.total_revenue_mad = row.export_revenue_mad
                sh.set(rn, i, ("f", f"J{rn}+M{rn}", row.total_revenue_mad))
            elif c == "headcount":
                a = row.headcount // 3
                sh.set(rn, i, ("f", f"{a}+{row.headcount - a}", row.headcount))
            else:
                v = cell_value(row, c, rng, 1, "num", "num", "text", 0, True, k, False)
                if v is not None:
                    sh.set(rn, i, v)
        data.append((sh.name, rn, row))
    case("formulas", [sh], data)

    # 17. percentages: the youth and disabled hires as shares of the hires
    sh = Sheet("Déclaration")
    rs = make_rows(rng, 6)
    for r in rs:
        if r.hires is None or r.hires == 0:
            r.hires = 10
        r.hires_youth = round(r.hires * rng.choice([0.5, 0.6, 0.25, 0.8]))
        r.hires_disabled = None
    hdr = dict(FR_HEADERS, hires_youth="dont jeunes (%)")
    cols = [c for c in COLS if c != "hires_disabled"]
    # write exact shares so rounding gives back the count
    rows, _ = table(sh, 1, cols, rs, rng, headers=hdr, pct=True)
    case("percent", [sh], rows)

    # 18. header at row 25 after notes; a large federation file
    sh = Sheet("Fédération")
    for i in range(1, 24):
        sh.set(i, 1, f"Note {i} : les données sont déclaratives.")
    rows, _ = table(sh, 25, COLS, make_rows(rng, 400 if writer != "libreoffice" else 200, ops=150), rng, amount_style="mixed", count_style="mixed", ice_style="mixed", period_style="mixed")
    case("federation", [sh], rows)

    # 18b. what clerks type: hints in headers, "-" for nothing, "MAD" before
    # amounts, two-digit years, singular or phrased sectors and regions, a share in %
    sh = Sheet("Saisie")
    hdr = dict(FR_HEADERS, operator_id="ICE (15 chiffres)", period="Période (AAAA-TN)", hires_youth="dont jeunes",
               export_revenue_mad="CA export [MAD]", hires="Recrutement")
    rs = make_rows(rng, 6)
    sector_phr = {"CRM": "Centre d'appel", "BPO": "Processus métier", "ITO": "Service informatique", "ESO": "Ingénierie", "KPO": "Analyse des données"}
    region_phr = {r: f"Région de {r}" for r in REGION_WORDS}
    top = 1
    for i, c in enumerate(COLS, 1):
        sh.set(top, i, hdr[c])
    data = []
    for k, row in enumerate(rs):
        rn = top + 1 + k
        if row.hires is None or row.hires < 2:
            row.hires = 10
        row.hires -= row.hires % 2
        row.hires_youth = row.hires // 2
        vals = {
            "operator_id": row.operator_id, "operator_name": row.operator_name, "sector": sector_phr[row.sector],
            "region": region_phr[row.region], "period": f"T{row.q}-{row.year % 100:02d}", "headcount": row.headcount,
            "hires": row.hires, "hires_youth": "50 %", "hires_disabled": "-" if row.hires_disabled is None else row.hires_disabled,
            "export_revenue_mad": "MAD " + text_number(row.export_revenue_mad, "fr", rng),
            "total_revenue_mad": "n/a" if row.total_revenue_mad is None else row.total_revenue_mad,
            "investment_mad": "néant" if row.investment_mad is None else text_number(row.investment_mad, "fr", rng) + " DH",
        }
        for i, c in enumerate(COLS, 1):
            v = vals[c]
            sh.set(rn, i, float(v) if isinstance(v, Decimal) else v)
        data.append((sh.name, rn, row))
    case("clerk-variants", [sh], data)

    # ---- files with errors ----
    # 19. a bad value in many cells
    sh = Sheet("Déclaration")
    rs = make_rows(rng, 4)
    rows, _ = table(sh, 1, COLS, rs, rng, word_styles=False)
    errs = []
    bad = {"A2": ("12AB", "bad_ice"), "C3": ("Boulangerie", "bad_sector"), "D4": ("Paris", "bad_region"), "E5": ("2016Q7", "bad_period"),
           "F2": (-3, "bad_count"), "J3": ("beaucoup", "bad_amount")}
    for ref, (v, code) in bad.items():
        c = openpyxl.utils.cell.column_index_from_string(ref[0])
        sh.set(int(ref[1:]), c, v)
        errs.append((code, f"Déclaration!{ref}"))
    # youth above hires, total below export on a fresh row
    r6 = make_rows(rng, 1)[0]
    r6.hires, r6.hires_youth, r6.total_revenue_mad = 5, 9, Decimal(10)
    table(sh, 5, COLS, [r6], rng, headers=lambda c: None, header_rows=set(COLS), word_styles=False)
    errs += [("exceeds_hires", "Déclaration!H6"), ("total_below_export", "Déclaration!K6")]
    case("bad-cells", [sh], [], errs)

    # 20. periods before 2010 and after the run's date (the test runs on 2025-06-30), a duplicate
    sh = Sheet("Déclaration")
    rs = make_rows(rng, 3, ops=3)
    rs[0].year, rs[0].q = 2009, 4
    rs[1].year, rs[1].q = 2025, 4
    rows, _ = table(sh, 1, COLS, rs + [rs[2]], rng, word_styles=False)
    case("period-range-duplicate", [sh], [], [("period_too_early", "Déclaration!E2"), ("period_in_future", "Déclaration!E3"), ("duplicate", "Déclaration!A5")])

    # 21. spreadsheet error values
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 3), rng)
    sh.set(2, 10, ("f", "1/0", None))
    sh.set(3, 6, ("f", "#REF!+1", None))
    case("error-values", [sh], [], [("formula_error", "Déclaration!J2"), ("formula_error", "Déclaration!F3")])

    # 22. required cells left blank
    sh = Sheet("Déclaration")
    rows, _ = table(sh, 1, COLS, make_rows(rng, 3), rng)
    del sh.cells[(2, 2)]
    del sh.cells[(4, 6)]
    case("missing-required", [sh], [], [("required", "Déclaration!B2"), ("required", "Déclaration!F4")])

    # 23. no header at all
    sh = Sheet("Feuil1")
    sh.set(1, 1, "Bonjour, veuillez trouver nos chiffres : 120 salariés.")
    case("no-header", [sh], [], [], expect="no_header")
    return cs


def fix_error_cells(cases):
    """Error formulas: LibreOffice and exceljs need a cached error to be meaningful; openpyxl keeps none."""
    for c in cases:
        for sh in c.sheets:
            for k, v in list(sh.cells.items()):
                if isinstance(v, tuple) and v[0] == "f" and "#REF!" in v[1] and c.writer == "exceljs":
                    sh.cells[k] = ("f", "#REF!+1", None)


def hostile(good):
    """Files offshore must refuse with one clear line, made from a good workbook."""
    H = os.path.join(ROOT, "hostile")
    os.makedirs(H, exist_ok=True)
    with open(good, "rb") as f:
        data = f.read()
    out = {}

    def put(name, b, code):
        with open(os.path.join(H, name), "wb") as f:
            f.write(b)
        out[name] = code

    put("empty.xlsx", b"", "empty_file")
    put("truncated-zip.xlsx", data[: len(data) // 2], "damaged_zip")
    put("garbage.xlsx", bytes(range(256)) * 8, "not_xlsx")
    put("csv-renamed.xlsx", "ICE;Raison sociale;Filière\n001234567000089;Atlas;CRM\n".encode("latin-1"), "not_xlsx")
    put("html-renamed.xlsx", b"<html><body><table><tr><td>ICE</td></tr></table></body></html>", "not_xlsx")
    # a CFB container holding an EncryptedPackage stream, as Excel writes a password-protected workbook
    cfb = bytearray(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + b"\x00" * 504)
    cfb += "EncryptionInfo".encode("utf-16-le").ljust(128, b"\x00") + "EncryptedPackage".encode("utf-16-le").ljust(128, b"\x00")
    put("password-protected.xlsx", bytes(cfb), "password_protected")
    # zip bomb: 700 MB of spaces in a sheet (the header says so)
    bomb = os.path.join(H, "zip-bomb.xlsx")
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for it in zin.infolist():
            b = zin.read(it.filename)
            if it.filename == "xl/worksheets/sheet1.xml":
                with zout.open(it.filename, "w", force_zip64=True) as w:
                    w.write(b[:-len("</worksheet>")])
                    chunk = b" " * (1 << 20)
                    for _ in range(700):
                        w.write(chunk)
                    w.write(b"</worksheet>")
            else:
                zout.writestr(it, b)
    out["zip-bomb.xlsx"] = "zip_bomb"
    # huge shared strings: one part over max_xml_mb
    def rewrite(name, edit, code):
        dst = os.path.join(H, name)
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
            for it in zin.infolist():
                b = zin.read(it.filename)
                b2 = edit(it.filename, b)
                if b2 is not None and not isinstance(b2, bytes):
                    with zout.open(it.filename, "w", force_zip64=True) as w:
                        for part in b2:
                            w.write(part)
                else:
                    zout.writestr(it.filename, b if b2 is None else b2)
        out[name] = code

    def big_sst(n, b):
        if n != "xl/sharedStrings.xml":
            return None
        head, _, tail = b.decode().partition("</sst>")
        def gen():
            yield head.encode()
            item = ("<si><t>" + "x" * 100 + "</t></si>").encode()
            for _ in range(1100):
                yield item * 1000
            yield b"</sst>"
        return gen()
    rewrite("huge-shared-strings.xlsx", big_sst, "part_too_large")

    def million_rows(n, b):
        if n != "xl/worksheets/sheet1.xml":
            return None
        s = b.decode()
        i = s.index("</sheetData>")
        head, tail = s[:i], s[i:]
        def gen():
            yield head.encode()
            for r0 in range(100, 1_000_100, 10000):
                yield "".join(f'<row r="{r}" s="0" customFormat="1" ht="15" customHeight="1"/>' for r in range(r0, r0 + 10000)).encode()
            yield tail.encode()
        return gen()
    rewrite("million-empty-rows.xlsx", million_rows, "")

    def entities(n, b):
        if n != "xl/worksheets/sheet1.xml":
            return None
        s = b.decode()
        dtd = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">' \
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        i = s.find("?>") + 2 if "?>" in s else 0
        return (s[:i] + dtd + s[i:]).replace("<t>", "<t>&lol3;", 1).encode()
    rewrite("xml-entities.xlsx", entities, "xml_entities")

    def external(n, b):
        if n != "xl/sharedStrings.xml":
            return None
        s = b.decode()
        i = s.find("?>") + 2 if "?>" in s else 0
        return (s[:i] + '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + s[i:]).replace("<t>", "<t>&xxe;", 1).encode()
    rewrite("xml-external-entity.xlsx", external, "xml_entities")

    def cut(n, b):
        if n != "xl/worksheets/sheet1.xml":
            return None
        return b[: int(len(b) * 0.6)]
    rewrite("sheet-xml-cut.xlsx", cut, "sheet_truncated")
    return out


def main():
    cases = []
    for i, w in enumerate(["openpyxl", "libreoffice", "exceljs"]):
        cases += cases_for(w, 1000 + i)
    fix_error_cells(cases)
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    write_all(cases)
    codes = hostile(os.path.join(OUT, "lo-template.xlsx"))
    H = os.path.join(ROOT, "hostile")
    # other formats, written by LibreOffice from a good workbook and renamed .xlsx
    tmp = tempfile.mkdtemp()
    for fmt_, name, code in [("xls", "xls-renamed.xlsx", "not_xlsx"), ("ods", "ods-renamed.xlsx", "not_xlsx"), ("pdf", "pdf-renamed.xlsx", "not_xlsx"),
                             ("csv", "csv-lo-renamed.xlsx", "not_xlsx")]:
        subprocess.run(["soffice", "--headless", "--convert-to", fmt_, "--outdir", tmp, os.path.join(OUT, "py-template.xlsx")], check=True, stdout=subprocess.DEVNULL)
        shutil.move(os.path.join(tmp, "py-template." + fmt_), os.path.join(H, name))
        codes[name] = code
    shutil.rmtree(tmp)
    with open(os.path.join(H, "want.txt"), "w") as f:
        for n in sorted(codes):
            f.write(f"{n} {codes[n] or 'ok'}\n")
    print(f"{len(cases)} workbooks in {OUT}, {len(codes)} hostile files in {H}")


if __name__ == "__main__":
    main()
