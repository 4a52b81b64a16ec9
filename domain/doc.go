// Package returns defines the canonical return, one row per operator × period,
// and the problems found while reading returns.
//
// Every stage after ingest works on these types: amounts are in Moroccan
// dirhams (MAD), headcounts in persons, periods are calendar quarters.
// Optional figures are pointers: nil means "not reported", never zero.
package domain
