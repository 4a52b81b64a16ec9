// Package arch holds no code: its test keeps the rules of
// docs/architecture.md. The test reads the table of that page (who may
// import whom), compares it with `go list`, checks that forecast depends on
// the standard library and gonum only, and that the faces call no function
// of a package they may use only for its types.
package arch
