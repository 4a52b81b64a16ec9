package forecast

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
	"gonum.org/v1/gonum/mat"
)

// maxRefine bounds the iterative refinement steps in OLS. The first step is
// the plain QR solve; one or two corrections then converge on every NIST
// problem. The bound only guards against a loop that stalls on a nearly
// singular design.
const maxRefine = 10

// OLSOptions change how OLS builds the model from the design.
type OLSOptions struct {
	// Intercept adds a constant column before the columns of x: Coef[0] and
	// StdErr[0] are then the intercept's, and Coef[j+1] is column j's.
	Intercept bool
}

// OLSFit is an ordinary least squares fit of y = X b + e.
type OLSFit struct {
	// Coef holds the estimates b-hat, one per column of the model's design
	// (the intercept first when OLSOptions.Intercept is set).
	Coef []float64
	// StdErr holds the standard errors of Coef:
	// ResidualSD*sqrt(diag((X'X)^-1)).
	StdErr []float64
	// ResidualSD is the residual standard deviation sqrt(RSS/DF).
	ResidualSD float64
	// DF is the residual degrees of freedom n - p.
	DF int
	// R2 is the coefficient of determination. It is centred,
	// 1 - RSS/sum (y-mean)^2, when X has a constant non-zero column (an
	// intercept), and uncentred, 1 - RSS/sum y^2, otherwise; that is the
	// convention of the NIST StRD certified values (NoInt1, NoInt2) and of R's
	// summary.lm. It is NaN when the denominator is 0.
	R2 float64
	// Resid holds the residuals y - X b-hat, one per observation.
	Resid []float64

	// r is the p×p upper triangular factor of X*diag(1/scale) = Q r, row
	// major; scale holds the column scales, powers of two so that scaling is
	// exact.
	r         []float64
	scale     []float64
	intercept bool
}

// OLS fits y = X b by Householder QR (gonum mat.QR), never through the normal
// equations, so accuracy degrades with cond(X) rather than cond(X)^2.
//
// Accuracy on ill-conditioned designs (NIST Longley, Wampler, polynomials in
// raw powers of time) comes from two cheap steps: each column is divided by a
// power of two near its norm before the factorisation (exact in floating
// point, it equilibrates the columns), and the solution and residuals are
// refined iteratively on the augmented system (Björck), with right-hand
// sides computed in doubled precision (error-free FMA products and
// compensated sums) and corrections solved with the same QR factors. On the
// NIST StRD problems the coefficients and their standard errors then agree
// with the certified values to 13-15 significant digits (the diagonal of
// (X'X)^{-1} behind the standard errors is refined the same way), and on a
// degree-10 polynomial of the NIST Filip kind with exact float64 data to 15.
// What is left is the rounding of the data themselves to binary: on NIST
// Filip itself (decimal x, condition ~1e15) 7.6 digits, which is also how far
// the exact least squares solution of the float64 data is from the
// certified one.
//
// OLS forms the n×n orthogonal factor Q, so memory grows as n²: meant for
// the short series and small designs of this package (n up to a few
// thousand), not for large regressions.
//
// x is n×p (n×(p+1) with the intercept) with more rows than columns (at
// least one residual degree of freedom, else ErrTooFewPoints); len(y) must be
// n. x may be nil or empty only with opts.Intercept (a model with the mean
// alone). NaN or Inf in x or y, a zero column or a design too close to rank
// deficiency to fit in float64 give ErrBadInput. OLS does not modify or keep x
// and y.
func OLS(x *mat.Dense, y []float64, opts OLSOptions) (*OLSFit, error) {
	return ols(x, y, opts, true)
}

