// Command kontor runs Kontor, the self-hostable open-banking platform.
//
//	kontor serve                     start the API server
//	kontor client create --name N    create an API client and print its secret
//	kontor version                   print the version
//
// Settings come from flags or, where a flag is not given, from environment
// variables (KONTOR_ADDR, KONTOR_DATABASE_URL, ...). Every secret setting
// can also be read from a file named by the variable with a _FILE suffix.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "kontor:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `Kontor — self-hostable open banking.

Usage:
  kontor serve [--addr ADDR] [--db URL]        start the API server
  kontor client create --name NAME [--secret SECRET] [--db URL]
                                               create an API client; prints {"name","secret"}
  kontor client finapi --name NAME [--client-token-ttl D] [--user-token-ttl D]
                       [--refresh-token-ttl D] [--db URL]
                                               set a client's finAPI token lifetimes
  kontor version                               print the version

Run "kontor COMMAND --help" for a command's flags and environment variables.
`

// run dispatches a command line.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "client":
		if len(args) >= 2 && args[1] == "finapi" {
			return clientFinAPI(ctx, args[2:], getenv, stdout, stderr)
		}
		if len(args) < 2 || args[1] != "create" {
			fmt.Fprint(stderr, usage)
			return errUsage
		}
		return createClient(ctx, args[2:], getenv, stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "kontor", Version())
		return nil
	case "help", "--help", "-h", "-help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "kontor: unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
}

// Version returns the build's version: the one set at link time, else the
// module version or VCS revision recorded by the Go toolchain.
func Version() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "-dirty"
	}
	return "devel-" + rev
}
