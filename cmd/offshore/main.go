// Command offshore ingests offshoring operators' Excel returns into a Parquet
// warehouse, forecasts the sector's series and assesses the performance
// contracts' targets. Run `offshore help` for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/offshore-ma/offshore/config"
	"github.com/offshore-ma/offshore/internal/progress"
	"github.com/offshore-ma/offshore/pipeline"
)

// Exit codes, as the README documents them (Commands, **Exit codes**).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitRejected    = 3
	exitUndelivered = 4
	exitInterrupted = 130
)

// errUsage marks bad usage or configuration (exit code 2).
var errUsage = errors.New("usage")

// usageError wraps an error as bad usage.
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// globals are the flags every command takes.
type globals struct {
	workdir   string
	config    string
	logLevel  string
	logFormat string
	stdout    io.Writer
	stderr    io.Writer
	log       *slog.Logger
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.workdir, "workdir", g.workdir, "working folder (paths in the configuration resolve against it)")
	fs.StringVar(&g.config, "config", g.config, "configuration file (default: <workdir>/offshore.yaml, else the embedded defaults)")
	fs.StringVar(&g.logLevel, "log-level", g.logLevel, "debug, info, warn or error")
	fs.StringVar(&g.logFormat, "log-format", g.logFormat, "text or json")
}

// setup builds the logger once flags are parsed.
func (g *globals) setup() error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return usageError("--log-level %q: want debug, info, warn or error", g.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch g.logFormat {
	case "text":
		g.log = slog.New(slog.NewTextHandler(g.stderr, opts))
	case "json":
		g.log = slog.New(slog.NewJSONHandler(g.stderr, opts))
	default:
		return usageError("--log-format %q: want text or json", g.logFormat)
	}
	return nil
}

// loadConfig loads the configuration for the working folder.
func (g *globals) loadConfig() (*config.Config, error) {
	cfg, err := config.Load(g.config, g.workdir)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUsage, err)
	}
	return cfg, nil
}

// loadWorkdir is loadConfig for the commands that write to the working
// folder (or read its warehouse): it must have been initialised, with its
// offshore.yaml or an existing warehouse, or be named by --config. A
// mistyped --workdir otherwise made a new, empty warehouse and ingested
// into it with exit 0 (issue 19).
func (g *globals) loadWorkdir() (*config.Config, error) {
	cfg, err := g.loadConfig()
	if err != nil {
		return nil, err
	}
	if g.config != "" {
		return cfg, nil
	}
	if st, err := os.Stat(filepath.Join(g.workdir, config.SettingsFile)); err == nil && st.Mode().IsRegular() {
		return cfg, nil
	}
	if st, err := os.Stat(cfg.Settings.Paths.Warehouse); err == nil && st.IsDir() {
		return cfg, nil
	}
	return nil, usageError("not a working folder: run `offshore init --dir %s` (%s has neither %s nor a warehouse; or give --workdir or --config)",
		g.workdir, g.workdir, config.SettingsFile)
}

// reporter is the progress.Reporter of a command: a bar on stderr when it
// is a terminal, else a progress line on the log at most every 10 s. It is
// chosen when the work starts, once the command has built its logger.
type reporter struct{ g *globals }

func (r reporter) Start(what, unit string, total int) progress.Counter {
	return progress.ForTerminal(r.g.stderr, r.g.log).Start(what, unit, total)
}

// command is one subcommand: its name, a line of help, and how to run it.
type command struct {
	name, args, help string
	run              func(ctx context.Context, g *globals, args []string) error
}

