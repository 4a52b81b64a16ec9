package daemon

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// errNotServed is a file the server will not serve: outside its folder,
// reached through a symbolic link, not a regular file, or of a type it
// does not serve. Answered 404, its cause in the log only.
var errNotServed = errors.New("not served")

// servedTypes are the only files served, by extension.
var servedTypes = map[string]string{
	".png":  "image/png",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// openInside opens rel, a slash-separated path inside base, for serving:
// every element is looked at with Lstat under an os.Root of base (which
// no "..", absolute path or link can leave) and must be a folder, or a
// regular file at the end, never a symbolic link; the file opened must be
// the one looked at. base is a folder of the configuration (trusted);
// everything under it is not (an ad-hoc forecast's chart names, a link
// planted in warehouse/adhoc).
func openInside(base, rel string) (*os.File, os.FileInfo, error) {
	root, err := os.OpenRoot(base)
	if err != nil {
		return nil, nil, err
	}
	defer root.Close()
	parts := strings.Split(rel, "/")
	p := ""
	var last os.FileInfo
	for i, part := range parts {
		if part == "" || part == "." || part == ".." || strings.ContainsRune(part, '\\') {
			return nil, nil, fmt.Errorf("%q: %w (not a plain path)", rel, errNotServed)
		}
		p = path.Join(p, part)
		fi, err := root.Lstat(p)
		if err != nil {
			return nil, nil, err
		}
		switch {
		case fi.Mode()&os.ModeSymlink != 0:
			return nil, nil, fmt.Errorf("%s: %w (a symbolic link)", p, errNotServed)
		case i < len(parts)-1 && !fi.IsDir():
			return nil, nil, fmt.Errorf("%s: %w (not a folder)", p, errNotServed)
		case i == len(parts)-1 && !fi.Mode().IsRegular():
			return nil, nil, fmt.Errorf("%s: %w (not a regular file)", p, errNotServed)
		}
		last = fi
	}
	f, err := root.Open(p)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil || !os.SameFile(st, last) {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w (replaced while opened)", p, errNotServed)
	}
	return f, st, nil
}

// serveInside serves rel inside base (openInside) with the content type
// of its extension; as download, as an attachment. Anything not served
// is 404, its cause logged.
func (d *Daemon) serveInside(w http.ResponseWriter, r *http.Request, base, rel string, download bool) {
	ctype, ok := servedTypes[strings.ToLower(path.Ext(rel))]
	if !ok {
		writeError(w, http.StatusNotFound, "no such file")
		return
	}
	f, st, err := openInside(base, rel)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			d.log.Warn("file refused", "path", r.URL.Path, "err", err)
		}
		writeError(w, http.StatusNotFound, "no such file")
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", ctype)
	if download {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", path.Base(rel)))
	}
	http.ServeContent(w, r, path.Base(rel), st.ModTime(), f)
}

// inFolder returns p (absolute, or relative to the configuration's
// folder) as a path inside dir, slash-separated; an error when p is dir
// itself or outside it. Paths in run records are data: a forged record
// must not make the server read /etc/shadow.
func (d *Daemon) inFolder(dir, p string) (string, error) {
	if !filepath.IsAbs(p) {
		p = filepath.Join(d.cfg.Dir, p)
	}
	rel, err := filepath.Rel(filepath.Clean(dir), filepath.Clean(p))
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: %s is outside %s", errNotServed, p, dir)
	}
	return filepath.ToSlash(rel), nil
}