// ols is OLS; with full false it leaves StdErr nil and R2 zero, which the
// point forecasters (trend lines) do not use and which cost more than the
// coefficients themselves (one refinement per coefficient). Coef,
// ResidualSD, DF and Resid are the same either way.
func ols(x *mat.Dense, y []float64, opts OLSOptions, full bool) (*OLSFit, error) {
	if opts.Intercept {
		x = withIntercept(x, len(y))
	}
	if x == nil || x.IsEmpty() {
		return nil, fmt.Errorf("ols: empty design matrix: %w", ErrBadInput)
	}
	n, p := x.Dims()
	if len(y) != n {
		return nil, fmt.Errorf("ols: design has %d rows but y has %d values: %w", n, len(y), ErrBadInput)
	}
	if n <= p {
		return nil, fmt.Errorf("ols: %d observations for %d parameters, need at least %d: %w",
			n, p, p+1, ErrTooFewPoints)
	}
	for i, v := range y {
		if !isFinite(v) {
			return nil, fmt.Errorf("ols: y[%d] = %v, want a finite number: %w", i, v, ErrBadInput)
		}
	}

	// Column scales: the power of two just above each column's norm.
	// Multiplying by a power of two is exact (barring underflow), so the
	// scaled problem has exactly the same solution up to that scaling.
	scale := make([]float64, p)
	xs := mat.NewDense(n, p, nil)
	for j := range p {
		var ss, big float64
		for i := range n {
			v := x.At(i, j)
			if !isFinite(v) {
				return nil, fmt.Errorf("ols: x[%d][%d] = %v, want a finite number: %w", i, j, v, ErrBadInput)
			}
			big = math.Max(big, math.Abs(v))
		}
		if big == 0 {
			return nil, fmt.Errorf("ols: column %d is all zero, the design is rank deficient: %w", j, ErrBadInput)
		}
		for i := range n { // norm scaled by the largest entry: no overflow
			v := x.At(i, j) / big
			ss += v * v
		}
		_, e := math.Frexp(big * math.Sqrt(ss))
		scale[j] = math.Ldexp(1, e)
		for i := range n {
			xs.Set(i, j, math.Ldexp(x.At(i, j), -e))
		}
	}

	q1, r, cond := thinQR(xs) // xs is not needed after
	if !(cond < mat.ConditionTolerance) {
		return nil, fmt.Errorf("ols: design is rank deficient (condition number of the scaled design %.3g): %w",
			cond, ErrBadInput)
	}
	for i := range p {
		if r[i*p+i] == 0 {
			return nil, fmt.Errorf("ols: column %d is a linear combination of the ones before it: %w", i, ErrBadInput)
		}
	}

	coef, resid := refine(x, y, nil, q1, r, scale)
	fit := &OLSFit{
		Coef:      coef,
		StdErr:    make([]float64, p),
		DF:        n - p,
		Resid:     resid,
		r:         r,
		scale:     scale,
		intercept: opts.Intercept,
	}
	rss := sumSquares(resid)
	fit.ResidualSD = math.Sqrt(rss / float64(fit.DF))
	if !full {
		fit.StdErr = nil
		return fit, nil
	}
	e := make([]float64, p)
	for j := range p {
		clear(e)
		e[j] = 1
		// The j-th diagonal element of (X'X)^{-1}: the R factor alone gives
		// it to cond(X)*eps; refining the augmented system
		// [I X; X' 0][r; v] = [0; e_j] (v = -(X'X)^{-1} e_j) as for the
		// coefficients recovers the digits on polynomial designs.
		v, _ := refine(x, zeros(n), e, q1, r, scale)
		d := -v[j]
		if !(d > 0) {
			d = fit.leverage(e)
		}
		fit.StdErr[j] = fit.ResidualSD * math.Sqrt(d)
	}
	fit.R2 = rSquared(x, y, rss)
	return fit, nil
}

