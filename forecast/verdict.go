package forecast

import (
	"fmt"
	"math"
)

// Measure describes the quantity a target is judged on:
// Known + sum_h Weights[h]*y[n+1+h], where y[n] is the last observation, so
// Weights[0] weighs the first future period.
//
// Examples with quarterly data ending 2018Q4: jobs at the end of 2020 is
// Known 0, Weights [0,0,0,0,0,0,0,1]; 2020 exports (sum of four quarters) is
// Weights [0,0,0,0,1,1,1,1]; investment cumulated over 2016-2020 is Known =
// the sum observed so far (2016Q1-2018Q4) and Weights eight ones.
type Measure struct {
	// Known is the part of the measure already observed (0 if none).
	Known float64
	// Weights weigh the future values, first future period first. Empty or
	// all zero means the measure is fully observed.
	Weights []float64
	// Monotone means the measure can only grow as data arrive (a cumulative
	// of non-negative values), so Known >= target already means met and the
	// measure can never end below Known.
	Monotone bool
}

// Status is the verdict on a target.
type Status string

// The statuses Judge gives. StatusMet is certain (the measure is observed
// or, monotone, already past the target); the others grade the probability of
// meeting the target against Thresholds. StatusUnknown means no verdict: the
// measure depends on the future but there is no fitted model, or the
// probability is undefined (NaN target).
const (
	StatusMet      Status = "met"
	StatusOnTrack  Status = "on_track"
	StatusAtRisk   Status = "at_risk"
	StatusOffTrack Status = "off_track"
	StatusUnknown  Status = "unknown"
)

// Thresholds grade P(meet): p >= OnTrack is on_track, p >= AtRisk is
// at_risk, lower is off_track.
type Thresholds struct {
	OnTrack, AtRisk float64
}

// DefaultThresholds returns OnTrack 0.7 and AtRisk 0.3.
func DefaultThresholds() Thresholds { return Thresholds{OnTrack: 0.7, AtRisk: 0.3} }

// Validate reports thresholds that are not probabilities with
// 0 <= AtRisk <= OnTrack <= 1, naming the value at fault.
func (th Thresholds) Validate() error {
	switch {
	case !(th.AtRisk >= 0 && th.AtRisk <= 1):
		return fmt.Errorf("at_risk threshold %v, want a probability in [0, 1]: %w", th.AtRisk, ErrBadInput)
	case !(th.OnTrack >= 0 && th.OnTrack <= 1):
		return fmt.Errorf("on_track threshold %v, want a probability in [0, 1]: %w", th.OnTrack, ErrBadInput)
	case th.AtRisk > th.OnTrack:
		return fmt.Errorf("at_risk threshold %v above on_track threshold %v, want at_risk <= on_track: %w",
			th.AtRisk, th.OnTrack, ErrBadInput)
	}
	return nil
}

// Status grades a probability of meeting a target; NaN gives StatusUnknown.
func (th Thresholds) Status(pMeet float64) Status {
	switch {
	case math.IsNaN(pMeet):
		return StatusUnknown
	case pMeet >= th.OnTrack:
		return StatusOnTrack
	case pMeet >= th.AtRisk:
		return StatusAtRisk
	default:
		return StatusOffTrack
	}
}

// Verdict is the judgement on one target, in the units of the measure.
type Verdict struct {
	// Projected is the median projection of the measure (its mean too
	// unless clamped at Known for a monotone measure).
	Projected float64
	// Lo80, Hi80 and Lo95, Hi95 bound the central 80 % and 95 % prediction
	// intervals of the measure.
	Lo80, Hi80, Lo95, Hi95 float64
	// PMeet is the probability that the measure ends at or above the target.
	PMeet float64
	// Status is the verdict.
	Status Status
	// Model names the model behind the projection.
	Model string
}

