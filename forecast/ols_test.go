package forecast

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// nistCase is one NIST StRD linear least squares dataset with its certified
// values, as read from testdata/nist/<Name>.dat.
type nistCase struct {
	coef, sd    []float64 // certified estimates and their standard deviations
	resSD, r2   float64   // certified residual standard deviation and R²
	y           []float64
	x           [][]float64 // predictor columns as in the file (x or x1..x6)
	nParameters int
}

var (
	reCertLines = regexp.MustCompile(`Certified Values\s+\(lines (\d+) to (\d+)\)`)
	reDataLines = regexp.MustCompile(`Data\s+\(lines (\d+) to (\d+)\)`)
	reParam     = regexp.MustCompile(`^B\d+$`)
)

// readNIST parses a NIST StRD .dat file: the header gives the line ranges of
// the certified values and of the data; certified parameters are the lines
// starting with B0, B1, ...
func readNIST(t testing.TB, path string) nistCase {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(strings.NewReader(string(raw)))
	for sc.Scan() {
		lines = append(lines, strings.TrimRight(sc.Text(), "\r"))
	}
	rangeOf := func(re *regexp.Regexp) (int, int) {
		for _, l := range lines[:min(len(lines), 12)] {
			if m := re.FindStringSubmatch(l); m != nil {
				a, _ := strconv.Atoi(m[1])
				b, _ := strconv.Atoi(m[2])
				return a, b
			}
		}
		t.Fatalf("%s: no %v in header", path, re)
		return 0, 0
	}
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return v
	}

	var c nistCase
	c0, c1 := rangeOf(reCertLines)
	d0, d1 := rangeOf(reDataLines)
	for _, l := range lines[c0-1 : c1] {
		f := strings.Fields(l)
		switch {
		case len(f) == 3 && reParam.MatchString(f[0]):
			c.coef = append(c.coef, num(f[1]))
			c.sd = append(c.sd, num(f[2]))
		case len(f) == 3 && f[0] == "Standard" && f[1] == "Deviation":
			c.resSD = num(f[2])
		case len(f) == 2 && f[0] == "R-Squared":
			c.r2 = num(f[1])
		}
	}
	c.nParameters = len(c.coef)
	for _, l := range lines[d0-1 : d1] {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		c.y = append(c.y, num(f[0]))
		if c.x == nil {
			c.x = make([][]float64, len(f)-1)
		}
		for j, s := range f[1:] {
			c.x[j] = append(c.x[j], num(s))
		}
	}
	if len(c.coef) == 0 || len(c.y) != d1-d0+1 || c.resSD < 0 || c.r2 == 0 {
		t.Fatalf("%s: parsed %d parameters, %d of %d observations, r2 %v", path, len(c.coef), len(c.y), d1-d0+1, c.r2)
	}
	return c
}

// polyDesign builds [1 x x^2 ... x^deg] (without the 1 if !intercept).
func polyDesign(x []float64, deg int, intercept bool) *mat.Dense {
	first := 0
	if !intercept {
		first = 1
	}
	d := mat.NewDense(len(x), deg-first+1, nil)
	for i, v := range x {
		for k := first; k <= deg; k++ {
			d.Set(i, k-first, math.Pow(v, float64(k)))
		}
	}
	return d
}

// linearDesign builds [1 x1 x2 ...].
func linearDesign(cols [][]float64) *mat.Dense {
	n := len(cols[0])
	d := mat.NewDense(n, len(cols)+1, nil)
	for i := range n {
		d.Set(i, 0, 1)
		for j, c := range cols {
			d.Set(i, j+1, c[i])
		}
	}
	return d
}

// lre is the log relative error, the number of correct significant digits
// of got against the certified value want, capped at 15 (the digits NIST
// certifies). When want is 0 it is the log absolute error, as in McCullough
// (1998), "Assessing the reliability of statistical software".
func lre(got, want float64) float64 {
	const maxDigits = 15
	if math.IsNaN(got) {
		return 0
	}
	var e float64
	if want == 0 {
		e = math.Abs(got)
	} else {
		e = math.Abs(got-want) / math.Abs(want)
	}
	if e == 0 {
		return maxDigits
	}
	return math.Max(0, math.Min(maxDigits, -math.Log10(e)))
}

