package arch

import (
	"bufio"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/offshore-ma/offshore"

// root is the module's folder, from this package's.
const root = "../.."

// rule is one row of the table of docs/architecture.md.
type rule struct {
	layer   string
	imports map[string]bool // module packages it may import (relative path) → types only
}

// rowRe matches a row of the table: | `pkg` | layer | imports |.
var rowRe = regexp.MustCompile("^\\| `([a-z0-9/]+)` \\| ([a-z]+) \\| (.*) \\|$")

// importRe matches one import of the third column, `pkg` and an optional *(types)*.
var importRe = regexp.MustCompile("`([a-z0-9/]+)`( \\*\\(types\\)\\*)?")

// readRules reads the table of docs/architecture.md.
func readRules(t *testing.T) map[string]rule {
	t.Helper()
	f, err := os.Open(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules := map[string]rule{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := rowRe.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		r := rule{layer: m[2], imports: map[string]bool{}}
		for _, im := range importRe.FindAllStringSubmatch(m[3], -1) {
			r.imports[im[1]] = im[2] != ""
		}
		rules[m[1]] = r
	}
	if len(rules) < 10 {
		t.Fatalf("docs/architecture.md: %d rows read from the table of who may import whom", len(rules))
	}
	return rules
}

// pkg is what go list says of a package.
type pkg struct {
	ImportPath string
	Dir        string
	Standard   bool
	Imports    []string
	GoFiles    []string
}

// list runs go list -json on args, from the module's folder.
func list(t *testing.T, args ...string) []pkg {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-json"}, args...)...)
	cmd.Dir = root
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %v: %v", args, err)
	}
	var ps []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

// rel is a module package's path relative to the module ("" for another module's).
func rel(path string) (string, bool) {
	if !strings.HasPrefix(path, module+"/") {
		return "", false
	}
	return strings.TrimPrefix(path, module+"/"), true
}

// TestImportsMatchTheArchitecture: every package of the module has its row,
// and imports exactly the module packages its row lists.
func TestImportsMatchTheArchitecture(t *testing.T) {
	rules := readRules(t)
	seen := map[string]bool{}
	for _, p := range list(t, "./...") {
		name, _ := rel(p.ImportPath)
		seen[name] = true
		r, ok := rules[name]
		if !ok {
			t.Errorf("%s has no row in docs/architecture.md: add it with its layer and imports", name)
			continue
		}
		got := map[string]bool{}
		for _, im := range p.Imports {
			if m, ok := rel(im); ok {
				got[m] = true
				if _, allowed := r.imports[m]; !allowed {
					t.Errorf("%s (%s) imports %s, which docs/architecture.md does not allow; if it belongs, add it there", name, r.layer, m)
				}
			}
		}
		for m := range r.imports {
			if !got[m] {
				t.Errorf("docs/architecture.md says %s imports %s; it does not any more: remove it there", name, m)
			}
		}
	}
	for name := range rules {
		if !seen[name] {
			t.Errorf("docs/architecture.md has a row for %s, which go list does not know", name)
		}
	}
}

// TestLayers: the table itself keeps the layering: forecast and the
// vocabulary import no stage; nothing but a face imports pipeline or a
// face; only cmd/offshore imports the daemon; types-only imports are the
// faces'.
func TestLayers(t *testing.T) {
	rules := readRules(t)
	for name, r := range rules {
		for m, typesOnly := range r.imports {
			to := rules[m].layer
			switch {
			case typesOnly && r.layer != "face":
				t.Errorf("%s: a types-only import of %s is for faces", name, m)
			case r.layer == "vocabulary" && to != "vocabulary":
				t.Errorf("%s (vocabulary) imports %s (%s)", name, m, to)
			case to == "face" && !(name == "cmd/offshore" && m == "daemon"):
				t.Errorf("%s imports the face %s", name, m)
			case to == "orchestration" && r.layer != "face":
				t.Errorf("%s (%s) imports the orchestration", name, r.layer)
			case r.layer == "face" && (to == "stage" || to == "store") && !typesOnly && m != "pipeline/runlog":
				t.Errorf("%s (face) may use the %s %s for its types only: its work goes through pipeline", name, to, m)
			}
		}
	}
}

// TestForecastIsPure: forecast depends on the standard library and gonum only.
func TestForecastIsPure(t *testing.T) {
	for _, p := range list(t, "-deps", "./forecast") {
		if !p.Standard && !strings.HasPrefix(p.ImportPath, "gonum.org/v1/gonum/") && p.ImportPath != module+"/forecast" {
			t.Errorf("forecast depends on %s: it may use the standard library and gonum only", p.ImportPath)
		}
	}
}

// TestFacesCallNoStageFunction: a face names the types of a package marked
// (types) but never calls one of its functions.
func TestFacesCallNoStageFunction(t *testing.T) {
	rules := readRules(t)
	pkgs := map[string]pkg{}
	for _, p := range list(t, "./...") {
		name, _ := rel(p.ImportPath)
		pkgs[name] = p
	}
	for name, r := range rules {
		if r.layer != "face" {
			continue
		}
		for m, typesOnly := range r.imports {
			if !typesOnly {
				continue
			}
			funcs := topFuncs(t, pkgs[m])
			for _, file := range pkgs[name].GoFiles {
				for _, call := range calls(t, filepath.Join(pkgs[name].Dir, file), module+"/"+m) {
					if funcs[call.name] {
						t.Errorf("%s: %s calls %s.%s; a face may only name %s's types: call pipeline", call.pos, name, filepath.Base(m), call.name, m)
					}
				}
			}
		}
	}
}

// topFuncs are the names of p's package-level functions.
func topFuncs(t *testing.T, p pkg) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, file), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				out[fd.Name.Name] = true
			}
		}
	}
	return out
}

// call is a call of a package-level name of an imported package.
type call struct {
	name string
	pos  token.Position
}

// calls lists the calls file makes of names of the package at importPath.
func calls(t *testing.T, file, importPath string) []call {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	local := ""
	for _, im := range f.Imports {
		if strings.Trim(im.Path.Value, `"`) != importPath {
			continue
		}
		local = filepath.Base(importPath)
		if im.Name != nil {
			local = im.Name.Name
		}
	}
	if local == "" {
		return nil
	}
	var out []call
	ast.Inspect(f, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == local {
				out = append(out, call{sel.Sel.Name, fset.Position(c.Pos())})
			}
		}
		return true
	})
	return slices.Clip(out)
}
