package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor/bank/sandbox"
)

// readmeCurls returns the curl commands of the README section with the
// given heading, as a reader would paste them; it skips the test when curl
// is not installed.
func readmeCurls(t *testing.T, heading string, want int) []string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the README's curl commands cannot be run")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "\n"+heading+"\n")
	if start < 0 {
		t.Fatalf("the README has no section %q", heading)
	}
	end := strings.Index(string(readme)[start+1:], "\n## ")
	section := string(readme)[start : start+1+end]
	var commands []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(curl .*?)\n```").FindAllStringSubmatch(section, -1) {
		commands = append(commands, m[1])
	}
	if len(commands) != want {
		t.Fatalf("found %d curl commands in the README's %q, want %d", len(commands), heading, want)
	}
	return commands
}

// runCurl runs a README curl command against the server, with the
// placeholders in vars filled in, and returns what it printed.
func runCurl(t *testing.T, s *testServer, vars map[string]string, cmd string) []byte {
	t.Helper()
	cmd = strings.ReplaceAll(cmd, "http://127.0.0.1:8080", s.base)
	for k, v := range vars {
		cmd = strings.ReplaceAll(cmd, k, v)
	}
	out, err := exec.Command("bash", "-c", cmd+" --fail-with-body").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s\n%s", err, out, cmd)
	}
	return out
}

// TestREADMEQuickstart runs the curl commands of the README's quickstart,
// as a reader would paste them, against a running Kontor.
func TestREADMEQuickstart(t *testing.T) {
	commands := readmeCurls(t, "## Quickstart", 4)
	s := startServer(t, sqliteURL(t))
	vars := map[string]string{"<YOUR_NAME>": s.demoName, "<YOUR_SECRET>": s.demoSecret}
	runCurl := func(cmd string) []byte {
		t.Helper()
		return runCurl(t, s, vars, cmd)
	}
	var pair struct{ AccessToken string }
	if err := json.Unmarshal(runCurl(commands[0]), &pair); err != nil || pair.AccessToken == "" {
		t.Fatalf("authenticate: %v", err)
	}
	vars["<ACCESS_TOKEN>"] = pair.AccessToken
	var user struct{ ID string }
	if err := json.Unmarshal(runCurl(commands[1]), &user); err != nil || user.ID == "" {
		t.Fatalf("create user: %v", err)
	}
	vars["<USER_ID>"] = user.ID
	if out := runCurl(commands[2]); len(out) != 0 {
		t.Fatalf("set logins printed %q, want nothing (204)", out)
	}
	var got struct {
		Logins []struct {
			ID       string
			Accounts []struct {
				Transactions []struct{ Amount json.Number }
			}
		}
	}
	if err := json.Unmarshal(runCurl(commands[3]), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Logins) != 1 || got.Logins[0].ID != "5d7267d1b747aa683d88668f" || got.Logins[0].Accounts[0].Transactions[0].Amount != "24.99" {
		t.Fatalf("get logins = %+v", got)
	}
}

// TestREADMEListsSandboxLogins keeps the README's table of sandbox logins
// in step with the sandbox bank.
func TestREADMEListsSandboxLogins(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), sandbox.ScenariosMarkdown()) {
		t.Fatalf("README.md lacks the current sandbox table:\n%s", sandbox.ScenariosMarkdown())
	}
}
