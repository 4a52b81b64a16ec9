// Package template builds the blank return workbook that operators fill in
// and send back each quarter, in French (default) or English.
//
// The workbook has three sheets: the data sheet ("Déclaration" in French,
// "Return" in English), first and active; an "Instructions" sheet in the
// same language; and a hidden "Listes" sheet holding the drop-down lists.
//
// Rules kept here:
//   - the header is row 1 of the data sheet, one column per canonical column
//     of a return, in the canonical order (operator_id … investment_mad), each
//     worded as config/mappings.yaml says (fr or en), so that ingest finds
//     every column of its own template by the first wording it tries;
//   - each header cell carries a comment with the column's rule: the column's
//     note from mappings.yaml in French; in English a built-in translation,
//     because mappings.yaml holds French notes only;
//   - data rows start at row 2; number formats cover whole columns and data
//     validations rows 2..LastRow: ICE and period as text (so leading zeros
//     and "2016Q1" survive), whole numbers >= 0 for persons (youth and
//     disabled hires <= the row's hires), two decimals for amounts in MAD
//     (not thousands; total revenue >= the row's export revenue), drop-down
//     lists for sector codes (a stop) and region names (a warning only,
//     since a city is accepted too);
//   - the drop-down lists live on the hidden "Listes" sheet and validations
//     refer to its ranges: Excel caps an inline list at 255 characters and
//     the 12 region names already take 210, so one more region or a longer
//     wording in mappings.yaml would break an inline list;
//   - the same mappings and options give the same bytes: nothing depends on
//     the clock.
package template
