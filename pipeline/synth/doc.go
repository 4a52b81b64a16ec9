// Package synth generates plausible, deterministic quarterly returns of
// invented offshoring operators, written as filled-in return templates, for
// the demo, for tests and for benchmarks.
//
// The default workload (120 operators, 2015Q1..2018Q4, seed 1) is calibrated
// on the 2016-2020 performance contracts' baseline: about 63,000 direct jobs
// at the end of 2015 and about 8 bn MAD of exports in 2015. Jobs grow about
// 12,000 a year (CRM slower, the other sectors faster) with each sector's
// jobs swinging a few per cent from quarter to quarter, exports 6–7 % a year
// with a Q4 peak and a Q3 trough, investment about 0.28 bn MAD a year in
// lumps, so that a linear projection to 2020 lands near the jobs and
// investment targets, above the CRM jobs target and well short of the
// exports target. The national totals do not depend on the number of
// operators: with fewer operators, each is bigger.
//
// Rules kept here:
//   - the same Options give the same files, byte for byte when written: all
//     randomness comes from one math/rand/v2 PCG seeded by Options.Seed,
//     never from the global source or the clock;
//   - every row obeys the return's rules: a 15-digit ICE, a sector code and
//     a region name from the mappings, headcount >= 0, hires >= the quarter's
//     net job creation, youth and disabled hires <= hires, total revenue >=
//     export revenue; optional figures are sometimes left blank (nil);
//   - one workbook holds one row, one operator × one quarter; a correction is
//     a second workbook for the same operator and quarter, received later,
//     with "corrige"/"rectif…"/"correction" in its name, and it carries the
//     true figures (the original's are slightly off);
//   - amounts are in MAD (not thousands), periods are calendar quarters,
//     times are UTC.
//
// The benchmark workloads of `offshore gen --scale` (see bench/README.md)
// are built here too: Options.Complete, a full panel of returns (the
// national workload, 1,500 operators × 24 quarters); WriteFederation, a
// federation's consolidated workbook written part by part as Excel saves it
// (shared strings, styles, serial dates), each of its rows passing ingest's
// checks; GenerateSeries and WriteSeries, quarterly series for `offshore
// forecast --input`. Each has its own random stream, deterministic by seed.
package synth
