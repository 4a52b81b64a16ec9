// Writes workbook specs (JSON, made by build.py) with exceljs or SheetJS.
// usage: node write_js.js exceljs|sheetjs jobs.json
'use strict';
const fs = require('fs');
const ExcelJS = require('exceljs');
const XLSX = require('xlsx');

function colLetter(c) { let s = ''; while (c) { const r = (c - 1) % 26; s = String.fromCharCode(65 + r) + s; c = Math.floor((c - 1) / 26); } return s; }
function addr(r, c) { return colLetter(c) + r; }
function serial(iso) { const [y, m, d] = iso.split('-').map(Number); return (Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86400000; }

async function writeExceljs(spec, out) {
  const wb = new ExcelJS.Workbook();
  wb.creator = (spec.props && spec.props.creator) || 'exceljs';
  if (spec.props && spec.props.title) wb.title = spec.props.title;
  for (const sh of spec.sheets) {
    const opts = { state: sh.state };
    if (sh.views) {
      if (sh.freeze) {
        const m = /^([A-Z]+)(\d+)$/.exec(sh.freeze);
        opts.views = [{ state: 'frozen', xSplit: 0, ySplit: Number(m[2]) - 1 }];
      } else {
        opts.views = [{ showGridLines: true }];
      }
    }
    // sh.views === false: no views at all -> exceljs writes no <sheetViews>
    const ws = wb.addWorksheet(sh.name, opts);
    for (const [r, c, t, v, fmt] of sh.cells) {
      const cell = ws.getCell(r, c);
      if (t === 's') { cell.value = v; if (v.includes('\n')) cell.alignment = { wrapText: true }; if (fmt === '@') cell.numFmt = '@'; }
      else if (t === 'n') { cell.value = v; if (fmt && fmt !== 'General') cell.numFmt = fmt; }
      else if (t === 'd') { const [y, m, d] = v.split('-').map(Number); cell.value = new Date(Date.UTC(y, m - 1, d)); cell.numFmt = fmt || 'dd/mm/yyyy'; }
      else if (t === 'f') { cell.value = { formula: v[0], result: v[1] }; if (fmt && fmt !== 'General') cell.numFmt = fmt; }
      if (sh.bold.includes(r)) cell.font = { bold: true };
    }
    for (const m of sh.merges) ws.mergeCells(m);
    for (const [c, w] of Object.entries(sh.widths)) ws.getColumn(Number(c)).width = w;
  }
  await wb.xlsx.writeFile(out);
}

function writeSheetjs(spec, out) {
  const wb = XLSX.utils.book_new();
  const hidden = [];
  for (const sh of spec.sheets) {
    const ws = {};
    let maxR = 1, maxC = 1;
    for (const [r, c, t, v, fmt] of sh.cells) {
      maxR = Math.max(maxR, r); maxC = Math.max(maxC, c);
      const a = addr(r, c);
      if (t === 's') ws[a] = { t: 's', v: v };
      else if (t === 'n') ws[a] = fmt && fmt !== 'General' ? { t: 'n', v: v, z: fmt } : { t: 'n', v: v };
      else if (t === 'd') ws[a] = { t: 'n', v: serial(v), z: fmt || 'dd/mm/yyyy' };
      else if (t === 'f') ws[a] = { t: 'n', v: v[1], f: v[0], z: fmt && fmt !== 'General' ? fmt : undefined };
    }
    ws['!ref'] = 'A1:' + addr(maxR, maxC);
    if (sh.merges.length) ws['!merges'] = sh.merges.map((m) => XLSX.utils.decode_range(m));
    const cols = [];
    for (const [c, w] of Object.entries(sh.widths)) cols[Number(c) - 1] = { wch: w };
    if (cols.length) ws['!cols'] = cols;
    XLSX.utils.book_append_sheet(wb, ws, sh.name);
    hidden.push({ Hidden: sh.state === 'hidden' ? 1 : sh.state === 'veryHidden' ? 2 : 0 });
  }
  wb.Workbook = { Sheets: hidden };
  if (spec.props && spec.props.title) wb.Props = { Title: spec.props.title, Author: spec.props.creator };
  XLSX.writeFile(wb, out, { bookSST: !!spec.sst, compression: !!spec.compress });
}

(async () => {
  const [mode, jobsFile] = process.argv.slice(2);
  const jobs = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
  for (const job of jobs) {
    const spec = JSON.parse(fs.readFileSync(job.spec, 'utf8'));
    if (mode === 'exceljs') await writeExceljs(spec, job.out);
    else writeSheetjs(spec, job.out);
  }
  console.log(mode, jobs.length, 'written');
})().catch((e) => { console.error(e); process.exit(1); });
