#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Writes an .xlsx whose single sheet has 1,048,576 rows (the Excel maximum): one header row and
1,048,575 distinct, valid quarterly returns (period 2019Q1, one ICE per row).

usage: python3 make_big_rows.py OUT.xlsx [--rows N]
Standard library only; streams the sheet XML, so memory stays small. Output is about 45 MB.
Expected of a careful reader: stream it in bounded memory and accept N-1 returns, or refuse it with a
clear 'too many rows' error; never crash or exhaust memory.
"""
import sys
import zipfile

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
R = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
     '%s</Relationships>')
SECTORS = ["CRM", "BPO", "ITO", "ESO", "KPO"]
REGIONS = ["Casablanca-Settat", "Rabat-Salé-Kénitra", "Fès-Meknès", "Tanger-Tétouan-Al Hoceïma", "L'Oriental",
           "Souss-Massa", "Marrakech-Safi"]
HEAD = ["ICE", "Raison sociale", "Secteur", "Région", "Trimestre", "Effectif", "CA export (MAD)"]


def istr(ref, s):
    s = s.replace("&", "&amp;").replace("<", "&lt;")
    return '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, s)


def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    path = args[0]
    nrows = 1048576
    if "--rows" in args:
        nrows = int(args[args.index("--rows") + 1])
    if not 2 <= nrows <= 1048576:
        sys.exit("--rows must be within 2..1048576")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", R % '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook %s><sheets><sheet name="Membres" sheetId="1" r:id="rId1"/></sheets></workbook>' % NS)
        z.writestr("xl/_rels/workbook.xml.rels", R % '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet %s><dimension ref="A1:G%d"/><sheetData>' % (NS, nrows)).encode())
            f.write(('<row r="1">%s</row>' % "".join(istr("%s1" % "ABCDEFG"[i], h) for i, h in enumerate(HEAD))).encode())
            buf = []
            for r in range(2, nrows + 1):
                n = r - 1
                ice = "%09d" % n + "0000" + "%02d" % (10 + n % 90)
                hc = 20 + (n * 37) % 4000
                exp = hc * (30000 + (n * 7919) % 60000)
                buf.append('<row r="%d">%s%s%s%s%s<c r="F%d"><v>%d</v></c><c r="G%d"><v>%d</v></c></row>' % (
                    r, istr("A%d" % r, ice), istr("B%d" % r, "Opérateur %07d SARL" % n),
                    istr("C%d" % r, SECTORS[n % 5]), istr("D%d" % r, REGIONS[n % 7]), istr("E%d" % r, "2019Q1"),
                    r, hc, r, exp))
                if len(buf) >= 5000:
                    f.write("".join(buf).encode())
                    buf = []
            f.write("".join(buf).encode())
            f.write(b"</sheetData></worksheet>")


if __name__ == "__main__":
    main()