// Judge judges a target: the target is met when the measure >= target.
//
//   - No future weights (empty or all zero): the measure is fully observed;
//     Projected = Known, the intervals collapse onto it, PMeet is 1 or 0 and
//     the status met or off_track.
//   - Monotone and Known >= target: met, PMeet 1. The projection and
//     intervals are still given if f is not nil (NaN otherwise).
//   - Otherwise d = f.Predict(Weights) shifted by Known: Projected is its
//     median (= mean), the intervals come from its quantiles, PMeet =
//     1 - CDF(target) (computed as the survival function, or 1/0 if d is a
//     point mass) and the status comes from th.
//
// For a monotone measure the measure can never end below Known, whatever the
// model says (it knows nothing of signs), so projection and interval bounds
// are raised to Known when below it: exact quantiles of max(Known, X). This
// does not change PMeet, since the target is then above Known.
//
// f may be nil when the measure needs no forecast (the first two cases);
// otherwise a nil f gives NaN numbers and StatusUnknown. model is copied to
// Verdict.Model.
func Judge(f Fitted, model string, m Measure, target float64, th Thresholds) Verdict {
	a := Verdict{Model: model}
	future := false
	for _, w := range m.Weights {
		if w != 0 {
			future = true
			break
		}
	}

	if !future {
		a.setDist(Dist{Mean: m.Known, Scale: 0, DF: math.Inf(1)}, m)
		switch {
		case m.Known >= target:
			a.PMeet, a.Status = 1, StatusMet
		case m.Known < target:
			a.PMeet, a.Status = 0, StatusOffTrack
		default: // NaN
			a.PMeet, a.Status = math.NaN(), StatusUnknown
		}
		return a
	}

	if f == nil {
		a.setNaN()
		if m.Monotone && m.Known >= target {
			a.PMeet, a.Status = 1, StatusMet
			return a
		}
		a.PMeet, a.Status = math.NaN(), StatusUnknown
		return a
	}
	return JudgeDist(f.Predict(m.Weights), model, m, target, th)
}

// JudgeDist is Judge with the predictive distribution of the future part
// of the measure given directly (sum_h Weights[h]*y[n+1+h], without Known),
// e.g. after reconciliation (see [Reconcile]). The measure's Weights only
// tell whether any future value counts.
func JudgeDist(d Dist, model string, m Measure, target float64, th Thresholds) Verdict {
	a := Verdict{Model: model}
	d = d.Shift(m.Known)
	a.setDist(d, m)
	if m.Monotone && m.Known >= target {
		a.PMeet, a.Status = 1, StatusMet
		return a
	}
	if d.Scale == 0 { // point mass: met iff its value reaches the target
		switch {
		case d.Mean >= target:
			a.PMeet = 1
		case d.Mean < target:
			a.PMeet = 0
		default:
			a.PMeet = math.NaN()
		}
	} else {
		a.PMeet = d.Survival(target)
	}
	a.Status = th.Status(a.PMeet)
	return a
}

// setDist sets the projection and intervals from d, the distribution of the
// measure, clamped at Known for a monotone measure.
func (a *Verdict) setDist(d Dist, m Measure) {
	q := func(p float64) float64 {
		v := d.Quantile(p)
		if m.Monotone && v < m.Known {
			v = m.Known
		}
		return v
	}
	a.Projected = q(0.5)
	a.Lo80, a.Hi80 = q(0.1), q(0.9)
	a.Lo95, a.Hi95 = q(0.025), q(0.975)
}

func (a *Verdict) setNaN() {
	nan := math.NaN()
	a.Projected, a.Lo80, a.Hi80, a.Lo95, a.Hi95 = nan, nan, nan, nan, nan
}

// GrowthRate returns the annualised compound growth rate that takes a to b in
// years years: (b/a)^(1/years) - 1, e.g. 0.1 for 10 % a year. Compare the
// rate a target requires (from the last observed value to the target) with
// the rate observed so far. It returns NaN if a <= 0, b < 0, years <= 0 or
// any argument is NaN or infinite.
func GrowthRate(a, b, years float64) float64 {
	if !isFinite(a) || !isFinite(b) || !isFinite(years) || a <= 0 || b < 0 || years <= 0 {
		return math.NaN()
	}
	return math.Pow(b/a, 1/years) - 1
}