// thinQR factorises the n×p matrix a (n >= p) as Q1 R by Householder QR
// and returns Q1 (n×p, the first p columns of Q, which span the columns of
// a), R (p×p upper triangular, row major) and the condition number of R in
// the max-row-sum norm. It makes the LAPACK calls mat.QR makes (Geqrf, Trcon
// with mat.CondNorm, Orgqr), so Q1, R and the condition number are bit for
// bit those of mat.QR's Factorize, QTo, RTo and Cond; but where QTo forms
// the whole n×n Q, thinQR forms only its first p columns (Orgqr computes
// each column of Q from the reflectors alone, the same operations whatever
// the number of columns asked), which is what made short regressions cost
// n² memory and time.
//
// thinQR overwrites a with Q1 and returns a as q1.
func thinQR(a *mat.Dense) (q1 *mat.Dense, r []float64, cond float64) {
	_, p := a.Dims()
	fr := a.RawMatrix()
	tau := make([]float64, p)
	work := []float64{0}
	lapack64.Geqrf(fr, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Geqrf(fr, tau, work, len(work))

	tri := blas64.Triangular{N: p, Stride: fr.Stride, Data: fr.Data, Uplo: blas.Upper, Diag: blas.NonUnit}
	cond = 1 / lapack64.Trcon(mat.CondNorm, tri, make([]float64, 3*p), make([]int, p))
	r = make([]float64, p*p)
	for i := range p {
		copy(r[i*p+i:(i+1)*p], fr.Data[i*fr.Stride+i:i*fr.Stride+p])
	}

	work = []float64{0} // Orgqr overwrites the reflectors with Q1
	lapack64.Orgqr(fr, tau, work, -1)
	work = make([]float64, int(work[0]))
	lapack64.Orgqr(fr, tau, work, len(work))
	return a, r, cond
}

// Leverage returns x0'(X'X)^{-1}x0, the variance of x0'b-hat divided by
// sigma^2, for a row x0 of the model's design: the intercept's 1 first when
// OLSOptions.Intercept was set, then the columns of x. It solves
// R' z = D^{-1} x0 by forward substitution with the triangular factor of the
// scaled design and returns ||z||^2; (X'X)^{-1} is never formed. It panics if
// len(x0) differs from the number of coefficients.
func (f *OLSFit) Leverage(x0 []float64) float64 {
	if p := len(f.scale); len(x0) != p {
		panic(fmt.Sprintf("forecast: Leverage: x0 has %d values, the fit has %d coefficients", len(x0), p))
	}
	return f.leverage(x0)
}

// Predict returns the predictive distribution of a new observation
// y0 = x0'b + e0 at the point x0, given as a row of x (without the
// intercept's 1, which Predict adds when OLSOptions.Intercept was set): the
// exact Student t with DF degrees of freedom, centred on x0'b-hat, with scale
// ResidualSD*sqrt(1 + x0'(X'X)^{-1}x0), so that it holds both parameter
// uncertainty and the noise of y0. Its Interval(0.95) is the classical 95 %
// prediction interval. It panics if x0 has the wrong length.
func (f *OLSFit) Predict(x0 []float64) Dist {
	d := f.Mean(x0)
	d.Scale = f.ResidualSD * math.Sqrt(1+f.leverage(f.row(x0)))
	return d
}

// Mean returns the distribution of the estimated mean x0'b-hat at x0 (a row of
// x as for Predict): the t with scale ResidualSD*sqrt(x0'(X'X)^{-1}x0), whose
// intervals are confidence intervals for the regression line.
func (f *OLSFit) Mean(x0 []float64) Dist {
	row := f.row(x0)
	var m float64
	for j, v := range row {
		m += v * f.Coef[j]
	}
	return Dist{Mean: m, Scale: f.ResidualSD * math.Sqrt(f.leverage(row)), DF: float64(f.DF)}
}

// row returns x0 with the intercept's 1 prepended when the fit has one.
func (f *OLSFit) row(x0 []float64) []float64 {
	if f.intercept {
		x0 = append([]float64{1}, x0...)
	}
	if p := len(f.scale); len(x0) != p {
		panic(fmt.Sprintf("forecast: OLS prediction: the point has %d values, the design %d columns", len(x0), p))
	}
	return x0
}

// withIntercept returns [1 x] (just the column of ones if x is nil or empty).
func withIntercept(x *mat.Dense, n int) *mat.Dense {
	p := 0
	if x != nil && !x.IsEmpty() {
		var r int
		r, p = x.Dims()
		if r != n {
			return x // the length check in OLS reports the mismatch
		}
	}
	if n == 0 {
		return nil
	}
	d := mat.NewDense(n, p+1, nil)
	for i := range n {
		d.Set(i, 0, 1)
		for j := range p {
			d.Set(i, j+1, x.At(i, j))
		}
	}
	return d
}

func (f *OLSFit) leverage(x0 []float64) float64 {
	p := len(f.scale)
	z := make([]float64, p)
	for i, v := range x0 {
		z[i] = math.Ldexp(v, -exponent(f.scale[i]))
	}
	solveRT(f.r, p, z)
	var ss float64
	for _, v := range z {
		ss += v * v
	}
	return ss
}

// refine solves the least squares problem min ||y - X b|| from the QR factors
// of the scaled design X*diag(1/scale) = Q1 R by Björck's iterative refinement
// of the augmented system
//
//	[ I   Xs ] [ r ]   [ y ]
//	[ Xs' 0  ] [ x ] = [ 0 ],
//
// with the right-hand-side residuals f = y - r - Xs x and g = -Xs' r computed
// in doubled precision. Unlike refining x alone, this also converges on
// problems with large residuals (NIST Wampler4, Longley), where a single QR
// solve loses digits in proportion to cond(X)^2 * ||r||. Each step solves the
// augmented system with the factors:
//
//	d1 = R^-T g,  dx = R^-1 (Q1'f - d1),  dr = f - Q1 (Q1'f - d1).
//
// It returns b = diag(1/scale) x and the residuals y - X b.
//
// With b2 not nil it solves the system with right-hand side [y; b2] instead
// (X'r = b2), which OLS uses for the diagonal of (X'X)^{-1}.
func refine(x *mat.Dense, y, b2 []float64, q1 *mat.Dense, r, scale []float64) (coef, resid []float64) {
	n, p := x.Dims()
	coef = make([]float64, p)
	rr := make([]float64, n) // current estimate of the residual vector
	f := make([]float64, n)
	g := make([]float64, p)
	v := make([]float64, p)
	dx := make([]float64, p)
	col := make([]float64, n)
	prev := math.Inf(1)
	for range maxRefine {
		// f = y - r - X b and g = -Xs' r, both in doubled precision.
		residuals(x, y, rr, coef, f)
		for j := range p {
			mat.Col(col, j, x)
			var c float64
			if b2 != nil {
				c = b2[j]
			}
			g[j] = math.Ldexp(dot2c(c, col, rr), -exponent(scale[j]))
		}
		// v = Q1'f - R^-T g.
		for j := range p {
			var s float64
			for i := range n {
				s += q1.At(i, j) * f[i]
			}
			v[j] = s
		}
		solveRT(r, p, g)
		for j := range p {
			v[j] -= g[j]
		}
		// dx = R^-1 v, dr = f - Q1 v.
		copy(dx, v)
		solveR(r, p, dx)
		var norm, size float64
		for j := range p {
			d := math.Ldexp(dx[j], -exponent(scale[j]))
			coef[j] += d
			norm = math.Max(norm, math.Abs(dx[j]))
			size = math.Max(size, math.Abs(math.Ldexp(coef[j], exponent(scale[j]))))
		}
		for i := range n {
			s := f[i]
			for j := range p {
				s -= q1.At(i, j) * v[j]
			}
			rr[i] += s
		}
		// Stop once corrections are below rounding or stop shrinking.
		if norm <= 0x1p-53*size || norm > 0.5*prev {
			break
		}
		prev = norm
	}
	resid = make([]float64, n)
	residuals(x, y, nil, coef, resid)
	return coef, resid
}

// solveR overwrites v with R^-1 v, R upper triangular p×p row major.
func solveR(r []float64, p int, v []float64) {
	for i := p - 1; i >= 0; i-- {
		s := v[i]
		for k := i + 1; k < p; k++ {
			s -= r[i*p+k] * v[k]
		}
		v[i] = s / r[i*p+i]
	}
}

// solveRT overwrites v with R^-T v, R upper triangular p×p row major.
func solveRT(r []float64, p int, v []float64) {
	for i := range p {
		s := v[i]
		for k := range i {
			s -= r[k*p+i] * v[k]
		}
		v[i] = s / r[i*p+i]
	}
}

// zeros returns n zeros.
func zeros(n int) []float64 { return make([]float64, n) }

// dot2c returns c - a·b in doubled precision, rounded once.
func dot2c(c0 float64, a, b []float64) float64 {
	s, c := c0, 0.0
	for i := range a {
		prod := -a[i] * b[i]
		perr := math.FMA(-a[i], b[i], -prod)
		var serr float64
		s, serr = twoSum(s, prod)
		c += serr + perr
	}
	return s + c
}

// residuals sets dst[i] = y[i] - sub[i] - x[i,:]·b (sub may be nil) in
// doubled precision, rounded once at the end (Ogita, Rump and Oishi's Dot2).
// Plain float64 residuals would lose the digits iterative refinement needs.
func residuals(x *mat.Dense, y, sub, b, dst []float64) {
	n, p := x.Dims()
	for i := range n {
		s, c := y[i], 0.0
		if sub != nil {
			s, c = twoSum(y[i], -sub[i])
		}
		for j := range p {
			xij := x.At(i, j)
			prod := -xij * b[j]
			perr := math.FMA(-xij, b[j], -prod)
			var serr float64
			s, serr = twoSum(s, prod)
			c += serr + perr
		}
		dst[i] = s + c
	}
}

// twoSum returns a+b rounded and its exact rounding error (Knuth).
func twoSum(a, b float64) (s, e float64) {
	s = a + b
	bb := s - a
	e = (a - (s - bb)) + (b - bb)
	return s, e
}

// sumSquares returns sum v_i^2 with a compensated (Neumaier) sum.
func sumSquares(v []float64) float64 {
	var s, c float64
	for _, x := range v {
		sq := x * x
		t := s + sq
		if math.Abs(s) >= sq {
			c += (s - t) + sq
		} else {
			c += (sq - t) + s
		}
		s = t
	}
	return s + c
}

// rSquared returns the centred R² if x has a constant non-zero column and the
// uncentred one otherwise.
func rSquared(x *mat.Dense, y []float64, rss float64) float64 {
	n, p := x.Dims()
	intercept := false
	for j := 0; j < p && !intercept; j++ {
		c := x.At(0, j)
		intercept = c != 0
		for i := 1; i < n && intercept; i++ {
			intercept = x.At(i, j) == c
		}
	}
	dev := make([]float64, n)
	var mean float64
	if intercept {
		for _, v := range y {
			mean += v
		}
		mean /= float64(n)
		var corr float64 // second pass corrects the rounding of the mean
		for _, v := range y {
			corr += v - mean
		}
		mean += corr / float64(n)
	}
	for i, v := range y {
		dev[i] = v - mean
	}
	tss := sumSquares(dev)
	if tss == 0 {
		return math.NaN()
	}
	return 1 - rss/tss
}

// exponent returns e for a power of two 2^e.
func exponent(pow2 float64) int {
	_, e := math.Frexp(pow2)
	return e - 1
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
