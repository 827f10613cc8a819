package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run([]string{"-data", "../../testdata/analysis"}, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{"overall", "salary: precision", "recurring contracts:", "F1", "all targets met"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunWithClientRules(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "acme.yaml")
	// Switching off the salary rules costs salary recall: the run fails.
	if err := os.WriteFile(rules, []byte("version: 1\nrules:\n  - {id: salary-gvc, disabled: true}\n  - {id: salary-purpose-code, disabled: true}\n  - {id: salary-words, disabled: true}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run([]string{"-data", "../../testdata/analysis", "-rules", rules}, &out)
	if err == nil || !strings.Contains(out.String(), "MISSED: salary recall") {
		t.Errorf("error %v, output:\n%s", err, out.String())
	}
	if err := os.WriteFile(rules, []byte("version: 1\nrules:\n  - {id: x, category: nope.nope}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-data", "../../testdata/analysis", "-rules", rules}, &out); err == nil || !strings.Contains(err.Error(), "nope.nope") {
		t.Errorf("bad rules: %v", err)
	}
}
