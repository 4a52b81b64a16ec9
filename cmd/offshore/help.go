package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/offshore-ma/offshore/forecast"
	"github.com/offshore-ma/offshore/pipeline"
	"github.com/offshore-ma/offshore/pipeline/table"
)

// commandDetails are what `offshore help CMD` and `offshore CMD -h` add to
// a command's line of the general help: its arguments and the values they
// take, and one example.
var commandDetails = map[string]struct{ more, example string }{
	"demo":     {"Needs no working folder: it makes one.", "offshore demo --dir /tmp/offshore-demo"},
	"init":     {"The folder may exist; files already there are kept.", "offshore init --dir /srv/offshore"},
	"template": {"--out must end in .xlsx; --lang: fr or en.", "offshore template --out modele_declaration.xlsx --lang fr"},
	"gen": {"--scale: national or series (the benchmark workloads, bench/README.md); --lang: fr or en.",
		"offshore gen --out /tmp/returns --operators 20 --from 2015Q1 --to 2018Q4 --seed 7"},
	"validate": {"FILE...: .xlsx workbooks (they must exist). --format: text or json; --lang: fr or en.\n" +
		"Exit 0: all would be accepted; 3: some would be rejected.", "offshore validate inbox/Retour_T4_2018.xlsx --lang fr"},
	"mappings": {"The one subcommand is suggest; FILE...: .xlsx workbooks (they must exist).", "offshore mappings suggest federation.xlsx"},
	"ingest": {"PATH...: files or folders (they must exist); none: the configured inbox. The working folder's own files\n" +
		"(warehouse/, quarantine/, outbox/, the YAML files) are never read, and are named when skipped.\n" +
		"Needs a working folder (offshore init). Exit 3: some input was rejected (see quarantine/).",
		"offshore --workdir /srv/offshore ingest --backfill /archives/2015-2018"},
	"forecast": {"--model: " + strings.Join(forecast.ModelNames(), ", ") + ".\n" +
		"--format: table or json; with --sector/--region or --input: also csv or xlsx (xlsx needs --out F.xlsx).\n" +
		"--what-if (with --sector/--region): required, best, worst, collecting. --metric: jobs, exports, investment,\n" +
		"hires, hires_youth, hires_disabled. Without --input it needs a working folder (offshore init).",
		"offshore forecast --sector BPO --horizon 2030 --target 40000 --what-if required,best --format csv --out bpo.csv"},
	"report": {"Needs a working folder (offshore init).", "offshore --workdir /srv/offshore report --as-of 2018Q4"},
	"export": {"TABLE: " + strings.Join(pipeline.ExportTables, ", ") + ". --format: " + strings.Join(table.Formats, ", ") + ".",
		"offshore export series --format csv --out series.csv"},
	"verify":   {"Changes nothing; exit 1 when a file is not as committed.", "offshore --workdir /srv/offshore verify"},
	"repair":   {"Needs a working folder (offshore init).", "offshore --workdir /srv/offshore repair"},
	"compact":  {"Needs a working folder (offshore init).", "offshore --workdir /srv/offshore compact"},
	"run":      {"Needs a working folder (offshore init). Applies retention (see prune) when it succeeds.", "offshore --workdir /srv/offshore run"},
	"schedule": {"Needs a working folder (offshore init). Alerts: alerts.* of offshore.yaml.", "offshore --workdir /srv/offshore schedule --listen 127.0.0.1:8080"},
	"prune": {"What retention.* of offshore.yaml lets go: old run records, ad-hoc charts, quarantined copies,\n" +
		"superseded workbooks; never the warehouse's data. --dry-run lists without removing.",
		"offshore --workdir /srv/offshore prune --dry-run"},
	"version": {"The same as offshore --version.", "offshore version"},
}

// lookupCommand returns the command of that name, or nil. Set by init:
// commands' functions refer to commandUsage, which may not refer to
// commands in their initialisation.
var lookupCommand func(name string) *command

func init() {
	lookupCommand = func(name string) *command {
		for i := range commands {
			if commands[i].name == name {
				return &commands[i]
			}
		}
		return nil
	}
}

// commandUsage writes the help of command name, whose flags are fs's (the
// global ones left to one line at the end).
func commandUsage(w io.Writer, name string, fs *flag.FlagSet) {
	c := lookupCommand(name)
	if c == nil {
		fs.PrintDefaults()
		return
	}
	fmt.Fprintf(w, "Usage: offshore %s %s\n\n%s\n", c.name, c.args, strings.ReplaceAll(c.help, "\n            ", "\n"))
	d := commandDetails[c.name]
	if d.more != "" {
		fmt.Fprintf(w, "\n%s\n", d.more)
	}
	global := map[string]bool{"workdir": true, "config": true, "log-level": true, "log-format": true}
	first := true
	fs.VisitAll(func(f *flag.Flag) {
		if global[f.Name] {
			return
		}
		if first {
			fmt.Fprintln(w, "\nFlags:")
			first = false
		}
		arg, usage := flag.UnquoteUsage(f)
		fmt.Fprintf(w, "  --%s", f.Name)
		if arg != "" {
			fmt.Fprintf(w, " %s", arg)
		}
		fmt.Fprintf(w, "\n      %s", strings.ReplaceAll(usage, "\n", "\n      "))
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
	if d.example != "" {
		fmt.Fprintf(w, "\nExample:\n  %s\n", d.example)
	}
	fmt.Fprintln(w, "\nGlobal flags: --workdir D, --config F, --log-level debug|info|warn|error, --log-format text|json")
}
