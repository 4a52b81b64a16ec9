# -*- coding: utf-8 -*-
"""Python-side writers: openpyxl (.xlsx), hand-written Gnumeric XML (.gnumeric), CSV."""
import csv
import datetime
import gzip
from xml.sax.saxutils import escape

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter


def write_openpyxl(spec, path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    for sh in spec["sheets"]:
        ws = wb.create_sheet(sh["name"])
        ws.sheet_state = sh["state"]
        for r, c, t, v, fmt in sh["cells"]:
            cell = ws.cell(row=r, column=c)
            if t == "s":
                cell.value = v
                cell.data_type = "s"
                if fmt == "@":
                    cell.number_format = "@"
                if "\n" in v:
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
            elif t == "n":
                cell.value = v
                if fmt:
                    cell.number_format = fmt
            elif t == "d":
                cell.value = datetime.date.fromisoformat(v)
                cell.number_format = fmt or "dd/mm/yyyy"
            elif t == "f":
                cell.value = "=" + v[0]
                if fmt:
                    cell.number_format = fmt
            if r in sh["bold"]:
                cell.font = bold
        for m in sh["merges"]:
            ws.merge_cells(m)
        for c, w in sh["widths"].items():
            ws.column_dimensions[get_column_letter(int(c))].width = w
        if sh.get("freeze"):
            ws.freeze_panes = sh["freeze"]
    vis = [i for i, s in enumerate(spec["sheets"]) if s["state"] == "visible"]
    wb.active = vis[0]
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = (i == vis[0])
    if spec.get("props"):
        wb.properties.creator = spec["props"].get("creator")
        wb.properties.title = spec["props"].get("title")
    wb.save(path)


def _serial(iso):
    d = datetime.date.fromisoformat(iso)
    return (d - datetime.date(1899, 12, 30)).days


def write_gnumeric(spec, path):
    """Gnumeric's native XML, written by hand (gzip-compressed)."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<gnm:Workbook xmlns:gnm="http://www.gnumeric.org/v10.dtd">',
           '<gnm:Version Epoch="1" Major="12" Minor="55" Full="1.12.55"/>',
           '<gnm:SheetNameIndex>']
    for sh in spec["sheets"]:
        out.append("<gnm:SheetName>%s</gnm:SheetName>" % escape(sh["name"]))
    out.append("</gnm:SheetNameIndex><gnm:Sheets>")
    for sh in spec["sheets"]:
        vis = {"visible": "GNM_SHEET_VISIBILITY_VISIBLE", "hidden": "GNM_SHEET_VISIBILITY_HIDDEN",
               "veryHidden": "GNM_SHEET_VISIBILITY_VERY_HIDDEN"}[sh["state"]]
        maxr = max([c[0] for c in sh["cells"]] or [1])
        maxc = max([c[1] for c in sh["cells"]] or [1])
        out.append('<gnm:Sheet Visibility="%s">' % vis)
        out.append("<gnm:Name>%s</gnm:Name><gnm:MaxCol>%d</gnm:MaxCol><gnm:MaxRow>%d</gnm:MaxRow>" % (escape(sh["name"]), maxc - 1, maxr - 1))
        if sh["widths"]:
            out.append('<gnm:Cols DefaultSizePts="48">')
            for c, w in sorted(sh["widths"].items(), key=lambda x: int(x[0])):
                out.append('<gnm:ColInfo No="%d" Unit="%.1f"/>' % (int(c) - 1, w * 5.6))
            out.append("</gnm:Cols>")
        styles = []
        for r, c, t, v, fmt in sh["cells"]:
            f = fmt
            if t == "d":
                f = fmt or "dd/mm/yyyy"
            if t == "s" and fmt == "@":
                f = "@"
            b = r in sh["bold"]
            if (f and f != "General") or b:
                attrs = ' Format="%s"' % escape(f, {'"': "&quot;"}) if f and f != "General" else ""
                font = '<gnm:Font Unit="10" Bold="%d" Italic="0" Underline="0" StrikeThrough="0" Script="0">Sans</gnm:Font>' % (1 if b else 0)
                styles.append('<gnm:StyleRegion startCol="%d" startRow="%d" endCol="%d" endRow="%d"><gnm:Style%s>%s</gnm:Style></gnm:StyleRegion>'
                              % (c - 1, r - 1, c - 1, r - 1, attrs, font))
        if styles:
            out.append("<gnm:Styles>" + "".join(styles) + "</gnm:Styles>")
        out.append("<gnm:Cells>")
        for r, c, t, v, fmt in sh["cells"]:
            if t == "s":
                out.append('<gnm:Cell Row="%d" Col="%d" ValueType="60">%s</gnm:Cell>' % (r - 1, c - 1, escape(v)))
            elif t == "n":
                out.append('<gnm:Cell Row="%d" Col="%d" ValueType="40">%s</gnm:Cell>' % (r - 1, c - 1, repr(v) if isinstance(v, float) else v))
            elif t == "d":
                out.append('<gnm:Cell Row="%d" Col="%d" ValueType="40">%d</gnm:Cell>' % (r - 1, c - 1, _serial(v)))
            elif t == "f":
                out.append('<gnm:Cell Row="%d" Col="%d">=%s</gnm:Cell>' % (r - 1, c - 1, escape(v[0])))
        out.append("</gnm:Cells>")
        if sh["merges"]:
            out.append("<gnm:MergedRegions>" + "".join("<gnm:Merge>%s</gnm:Merge>" % m for m in sh["merges"]) + "</gnm:MergedRegions>")
        out.append("</gnm:Sheet>")
    out.append("</gnm:Sheets></gnm:Workbook>")
    with gzip.open(path, "wb") as f:
        f.write("\n".join(out).encode("utf-8"))


def write_csv(spec, path, delimiter=","):
    assert len(spec["sheets"]) == 1
    sh = spec["sheets"][0]
    maxr = max(c[0] for c in sh["cells"])
    maxc = max(c[1] for c in sh["cells"])
    grid = [[""] * maxc for _ in range(maxr)]
    for r, c, t, v, fmt in sh["cells"]:
        if t == "f":
            v = v[1]
        grid[r - 1][c - 1] = str(v)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=delimiter)
        for row in grid:
            w.writerow(row)