var commands = []command{
	{"demo", "[--dir D]", "synthetic returns → full pipeline → summary workbook, in a new folder (default: <workdir>/offshore-demo)", cmdDemo},
	{"init", "[--dir D]", "a working folder (default: --workdir): offshore.yaml, targets.yaml, mappings.yaml, inbox/, warehouse/, quarantine/, outbox/;\n" +
		"            files already there are kept", cmdInit},
	{"template", "--out F.xlsx [--lang fr|en]", "the blank return template operators fill in", cmdTemplate},
	{"gen", "--out D [--operators N --from 2015Q1 --to 2018Q4 --seed S --lang fr|en]\n" +
		"            | --scale national --out D [--operators N --from Q --to Q --federation-rows N --seed S]\n" +
		"            | --scale series --out D [--series N --seed S]",
		"synthetic returns (deterministic by --seed); --scale: the national benchmark workloads (bench/README.md)", cmdGen},
	{"validate", "FILE... [--format text|json] [--lang fr|en]", "dry run: every problem of each workbook, per cell; writes nothing", cmdValidate},
	{"mappings", "suggest FILE...", "the mappings.yaml aliases that would make the headers of these workbooks read (to review)", cmdMappings},
	{"ingest", "[--backfill] [PATH...]", "ingest workbooks (default: the configured inbox) into the warehouse; --backfill: an archive, received at the files' own dates", cmdIngest},
	{"forecast", "[--as-of Q|DATE] [--target-set ID] [--model M] [--format table|json]\n" +
		"            | --sector S|--region R [--metric M] [--horizon YEAR] [--target V] [--what-if W,...] [--format table|json|csv|xlsx] [--out F] [--plot DIR]\n" +
		"            | --input FILE --horizon H [--target V] [--model M] [--format csv|json|xlsx] [--csv-style fr|en] [--out F] [--plot DIR]",
		"assess the targets (records the run in warehouse/runs), ask the warehouse about any series (with what-ifs), or forecast an analyst's own series", cmdForecast},
	{"report", "[--out F] [--as-of Q|DATE]", "write the ministry workbook (default: outbox/<report.file_prefix>_<as-of>_<run id>.xlsx)", cmdReport},
	{"export", "TABLE [--as-of Q|DATE] [--format csv|json|parquet] [--out F]", "write a table: returns, panel, series, problems, runs or forecasts", cmdExport},
	{"verify", "", "check every raw file and Parquet part against the sizes and sha256 the catalog recorded at commit", cmdVerify},
	{"repair", "", "rebuild a damaged warehouse (catalog lost, emptied or older than the data) from raw/, in the recorded order; removes nothing", cmdRepair},
	{"compact", "", "rewrite the warehouse's many small Parquet files into few, same content", cmdCompact},
	{"run", "[--backfill]", "ingest + compaction when due + forecast + report: the nightly job", cmdRun},
	{"user", "add|reset|remove NAME [--role viewer|analyst|admin] [--api-key] | list", "the people who may use the daemon's page and API (schedule.users_file); the password is read from the terminal or stdin", cmdUser},
	{"schedule", "[--listen ADDR]", "cron daemon (by default a nightly run and an hourly ingest, with catch-up) and HTTP API, /healthz, /metrics, analysts' page", cmdSchedule},
	{"prune", "[--dry-run]", "remove what retention (offshore.yaml) lets go: old run records, ad-hoc charts, quarantined copies, superseded workbooks", cmdPrune},
	{"version", "", "version, commit, build date and Go version of this binary (also: offshore --version)", cmdVersion},
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses the command line, runs the command and maps its error to an exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{workdir: ".", logLevel: "info", logFormat: "text", stdout: stdout, stderr: stderr}
	top := flag.NewFlagSet("offshore", flag.ContinueOnError)
	top.SetOutput(stderr)
	g.register(top)
	showVersion := top.Bool("version", false, "print the version and exit")
	top.Usage = func() { usage(stderr) }
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *showVersion {
		printVersion(stdout)
		return exitOK
	}
	rest := top.Args()
	if len(rest) >= 2 && rest[0] == "help" { // offshore help CMD: CMD -h, on stdout
		for _, c := range commands {
			if c.name == rest[1] {
				g.stderr = stdout
				return exitCode(c.run(ctx, g, []string{"-h"}), g, stderr)
			}
		}
		fmt.Fprintf(stderr, "offshore: unknown command %q; run `offshore help`\n", rest[1])
		return exitUsage
	}
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" || rest[0] == "--help" {
		usage(stdout)
		if len(rest) == 0 {
			return exitUsage
		}
		return exitOK
	}
	ctx = progress.With(ctx, reporter{g})
	for _, c := range commands {
		if c.name == rest[0] {
			return exitCode(c.run(ctx, g, rest[1:]), g, stderr)
		}
	}
	fmt.Fprintf(stderr, "offshore: unknown command %q; run `offshore help`\n", rest[0])
	return exitUsage
}

