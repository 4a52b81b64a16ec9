// Package locale writes numbers for a reader, in French (the default) or
// English, as the ministry workbook writes them: French separators whatever
// the machine's locale ("123 000" with a narrow no-break space, "12,5 %"),
// English ones on request ("123,000", "12.5%"); amounts in millions of
// dirhams (MDH) in tables and in milliards (Md MAD) in sentences and on
// charts.
//
// It is vocabulary: the workbook (pipeline/report) and the analysts' page
// (daemon) both write numbers with it, so they agree to the character.
// It imports only the standard library.
package locale
