#!/usr/bin/python3
# -*- coding: utf-8 -*-
"""Hand-made hostile .xlsx files (Python zipfile, no spreadsheet library) -> /work/corpus-out/unseen/hostile/

Each file gets a one-line .txt (what it is, what a careful reader should do) and a .json expectation in the
same schema as the corpus. make_big_rows.py (kept in hostile/) writes a 1,048,576-row sheet on demand.
"""
import json
import os
import shutil
import zipfile
from xml.sax.saxutils import escape

from openpyxl.writer.theme import theme_xml

OUT = "/work/corpus-out/unseen/hostile"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
HEAD = ["ICE", "Raison sociale", "Secteur", "Région", "Trimestre", "Effectif au 31/03/2019", "CA export (MAD)",
        "CA total (MAD)"]
ROWS = [
    ["001525781000045", "Atlas Contact Center SARL", "CRM", "Casablanca-Settat", "2019Q1", 320, 14400000, 15120000],
    ["002240917000083", "Total Call Center Maroc SARL", "CRM", "Rabat", "T1 2019", 85, 3612500.5, 3612500.5],
    ["000874512000031", "Menara Data Analytics SA", "KPO", "Fès-Meknès", "2019Q1", 42, 2940000, None],
]


def expected(sheet, first_row, rows=ROWS, skip=()):
    reg = {"Rabat": "Rabat-Salé-Kénitra"}
    out = []
    for i, r in enumerate(rows):
        if i in skip:
            continue
        out.append({"sheet": sheet, "row": first_row + i, "operator_id": r[0], "operator_name": r[1], "sector": r[2],
                    "region": reg.get(r[3], r[3]), "period": "2019Q1", "headcount": r[5], "hires": None,
                    "hires_youth": None, "hires_disabled": None, "export_revenue_mad": r[6],
                    "total_revenue_mad": r[7], "investment_mad": None})
    return out


def col(c):
    s = ""
    while c:
        c, m = divmod(c - 1, 26)
        s = chr(65 + m) + s
    return s


class Strings:
    def __init__(self, mode):
        self.mode = mode  # "shared" or "inline"
        self.items, self.index = [], {}

    def cell(self, ref, v):
        if isinstance(v, (int, float)):
            return '<c r="%s"><v>%r</v></c>' % (ref, v) if isinstance(v, float) else '<c r="%s"><v>%d</v></c>' % (ref, v)
        if self.mode == "inline":
            return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, escape(v))
        if v not in self.index:
            self.index[v] = len(self.items)
            self.items.append(v)
        return '<c r="%s" t="s"><v>%d</v></c>' % (ref, self.index[v])

    def xml(self):
        si = "".join('<si><t xml:space="preserve">%s</t></si>' % escape(s) for s in self.items)
        return '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst %s count="%d" uniqueCount="%d">%s</sst>' % (
            NS.split(" ")[0], len(self.items), len(self.items), si)


def table_rows(strings, first=1, rows=ROWS, extra=None):
    out = []
    allrows = [HEAD] + rows
    for i, r in enumerate(allrows):
        rn = first + i
        cells = "".join(strings.cell("%s%d" % (col(j + 1), rn), v) for j, v in enumerate(r) if v is not None)
        if extra and rn in extra:
            cells += extra[rn]
        out.append('<row r="%d">%s</row>' % (rn, cells))
    return out


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet %s><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
          '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
          '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>') % NS.split(" ")[0]


def sheet_xml_parts(rows_xml, dimension=None):
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet %s>' % NS
    if dimension:
        head += '<dimension ref="%s"/>' % dimension
    head += "<sheetData>"
    return head, rows_xml, "</sheetData></worksheet>"


