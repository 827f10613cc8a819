package finapiclient

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGeneratedClientIsCurrent regenerates the client from the document
// into a temporary file and fails when it differs from the committed one:
// run "go generate ./finapi/finapiclient" after changing openapi.yaml.
func TestGeneratedClientIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerating the client builds the generator; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go command is not on PATH; cannot regenerate the client")
	}
	out := filepath.Join(t.TempDir(), "finapiclient.gen.go")
	cmd := exec.Command(gobin, "tool", "oapi-codegen", "-config", "config.yaml", "-o", out, "../openapi.yaml")
	// Building the generator the first time is heavy; one compiler at a
	// time leaves the other packages' tests, which run meanwhile, a core.
	cmd.Env = append(os.Environ(), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -p=1"))
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("regenerating the client: %v\n%s", err, b)
	}
	fresh, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile("finapiclient.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Fatal("finapiclient.gen.go is stale: run go generate ./finapi/finapiclient and commit the result")
	}
}
