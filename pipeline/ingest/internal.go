package ingest

import "github.com/offshore-ma/offshore/domain"

// InternalError is the problem of a file on which offshore itself failed
// (a panic or an unexpected error in one of its steps), not the file's
// content: the file is refused and quarantined, and the cause, with its
// stack, is in the log for the ministry's staff, never in the message.
func InternalError(name, sha string) domain.Problem {
	return domain.Problem{File: name, SHA256: sha, Code: "internal_error", Severity: domain.SeverityError,
		Expected: "a file the ministry's program can process", ExpectedFR: "un fichier que le programme du ministère sait traiter",
		Message:   "the ministry's program failed on this file; this is not necessarily a fault in the file: the ministry will look into it and come back to you",
		MessageFR: "le programme du ministère a échoué sur ce fichier ; ce n'est pas forcément une erreur de votre part : le ministère va l'examiner et reviendra vers vous"}
}

// Fault is a panic Read recovered from while reading a file: the file is
// refused with InternalError, and the caller logs this for the ministry's
// staff.
type Fault struct {
	Value string // the panic's value
	Stack []byte
}

// Refuse adds p, an error about the whole file, to r and drops its
// returns: the file is rejected whatever the policy.
func (r *Result) Refuse(p domain.Problem) {
	r.fatal = true
	r.Problems = append(r.Problems, p)
	r.SkippedRows += r.Rows()
	r.Returns, r.facts, r.operators = nil, nil, nil
}
