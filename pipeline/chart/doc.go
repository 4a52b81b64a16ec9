// Package chart draws fan charts: a series' history, its forecast median,
// the 80 % and 95 % bands, the target as a dashed line and other paths (a
// what-if, the path that reaches the target), as PNG or SVG.
package chart
