package forecast

import "math"

// ReconcileMethod names the reconciliation Reconcile performs, for reports.
const ReconcileMethod = "mint-diagonal"

// Reconcile makes the forecasts of a total and of its parts coherent (the
// parts sum to the total) by MinT with a diagonal covariance, the "WLS with
// variance scaling" of Wickramasuriya, Athanasopoulos and Hyndman (2019):
// the incoherence e = total - sum(parts) is shared out in proportion to each
// forecast's variance, so the least certain forecasts move most. With one
// level (a total and its parts) the reconciled means are
//
//	total' = total - e*v_T/V,  part_i' = part_i + e*v_i/V,  V = v_T + sum v_i,
//
// where v is each Dist's variance (Scale² for this purpose; the degrees of
// freedom are kept). Scales stay those of the base forecasts: under
// independence WLS would shrink each variance to v*(1 - v/V), but the
// forecast errors of a total and of its parts share the same shocks, so that
// gain would be mostly illusory and the intervals too narrow. Point masses
// (Scale 0) do not move. When every variance is zero or any input is
// invalid, the inputs are returned unchanged.
func Reconcile(total Dist, parts []Dist) (Dist, []Dist) {
	out := make([]Dist, len(parts))
	copy(out, parts)
	if !total.valid() {
		return total, out
	}
	e := total.Mean
	vT := total.Scale * total.Scale
	V := vT
	for _, p := range parts {
		if !p.valid() {
			return total, out
		}
		e -= p.Mean
		V += p.Scale * p.Scale
	}
	if V == 0 || math.IsNaN(e) {
		return total, out
	}
	total.Mean -= e * vT / V
	for i, p := range parts {
		v := p.Scale * p.Scale
		out[i].Mean += e * v / V
	}
	return total, out
}