def write_xlsx(path, sheet_writer, strings, styles=True, theme=True, docprops=True, sheet_name="Déclaration"):
    """sheet_writer(fileobj) writes xl/worksheets/sheet1.xml (bytes) in a streaming way"""
    shared = strings.mode == "shared"
    ct = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">',
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
          '<Default Extension="xml" ContentType="application/xml"/>',
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>',
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>']
    wrels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>']
    if styles:
        ct.append('<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>')
        wrels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>')
    if shared:
        ct.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
        wrels.append('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>')
    if theme:
        ct.append('<Override PartName="/xl/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>')
        wrels.append('<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/>')
    rels = ['<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>']
    if docprops:
        ct.append('<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>')
        ct.append('<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>')
        rels.append('<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>')
        rels.append('<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>')
    ct.append("</Types>")
    R = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">%s</Relationships>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", "".join(ct))
        z.writestr("_rels/.rels", R % "".join(rels))
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook %s><sheets><sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>' % (NS, escape(sheet_name)))
        z.writestr("xl/_rels/workbook.xml.rels", R % "".join(wrels))
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            sheet_writer(f)
        if styles:
            z.writestr("xl/styles.xml", STYLES)
        if shared:
            z.writestr("xl/sharedStrings.xml", strings.xml())
        if theme:
            z.writestr("xl/theme/theme1.xml", theme_xml)
        if docprops:
            z.writestr("docProps/core.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>hostile.py</dc:creator></cp:coreProperties>')
            z.writestr("docProps/app.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>hostile.py</Application></Properties>')


def simple_writer(rows_xml, dimension=None, filler=None):
    def w(f):
        h, rows, t = sheet_xml_parts(rows_xml, dimension)
        f.write(h.encode())
        for r in rows:
            f.write(r.encode())
        if filler:
            filler(f)
        f.write(t.encode())
    return w


def save(name, what, exp, valid=True, faults=(), notes=""):
    with open("%s/%s.txt" % (OUT, name), "w") as f:
        f.write(what.strip() + "\n")
    json.dump({"valid": valid, "writer": "hand (python zipfile)", "notes": notes or what.strip(), "returns": exp,
               "faults": list(faults)}, open("%s/%s.json" % (OUT, name), "w"), ensure_ascii=False, indent=1)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    # (a) no styles.xml
    s = Strings("shared")
    rows = table_rows(s)
    write_xlsx(OUT + "/a-no-styles.xlsx", simple_writer(rows), s, styles=False)
    save("a-no-styles", "A valid 3-return workbook with no xl/styles.xml (no s= attributes, shared strings): a careful reader treats every cell as General and reads the 3 returns.",
         expected("Déclaration", 2))
    # (b) no sharedStrings.xml
    s = Strings("inline")
    rows = table_rows(s)
    write_xlsx(OUT + "/b-no-sharedstrings.xlsx", simple_writer(rows), s)
    save("b-no-sharedstrings", "A valid 3-return workbook with no xl/sharedStrings.xml: every text is an inline string (t=\"inlineStr\"><is><t>); a careful reader reads the 3 returns.",
         expected("Déclaration", 2))
    # (c) no theme, no docProps
    s = Strings("shared")
    rows = table_rows(s)
    write_xlsx(OUT + "/c-no-theme-no-docprops.xlsx", simple_writer(rows), s, theme=False, docprops=False)
    save("c-no-theme-no-docprops", "A valid 3-return workbook without xl/theme/ and without docProps/ (core.xml, app.xml) and no relationships to them: a careful reader reads the 3 returns.",
         expected("Déclaration", 2))
    # (d) 1,000 rows each with one cell in column XFD, below a small valid table
    s = Strings("shared")
    rows = table_rows(s)
    for i in range(1000):
        rn = 10 + i
        rows.append('<row r="%d">%s</row>' % (rn, s.cell("XFD%d" % rn, i + 1 if i % 2 else "x")))
    write_xlsx(OUT + "/d-xfd-column-rows.xlsx", simple_writer(rows), s)
    save("d-xfd-column-rows", "A 3-return table in A1:H4, then rows 10-1009 each holding one cell in column XFD (16,384th column): a careful reader reads the 3 returns without building a dense rows x 16,384 grid, and does not take the stray XFD cells for returns (a warning about them is fine).",
         expected("Déclaration", 2))
    # (e) 190 MB of spaces inside <sheetData>
    s = Strings("shared")
    rows = table_rows(s)

    def spaces(f):
        chunk = b" " * (1 << 20)
        for _ in range(190):
            f.write(chunk)
    write_xlsx(OUT + "/e-190mb-spaces.xlsx", simple_writer(rows, filler=spaces), s)
    save("e-190mb-spaces", "A 3-return table whose sheet XML then holds 190 MB (199,229,440 bytes) of spaces inside <sheetData> (compressed to a few hundred KB): a careful reader streams the XML and reads the 3 returns, or refuses the file with a clear 'part too large' error, but never buffers 190 MB or hangs.",
         expected("Déclaration", 2), notes="valid XML; a reader with an uncompressed-size limit below 190 MB may reject it cleanly instead")
    # (f) operator name of 40 MB of 'A'
    s = Strings("inline")
    rows = table_rows(s)
    big_row = 5

    def bigname(f):
        r = ROWS[0]
        f.write(('<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c><c r="B%d" t="inlineStr"><is><t>' % (big_row, big_row, "003318790000052", big_row)).encode())
        chunk = b"A" * (1 << 20)
        for _ in range(40):
            f.write(chunk)
        f.write(('</t></is></c><c r="C%d" t="inlineStr"><is><t>BPO</t></is></c><c r="D%d" t="inlineStr"><is><t>Agadir</t></is></c>'
                 '<c r="E%d" t="inlineStr"><is><t>2019Q1</t></is></c><c r="F%d"><v>150</v></c><c r="G%d"><v>6750000</v></c></row>' % (big_row, big_row, big_row, big_row, big_row)).encode())
    write_xlsx(OUT + "/f-40mb-operator-name.xlsx", simple_writer(rows, filler=bigname), s)
    save("f-40mb-operator-name", "A 3-return table plus row 5 whose operator name (B5) is 40 MB (41,943,040 bytes) of the letter A: a careful reader caps cell text (rejects B5 as an absurd name, or refuses the file with a clear 'cell too large' error) without running out of memory; rows 2-4 are valid returns.",
         expected("Déclaration", 2), valid=False,
         faults=[{"sheet": "Déclaration", "cell": "B5", "what": "operator name of 41,943,040 characters"}])
    # (g) dimension A1:XFD1048576
    s = Strings("shared")
    rows = table_rows(s)
    write_xlsx(OUT + "/g-huge-dimension.xlsx", simple_writer(rows, dimension="A1:XFD1048576"), s)
    save("g-huge-dimension", "A valid 3-return table (A1:H4) in a sheet whose <dimension ref> claims A1:XFD1048576: a careful reader does not pre-allocate from the dimension (17 billion cells) and reads the 3 returns.",
         expected("Déclaration", 2))
    shutil.copy(os.path.join(os.path.dirname(os.path.abspath(__file__)), "make_big_rows.py"), OUT + "/make_big_rows.py")
    with open(OUT + "/make_big_rows.txt", "w") as f:
        f.write("make_big_rows.py PATH writes (streaming, standard library only) an .xlsx whose one sheet has 1,048,576 rows: a header and 1,048,575 distinct valid returns (2019Q1); a careful reader either streams it within bounded memory (1,048,575 returns) or refuses it with a clear 'too many rows' error, never crashes.\n")
    for n in sorted(os.listdir(OUT)):
        p = os.path.join(OUT, n)
        print("%10d %s" % (os.path.getsize(p), n))


if __name__ == "__main__":
    main()
