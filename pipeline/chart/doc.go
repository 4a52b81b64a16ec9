// Package chart draws fan charts: a series' history, its forecast median
// and the 80 % and 95 % bands, as PNG.
package chart
