package warehouse

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// VerifyReport is what Verify found.
type VerifyReport struct {
	Parts    int      // Parquet parts checked
	Raw      int      // raw files checked
	Bytes    int64    // bytes read and hashed
	Problems []string // one line per file that is not as committed, or not named by any commit
}

// Verify checks every file dir's catalog names against the size and sha256
// recorded at commit (raw files by their name, which is their sha256), and
// lists data files no commit names. It takes the writers' lock (waiting up to
// wait) so that no commit is half-way while it reads, and changes nothing.
// A catalog that cannot be read is returned as an error (ErrDamaged).
func Verify(ctx context.Context, dir string, wait time.Duration, log *slog.Logger) (VerifyReport, error) {
	var rep VerifyReport
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	lf, err := lock(ctx, dir, wait, log)
	if err != nil {
		return rep, err
	}
	defer unlock(lf)
	cat, err := readCatalog(dir)
	if err != nil {
		return rep, err
	}
	for _, e := range cat.mismatches(ctx, dir, true) {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		rep.Problems = append(rep.Problems, e.Error())
	}
	strays, err := strayFiles(dir, cat.live(dir), 0)
	if err != nil {
		return rep, err
	}
	for _, p := range strays {
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s is named by no commit", p))
	}
	rep.Parts, rep.Raw = len(cat.Parts), len(cat.Sources)
	for _, p := range cat.Parts {
		rep.Bytes += p.Size
	}
	for _, s := range cat.Sources {
		rep.Bytes += s.Size
	}
	return rep, ctx.Err()
}