func TestOLSNIST(t *testing.T) {
	poly := func(deg int) func(c nistCase) *mat.Dense {
		return func(c nistCase) *mat.Dense { return polyDesign(c.x[0], deg, false) }
	}
	tests := []struct {
		file      string
		design    func(c nistCase) *mat.Dense // the columns of x, without the intercept
		intercept bool
		// minimum correct digits for coefficients, their standard
		// deviations, the residual standard deviation and R².
		minCoef, minSD, minResSD, minR2 float64
	}{
		// Reached on linux/amd64 (coef, sd, residual sd, R²):
		// Norris 14.1 13.9 14.0 15; Pontius 13.5 13.8 13.8 15;
		// NoInt1 14.7 15 15 15; NoInt2 15 14.9 15 15; Longley 14.6 14.9 15 15;
		// Wampler1 15 15 15 15; Wampler2 13.2 14.9 14.9 15;
		// Wampler3 15 14.5 14.8 15; Wampler4 15 14.5 14.8 15.
		// The minimums leave about a digit for other platforms' rounding.
		{"Norris", poly(1), true, 13, 13, 13, 14},
		{"Pontius", poly(2), true, 12.5, 12.5, 12.5, 14},
		{"NoInt1", poly(1), false, 13.5, 14, 14, 14},
		{"NoInt2", poly(1), false, 14, 14, 14, 14},
		{"Longley", func(c nistCase) *mat.Dense { return linearDesign(c.x).Slice(0, len(c.y), 1, len(c.x)+1).(*mat.Dense) }, true, 13.5, 13.5, 14, 14},
		{"Wampler1", poly(5), true, 14, 14, 14, 14},
		{"Wampler2", poly(5), true, 12, 13.5, 13.5, 14},
		{"Wampler3", poly(5), true, 14, 13.5, 13.5, 14},
		{"Wampler4", poly(5), true, 14, 13.5, 13.5, 14},
		// Filip (degree 10, cond(X) ~ 1e15 in raw powers) is not in
		// ../shared/data; testdata/nist/Filip.dat holds NIST's certified
		// values and data in the StRD layout. Reached: coef 7.6, sd 7.6,
		// residual sd 8.9, R² 11.1. That is the limit of the float64
		// input, not of OLS: the exact (1024-bit) least squares solution
		// of the same float64 design also agrees with the certified values
		// to 7.6 digits, and OLS agrees with it to 15 (14.2 for the
		// standard deviations); NIST certifies the decimal data, which
		// float64 x and its powers only approximate. The issue asks for 7.
		{"Filip", poly(10), true, 7, 7, 8, 10},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := readNIST(t, filepath.Join("testdata", "nist", tt.file+".dat"))
			x := tt.design(c)
			p := x.RawMatrix().Cols
			if tt.intercept {
				p++
			}
			if p != c.nParameters {
				t.Fatalf("design has %d columns, certified values have %d parameters", p, c.nParameters)
			}
			fit, err := OLS(x, c.y, OLSOptions{Intercept: tt.intercept})
			if err != nil {
				t.Fatal(err)
			}
			if want := len(c.y) - c.nParameters; fit.DF != want {
				t.Errorf("DF = %d, want %d", fit.DF, want)
			}
			minCoef, minSD := math.Inf(1), math.Inf(1)
			for j := range c.coef {
				minCoef = math.Min(minCoef, lre(fit.Coef[j], c.coef[j]))
				minSD = math.Min(minSD, lre(fit.StdErr[j], c.sd[j]))
			}
			resSD, r2 := lre(fit.ResidualSD, c.resSD), lre(fit.R2, c.r2)
			t.Logf("%-8s correct digits: coef %.1f  sd %.1f  residual sd %.1f  R² %.1f", tt.file, minCoef, minSD, resSD, r2)
			for _, chk := range []struct {
				what      string
				got, want float64
			}{
				{"coefficients", minCoef, tt.minCoef},
				{"standard deviations", minSD, tt.minSD},
				{"residual sd", resSD, tt.minResSD},
				{"R²", r2, tt.minR2},
			} {
				if chk.got < chk.want {
					t.Errorf("%s: %.1f correct digits, want at least %.1f", chk.what, chk.got, chk.want)
				}
			}
		})
	}
}

