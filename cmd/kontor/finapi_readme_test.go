package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEFinAPI runs the curl commands of the README's finAPI section,
// as a reader would paste them, against a running Kontor.
func TestREADMEFinAPI(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the README's curl commands cannot be run")
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "\n## finAPI\n")
	if start < 0 {
		t.Fatal("the README has no finAPI section")
	}
	end := strings.Index(string(readme)[start+1:], "\n## ")
	section := string(readme)[start : start+1+end]
	var commands []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(curl .*?)\n```").FindAllStringSubmatch(section, -1) {
		commands = append(commands, m[1])
	}
	if len(commands) != 5 {
		t.Fatalf("found %d curl commands in the finAPI section, want 5", len(commands))
	}

	s := startServer(t, sqliteURL(t))
	vars := map[string]string{"<YOUR_NAME>": s.demoName, "<YOUR_SECRET>": s.demoSecret}
	run := func(cmd string, v any) {
		t.Helper()
		cmd = strings.ReplaceAll(cmd, "http://127.0.0.1:8080", s.base)
		for k, val := range vars {
			cmd = strings.ReplaceAll(cmd, k, val)
		}
		out, err := exec.Command("bash", "-c", cmd+" --fail-with-body").CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s\n%s", err, out, cmd)
		}
		if err := json.Unmarshal(out, v); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
	}
	var token struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int    `json:"expires_in"`
	}
	run(commands[0], &token)
	if token.AccessToken == "" || token.ExpiresIn != 3599 {
		t.Fatalf("client token = %+v", token)
	}
	vars["<CLIENT_TOKEN>"] = token.AccessToken
	var user struct{ ID, Password string }
	run(commands[1], &user)
	if user.ID != "username" || user.Password != "password" {
		t.Fatalf("created user = %+v", user)
	}
	run(commands[2], &token)
	if token.AccessToken == "" || token.RefreshToken == "" {
		t.Fatalf("user token = %+v", token)
	}
	var procs struct {
		Processes []struct{ ClientReference, ProcessToken string }
	}
	run(commands[3], &procs)
	if len(procs.Processes) != 1 || procs.Processes[0].ClientReference != "customer-1" {
		t.Fatalf("processes = %+v", procs)
	}
	vars["<PROCESS_TOKEN>"] = procs.Processes[0].ProcessToken
	var exchanged struct{ AccessToken string }
	run(commands[4], &exchanged)
	if exchanged.AccessToken == "" {
		t.Fatal("no access token for the process token")
	}
}
