package main

import (
	"encoding/json"
	"testing"
)

// TestREADMEFinAPI runs the curl commands of the README's finAPI section,
// as a reader would paste them, against a running Kontor.
func TestREADMEFinAPI(t *testing.T) {
	commands := readmeCurls(t, "## finAPI", 5)
	s := startServer(t, sqliteURL(t))
	vars := map[string]string{"<YOUR_NAME>": s.demoName, "<YOUR_SECRET>": s.demoSecret}
	run := func(cmd string, v any) {
		t.Helper()
		out := runCurl(t, s, vars, cmd)
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