// TestOLSFilipLike checks OLS on the hardest class of the NIST StRD, a
// degree-10 polynomial in raw powers of x over a narrow range away from 0
// (like NIST Filip: 82 points, x in [-8.8, -3.1], cond(X) ~ 1e15 before
// scaling). The data are synthetic (known polynomial plus noise, drawn from a
// fixed seed, so every value is an exact float64); the reference solution is
// the exact least squares solution of those float64 data, computed from the
// normal equations in 1024-bit arithmetic (math/big), where the squared
// conditioning costs nothing. The requirement is 7 correct digits; OLS
// reaches 15 on linux/amd64, and the test asks for 12 to catch regressions.
func TestOLSFilipLike(t *testing.T) {
	const n, deg = 82, 10
	rng := rand.New(rand.NewPCG(1, 10))
	xs := make([]float64, n)
	y := make([]float64, n)
	beta := []float64{-1467.5, -2772.2, -2316.4, -1127.97, -354.48, -75.12, -10.88, -1.06, -0.067, -0.0025, -0.0000403} // Filip-like magnitudes
	for i := range n {
		xs[i] = -8.78 + 5.65*float64(i)/float64(n-1) + 0.01*rng.NormFloat64()
		v := 0.0
		for k := deg; k >= 0; k-- {
			v = v*xs[i] + beta[k]
		}
		y[i] = v + 0.0033*rng.NormFloat64()
	}
	x := polyDesign(xs, deg, false)
	fit, err := OLS(x, y, OLSOptions{Intercept: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCoef, wantSD, wantRes := bigOLS(polyDesign(xs, deg, true), y)
	minCoef, minSD := math.Inf(1), math.Inf(1)
	for j := range wantCoef {
		minCoef = math.Min(minCoef, lre(fit.Coef[j], wantCoef[j]))
		minSD = math.Min(minSD, lre(fit.StdErr[j], wantSD[j]))
	}
	res := lre(fit.ResidualSD, wantRes)
	t.Logf("degree-10 polynomial correct digits: coef %.1f  sd %.1f  residual sd %.1f", minCoef, minSD, res)
	if minCoef < 12 || minSD < 12 || res < 12 {
		t.Errorf("correct digits: coef %.1f, sd %.1f, residual sd %.1f; want at least 12", minCoef, minSD, res)
	}
}

// bigOLS returns the least squares coefficients, their standard errors and
// the residual standard deviation of y on x, from the normal equations
// solved by Gauss-Jordan elimination in 1024-bit floating point.
func bigOLS(x *mat.Dense, y []float64) (coef, sd []float64, resSD float64) {
	const prec = 1024
	n, p := x.Dims()
	nf := func(v float64) *big.Float { return new(big.Float).SetPrec(prec).SetFloat64(v) }
	// Augmented [X'X | X'y | I].
	w := p + 1 + p
	a := make([][]*big.Float, p)
	for i := range p {
		a[i] = make([]*big.Float, w)
		for j := range w {
			a[i][j] = nf(0)
		}
		a[i][p+1+i] = nf(1)
		for k := range n {
			xi := nf(x.At(k, i))
			for j := range p {
				a[i][j].Add(a[i][j], new(big.Float).SetPrec(prec).Mul(xi, nf(x.At(k, j))))
			}
			a[i][p].Add(a[i][p], new(big.Float).SetPrec(prec).Mul(xi, nf(y[k])))
		}
	}
	for c := range p {
		piv := c
		for r := c + 1; r < p; r++ {
			if new(big.Float).Abs(a[r][c]).Cmp(new(big.Float).Abs(a[piv][c])) > 0 {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		inv := new(big.Float).SetPrec(prec).Quo(nf(1), a[c][c])
		for j := range w {
			a[c][j].Mul(a[c][j], inv)
		}
		for r := range p {
			if r == c {
				continue
			}
			fac := new(big.Float).SetPrec(prec).Set(a[r][c])
			for j := range w {
				a[r][j].Sub(a[r][j], new(big.Float).SetPrec(prec).Mul(fac, a[c][j]))
			}
		}
	}
	b := make([]*big.Float, p)
	coef = make([]float64, p)
	for i := range p {
		b[i] = a[i][p]
		coef[i], _ = b[i].Float64()
	}
	rss := nf(0)
	for k := range n {
		r := nf(y[k])
		for j := range p {
			r.Sub(r, new(big.Float).SetPrec(prec).Mul(nf(x.At(k, j)), b[j]))
		}
		rss.Add(rss, new(big.Float).SetPrec(prec).Mul(r, r))
	}
	s2 := new(big.Float).SetPrec(prec).Quo(rss, nf(float64(n-p)))
	v, _ := s2.Float64()
	resSD = math.Sqrt(v)
	sd = make([]float64, p)
	for i := range p {
		d, _ := new(big.Float).SetPrec(prec).Mul(s2, a[i][p+1+i]).Float64()
		sd[i] = math.Sqrt(d)
	}
	return coef, sd, resSD
}

// TestLeverage checks x0'(X'X)^{-1}x0 from the R factor against the explicit
// inverse on well-conditioned random designs.
func TestLeverage(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, dims := range [][2]int{{5, 1}, {10, 2}, {30, 4}} {
		n, p := dims[0], dims[1]
		t.Run(fmt.Sprintf("%dx%d", n, p), func(t *testing.T) {
			x := mat.NewDense(n, p, nil)
			y := make([]float64, n)
			for i := range n {
				for j := range p {
					// columns on very different scales exercise the scaling
					x.Set(i, j, rng.NormFloat64()*math.Pow(100, float64(j)))
				}
				y[i] = rng.NormFloat64()
			}
			fit, err := OLS(x, y, OLSOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var xtx, inv mat.Dense
			xtx.Mul(x.T(), x)
			if err := inv.Inverse(&xtx); err != nil {
				t.Fatal(err)
			}
			for k := range 5 {
				x0 := make([]float64, p)
				for j := range p {
					x0[j] = rng.NormFloat64() * math.Pow(100, -float64(j))
				}
				v := mat.NewVecDense(p, x0)
				want := mat.Inner(v, &inv, v)
				if got := fit.Leverage(x0); math.Abs(got-want) > 1e-9*math.Abs(want) {
					t.Errorf("x0 #%d: Leverage = %.15g, want %.15g", k, got, want)
				}
			}
		})
	}
}

func TestOLSErrors(t *testing.T) {
	ones := func(n, p int) *mat.Dense {
		d := mat.NewDense(n, p, nil)
		for i := range n {
			for j := range p {
				d.Set(i, j, math.Pow(float64(i+1), float64(j)))
			}
		}
		return d
	}
	withNaN := ones(5, 2)
	withNaN.Set(3, 1, math.NaN())
	collinear := ones(5, 3)
	for i := range 5 {
		collinear.Set(i, 2, 2*collinear.At(i, 1))
	}
	zeroCol := ones(5, 2)
	for i := range 5 {
		zeroCol.Set(i, 1, 0)
	}
	tests := []struct {
		name string
		x    *mat.Dense
		y    []float64
		want error
	}{
		{"nil design", nil, []float64{1, 2}, ErrBadInput},
		{"length mismatch", ones(5, 2), []float64{1, 2, 3}, ErrBadInput},
		{"no residual df", ones(2, 2), []float64{1, 2}, ErrTooFewPoints},
		{"fewer rows than columns", ones(2, 3), []float64{1, 2}, ErrTooFewPoints},
		{"NaN in y", ones(5, 2), []float64{1, 2, math.NaN(), 4, 5}, ErrBadInput},
		{"Inf in y", ones(5, 2), []float64{1, 2, math.Inf(-1), 4, 5}, ErrBadInput},
		{"NaN in x", withNaN, []float64{1, 2, 3, 4, 5}, ErrBadInput},
		{"zero column", zeroCol, []float64{1, 2, 3, 4, 5}, ErrBadInput},
		{"collinear columns", collinear, []float64{1, 2, 3, 4, 5}, ErrBadInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fit, err := OLS(tt.x, tt.y, OLSOptions{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("OLS error = %v, want %v", err, tt.want)
			}
			if fit != nil {
				t.Errorf("OLS returned a fit with error %v", err)
			}
		})
	}
}

func BenchmarkOLSLongley(b *testing.B) {
	c := readNIST(b, filepath.Join("testdata", "nist", "Longley.dat"))
	x := linearDesign(c.x)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OLS(x, c.y, OLSOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestThinQRMatchesMatQR checks that thinQR gives mat.QR's first p columns
// of Q, its R and its condition number bit for bit, on random and
// ill-conditioned (raw polynomial) designs of many shapes.
func TestThinQRMatchesMatQR(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var designs []*mat.Dense
	for _, shape := range [][2]int{{2, 1}, {3, 2}, {12, 2}, {40, 5}, {106, 5}, {7, 6}, {82, 11}, {300, 40}, {260, 130}} {
		n, p := shape[0], shape[1]
		a := mat.NewDense(n, p, nil)
		for i := range n {
			for j := range p {
				a.Set(i, j, rng.NormFloat64()*math.Ldexp(1, j))
			}
		}
		designs = append(designs, a)
		x := make([]float64, n)
		for i := range x {
			x[i] = -8 + 5*rng.Float64()
		}
		designs = append(designs, polyDesign(x, p, true))
	}
	for _, a := range designs {
		n, p := a.Dims()
		var qr mat.QR
		qr.Factorize(a)
		var q, r mat.Dense
		qr.QTo(&q)
		qr.RTo(&r)
		q1, r1, cond := thinQR(mat.DenseCopyOf(a))
		same := math.Float64bits(cond) == math.Float64bits(qr.Cond())
		for i := range n {
			for j := range p {
				same = same && math.Float64bits(q1.At(i, j)) == math.Float64bits(q.At(i, j))
				if i < p && j >= i {
					same = same && math.Float64bits(r1[i*p+j]) == math.Float64bits(r.At(i, j))
				}
			}
		}
		if !same {
			t.Errorf("%d×%d design: thinQR differs from mat.QR", n, p)
		}
	}
}
