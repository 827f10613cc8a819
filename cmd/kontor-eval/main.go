// Command kontor-eval measures Kontor's transaction analysis against the
// labelled evaluation set in testdata/analysis and prints category
// accuracy per category and overall, salary precision and recall, and the
// F1 score of recurring-contract detection.
//
// Usage:
//
//	go run ./cmd/kontor-eval [-data testdata/analysis] [-rules client.yaml] [-v]
//
// With -rules, an API client's rules file is laid over the built-in rules
// first. -v lists every miscategorised transaction, every contract not
// found and every series that matches no contract. The exit status is 1
// when a target is missed.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kontor-dev/kontor/analysis"
	"github.com/kontor-dev/kontor/analysis/evaluation"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "kontor-eval:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("kontor-eval", flag.ContinueOnError)
	data := fs.String("data", "testdata/analysis", "directory of the evaluation set")
	rules := fs.String("rules", "", "a client rules file to lay over the built-in rules")
	verbose := fs.Bool("v", false, "list mistakes, contracts not found and extra series")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := analysis.Default()
	if *rules != "" {
		var b []byte
		if b, err = os.ReadFile(*rules); err != nil {
			return fmt.Errorf("reading rules: %w", err)
		}
		c, err = analysis.WithClientRules(*rules, b)
	}
	if err != nil {
		return err
	}
	set, err := evaluation.Load(*data)
	if err != nil {
		return err
	}
	res, err := evaluation.Evaluate(c, set)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "evaluation set %s: %d users, %d transactions\n\n", *data, len(set.Users), set.Transactions())
	if err := res.Print(out, *verbose); err != nil {
		return err
	}
	if missed := res.Check(evaluation.DefaultTargets); len(missed) > 0 {
		fmt.Fprintln(out)
		for _, m := range missed {
			fmt.Fprintln(out, "MISSED:", m)
		}
		return fmt.Errorf("%d target(s) missed", len(missed))
	}
	fmt.Fprintln(out, "\nall targets met")
	return nil
}