func exitCode(err error, g *globals, stderr io.Writer) int {
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "offshore: interrupted")
		return exitInterrupted
	case errors.Is(err, pipeline.ErrDelivery):
		fmt.Fprintf(stderr, "offshore: %v\n", err)
		return exitUndelivered
	case errors.Is(err, pipeline.ErrRejected):
		fmt.Fprintf(stderr, "offshore: %v\n", err)
		return exitRejected
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "offshore: %s\n", strings.TrimPrefix(err.Error(), errUsage.Error()+": "))
		return exitUsage
	default:
		fmt.Fprintf(stderr, "offshore: %v\n", err)
		return exitFailure
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "offshore: Morocco's offshoring returns → Parquet warehouse → forecasts → target assessment.")
	fmt.Fprintln(w, "\nUsage: offshore [global flags] COMMAND [arguments] [flags]; offshore help COMMAND (or COMMAND -h): its arguments, choices and an example")
	fmt.Fprintln(w, "A command's flags may come before or after its arguments; \"--\" ends them.\n\nCommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n            %s\n", c.name, c.args, c.help)
	}
	fmt.Fprintln(w, "\nGlobal flags (before or after the command): --workdir D, --config F, --log-level debug|info|warn|error, --log-format text|json; --version")
	fmt.Fprintln(w, "Exit codes (README.md, Commands): 0 all good; 1 failure; 2 bad usage or configuration; 3 finished, but some input was rejected; 4 the nightly workbook was written but not delivered by mail; 130 interrupted.")
}

// parseFlags parses a command's flags (with the global ones) and sets up
// logging. Flags may come before, between or after the positional arguments
// (see parseInterleaved); fs.Args() then holds the positional ones, in order.
func parseFlags(g *globals, fs *flag.FlagSet, args []string) error {
	fs.SetOutput(g.stderr)
	g.register(fs)
	name, _, _ := strings.Cut(fs.Name(), " ")
	fs.Usage = func() { commandUsage(fs.Output(), name, fs) }
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	// Leave exactly the positional arguments in fs.Args(): Parse stops at
	// "--" and keeps what follows it as arguments, setting no flag.
	if err := fs.Parse(append([]string{"--"}, pos...)); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return g.setup()
}

// parseFlagsOnly is parseFlags for a command that takes no argument: one
// left over (`offshore forecast 2017Q4`, meant as --as-of) is a usage error
// rather than silently ignored.
func parseFlagsOnly(g *globals, fs *flag.FlagSet, args []string) error {
	if err := parseFlags(g, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("%s: unexpected argument %q (see offshore %s -h)", fs.Name(), fs.Arg(0), fs.Name())
	}
	return nil
}

// parseInterleaved parses fs's flags wherever they stand among args
// (`ingest FILE --workdir D` as `ingest --workdir D FILE`) and returns the
// positional arguments in order. The flag package stops at the first
// positional argument; so parse, set that argument aside, and parse the rest
// again, until none is left. "--" ends the flags: everything after it is
// positional, even when it starts with "-".
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var tail []string
	if i := endOfFlags(fs, args); i >= 0 {
		args, tail = args[:i], args[i+1:]
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return append(pos, tail...), nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// endOfFlags returns the index of the "--" that ends the flags in args, or
// -1. It reads args as the flag package does, so that a "--" given as a
// flag's value (--out --) is not taken for the end of the flags: -name=value
// and boolean flags stand alone, any other flag takes the next argument.
func endOfFlags(fs *flag.FlagSet, args []string) int {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return i
		}
		if len(a) < 2 || a[0] != '-' || strings.Contains(a, "=") {
			continue
		}
		f := fs.Lookup(strings.TrimLeft(a, "-"))
		if f == nil {
			continue // an unknown flag: Parse reports it
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		i++ // its value
	}
	return -1
}
