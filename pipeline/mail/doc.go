// Package mail delivers the ministry workbook by mail: Compose writes the
// message of a nightly run in the workbook's language (report.lang, French
// or English: the subject naming the quarter, the verdict sentences of the
// workbook's Synthèse and a table of the targets' statuses, the workbook
// attached) and Send hands it to the SMTP server of report.mail, through
// github.com/wneessen/go-mail.
//
// Rules kept here:
//   - the message shows nothing the workbook hides: Compose takes the
//     workbook's confidentiality options (report.Options) and results
//     already masked by the run record's Confidential list, and a hidden
//     target reads as the workbook's "s";
//   - one attempt is one SMTP session; Send says whether a failure is
//     permanent (the server answered 5xx, or the settings or the workbook
//     make any new attempt useless) or worth retrying (4xx, a refused or
//     cut connection, a timeout); when to retry is the caller's business
//     (pipeline records each attempt, the daemon retries);
//   - the password comes from the caller, who reads it from the
//     environment: it is never in a file nor in a record;
//   - a message the server accepted is sent, whatever goes wrong after
//     (RSET, QUIT): a retry would deliver it twice.
package mail
