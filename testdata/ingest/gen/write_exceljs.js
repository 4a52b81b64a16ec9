// write_exceljs.js SPEC.json: writes the exceljs part of the ingest corpus
// from the spec make_corpus.py prepared (one workbook per entry).
const fs = require("fs");
const ExcelJS = require("exceljs");

async function main() {
  const specs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  for (const s of specs) {
    const wb = new ExcelJS.Workbook();
    wb.creator = "offshore corpus";
    wb.created = new Date(Date.UTC(2024, 0, 1));
    wb.modified = wb.created;
    if (s.date1904) wb.properties.date1904 = true;
    for (const sh of s.sheets) {
      const ws = wb.addWorksheet(sh.name, { state: sh.hidden ? "hidden" : "visible" });
      for (const c of sh.cells) {
        const cell = ws.getCell(c.r, c.c);
        if (c.t === "f") {
          cell.value = c.v === null ? { formula: c.f } : { formula: c.f, result: c.v };
        } else if (c.t === "d") {
          const [y, m, d] = c.v.split("-").map(Number);
          cell.value = new Date(Date.UTC(y, m - 1, d));
          cell.numFmt = "dd/mm/yyyy";
        } else {
          cell.value = c.v;
          if (c.fmt) cell.numFmt = c.fmt;
          if (typeof c.v === "string" && c.v.includes("\n")) cell.alignment = { wrapText: true };
        }
      }
      for (const m of sh.merges) ws.mergeCells(m);
    }
    await wb.xlsx.writeFile(s.out);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
