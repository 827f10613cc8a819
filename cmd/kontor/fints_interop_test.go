package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// Interoperability tests: independent FinTS clients (lib-fints from npm,
// AqBanking from Debian) fetch the sandbox bank's data from a running
// Kontor at /fints/sandbox, answering the TAN challenge as a person would,
// and the tests compare what they got with sandbox.Generate's data for the
// same login and day. .ci/run installs both clients; without them the
// tests skip and say what to install.

// interopFrom is the first day the clients ask transactions for: before
// the sandbox history starts, so that they get all of it.
func interopFrom(asOf time.Time) time.Time {
	from := asOf
	for _, a := range sandbox.Generate(sandbox.DummyLogin, asOf) {
		if !a.From.IsZero() && a.From.Before(from) {
			from = a.From
		}
	}
	return from.AddDate(0, 0, -7)
}

// sameDay skips a test whose data day changed while it ran (around
// midnight UTC): the bank's data and the comparison would differ.
func sameDay(t *testing.T, asOf time.Time) {
	t.Helper()
	if now := time.Now().UTC(); now.Format(time.DateOnly) != asOf.UTC().Format(time.DateOnly) {
		t.Skip("the day changed while the test ran; the sandbox data changed with it")
	}
}

// wantTx is one expected transaction: booking day and amount.
type wantTx struct {
	Day    string
	Amount string
}

// expected lists an account's transactions booked from a day on (and the
// pending ones when withPending), as "amount" strings in order.
func expected(a sandbox.AccountData, from time.Time, withPending bool) []wantTx {
	var out []wantTx
	for _, tx := range a.Transactions {
		if !tx.Booked && !withPending {
			continue
		}
		if tx.Booked && tx.BookingDate.Time.Before(from) {
			continue
		}
		out = append(out, wantTx{Day: tx.BookingDate.Time.UTC().Format(time.DateOnly), Amount: tx.Amount.String()})
	}
	return out
}

// sameAmounts compares amounts as exact decimals.
func sameAmounts(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d transactions, want %d", what, len(got), len(want))
		return
	}
	for i := range got {
		g, err := kontor.ParseAmount(got[i])
		if err != nil {
			t.Fatalf("%s: transaction %d: amount %q: %v", what, i, got[i], err)
		}
		if !g.Equal(kontor.MustParseAmount(want[i])) {
			t.Errorf("%s: transaction %d amount %s, want %s", what, i, got[i], want[i])
			return
		}
	}
}

// equalAmount reports whether the decimal string got equals want.
func equalAmount(got string, want kontor.Amount) bool {
	a, err := kontor.ParseAmount(got)
	return err == nil && a.Equal(want)
}

// libfintsResult is what interop/libfints/fetch.mjs prints.
type libfintsResult struct {
	TANMethods        []int    `json:"tanMethods"`
	SelectedTANMethod int      `json:"selectedTanMethod"`
	TANVersion        int      `json:"tanVersion"`
	Challenges        []string `json:"challenges"`
	Accounts          []struct {
		AccountNumber string  `json:"accountNumber"`
		IBAN          *string `json:"iban"`
		Type          string  `json:"type"`
		Owner         *string `json:"owner"`
		Balance       *string `json:"balance"`
		Transactions  []struct {
			Amount  string `json:"amount"`
			Date    string `json:"date"`
			Purpose string `json:"purpose"`
		} `json:"transactions"`
		Holdings []struct {
			ISIN     string `json:"isin"`
			Quantity string `json:"quantity"`
			Value    string `json:"value"`
		} `json:"holdings"`
		TotalValue *string `json:"totalValue"`
	} `json:"accounts"`
	Errors []string `json:"errors"`
}

// TestFinTSInteropLibFints fetches the sandbox bank's data with the npm
// package lib-fints (HKTAN 7): synchronisation, TAN method selection,
// dialog initialisation with a TAN challenge, then balance, transactions
// (camt.052) and holdings (MT535) of every account, each in a dialog of
// its own with its own challenge.
func TestFinTSInteropLibFints(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed; .ci/run installs it with lib-fints (npm ci --prefix interop/libfints)")
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "interop", "libfints"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "lib-fints", "package.json")); err != nil {
		t.Skip("lib-fints is not installed: run npm ci --prefix interop/libfints (as .ci/run does)")
	}
	s := startServer(t, sqliteURL(t))
	asOf := time.Now()
	from := interopFrom(asOf)

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "fetch.mjs", s.base+"/fints/sandbox", sandbox.BankCode, sandbox.DummyLogin, sandbox.DummyPIN,
		from.Format(time.DateOnly))
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var got libfintsResult
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("lib-fints printed no result (%v, %v): %s\n%s", runErr, err, stdout.Bytes(), stderr.Bytes())
	}
	if runErr != nil || len(got.Errors) > 0 {
		t.Fatalf("lib-fints failed (%v): %v\n%s", runErr, got.Errors, stderr.Bytes())
	}
	sameDay(t, asOf)

	if !slices.Equal(got.TANMethods, []int{921}) || got.SelectedTANMethod != 921 || got.TANVersion != 7 {
		t.Errorf("TAN methods %v, selected %d with HKTAN %d; want 921 with HKTAN 7", got.TANMethods, got.SelectedTANMethod, got.TANVersion)
	}
	if len(got.Challenges) == 0 {
		t.Error("lib-fints answered no TAN challenge")
	}
	for _, c := range got.Challenges {
		if !regexp.MustCompile(`^Sandbox: Ihre TAN für Sandbox-TAN lautet \d{6}\.$`).MatchString(c) {
			t.Errorf("challenge %q", c)
		}
	}
	want := sandbox.Generate(sandbox.DummyLogin, asOf)
	if len(got.Accounts) != len(want) {
		t.Fatalf("lib-fints fetched %d accounts, want %d", len(got.Accounts), len(want))
	}
	for i, w := range want {
		g := got.Accounts[i]
		if g.AccountNumber != w.Number || (g.IBAN != nil) != (w.IBAN != "") || (g.IBAN != nil && *g.IBAN != w.IBAN) {
			t.Errorf("account %d: %s %v, want %s %s", i, g.AccountNumber, g.IBAN, w.Number, w.IBAN)
		}
		if g.Owner == nil || *g.Owner != w.Owner {
			t.Errorf("%s: owner %v, want %s", w.Name, g.Owner, w.Owner)
		}
		if w.Type == kontor.AccountDepot {
			if len(g.Holdings) != len(w.Securities) {
				t.Fatalf("%s: %d holdings, want %d", w.Name, len(g.Holdings), len(w.Securities))
			}
			for j, h := range g.Holdings {
				ws := w.Securities[j]
				if h.ISIN != ws.ISIN || !equalAmount(h.Quantity, ws.Quantity) || !equalAmount(h.Value, ws.Amount) {
					t.Errorf("%s: holding %d %+v, want %s %s worth %s", w.Name, j, h, ws.ISIN, ws.Quantity, ws.Amount)
				}
			}
			if g.TotalValue == nil || !equalAmount(*g.TotalValue, w.Balance) {
				t.Errorf("%s: total %v, want %s", w.Name, g.TotalValue, w.Balance)
			}
			t.Logf("lib-fints: %s %s: %d holdings worth %s", w.Name, w.Number, len(g.Holdings), deref(g.TotalValue))
			continue
		}
		if g.Balance == nil || !equalAmount(*g.Balance, w.Balance) {
			t.Errorf("%s: balance %v, want %s", w.Name, g.Balance, w.Balance)
		}
		var amounts []string
		for _, tx := range g.Transactions {
			amounts = append(amounts, tx.Amount)
		}
		var wantAmounts []string
		for _, tx := range expected(w, from, false) {
			wantAmounts = append(wantAmounts, tx.Amount)
		}
		sameAmounts(t, w.Name+" (lib-fints)", amounts, wantAmounts)
		t.Logf("lib-fints: %s %s: balance %s, %d transactions", w.Name, w.Number, deref(g.Balance), len(g.Transactions))
	}
}

func deref(s *string) string {
	if s == nil {
		return "<none>"
	}
	return *s
}

// aqbanking drives AqBanking's command-line tools on a configuration of
// its own.
type aqbanking struct {
	t   *testing.T
	cfg string
	ctx context.Context
}

// run runs an AqBanking tool non-interactively and returns its output.
func (aq *aqbanking) run(tool string, args ...string) string {
	aq.t.Helper()
	cmd := exec.CommandContext(aq.ctx, tool, append([]string{"-D", aq.cfg}, args...)...)
	cmd.Dir = aq.cfg
	out, err := cmd.CombinedOutput()
	if err != nil {
		aq.t.Fatalf("%s %s: %v\n%s", tool, strings.Join(args, " "), err, aqLog(out))
	}
	return string(out)
}

// aqLog drops AqBanking's noise about missing legacy settings.
func aqLog(out []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(out), "\n") {
		if !strings.Contains(l, "banking_update.c") {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

var aqTANRE = regexp.MustCompile(`lautet (\d{6})\.`)

// request runs "aqbanking-cli request" and types the TAN the sandbox
// shows in its challenge when AqBanking asks for it, as a person at the
// console would. It returns the challenges seen.
func (aq *aqbanking) request(args ...string) []string {
	aq.t.Helper()
	argv := append([]string{"-o0", "aqbanking-cli", "-D", aq.cfg, "-P", filepath.Join(aq.cfg, "pins"), "request"}, args...)
	// stdbuf unbuffers AqBanking's console output, so that the challenge
	// shows while it waits for the TAN.
	cmd := exec.CommandContext(aq.ctx, "stdbuf", argv...)
	cmd.Dir = aq.cfg
	stdin, err := cmd.StdinPipe()
	if err != nil {
		aq.t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		aq.t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		aq.t.Fatal(err)
	}
	var (
		mu         sync.Mutex
		transcript strings.Builder
		challenges []string
	)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := bufio.NewReader(stdout)
		var line []byte
		for {
			c, err := r.ReadByte()
			if err != nil {
				return
			}
			line = append(line, c)
			if m := aqTANRE.FindSubmatch(line); m != nil {
				mu.Lock()
				challenges = append(challenges, string(line))
				transcript.Write(line)
				mu.Unlock()
				_, _ = io.WriteString(stdin, string(m[1])+"\n")
				line = nil
			}
			if c == '\n' {
				mu.Lock()
				transcript.Write(line)
				mu.Unlock()
				line = nil
			}
		}
	}()
	<-done
	stdin.Close()
	err = cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		aq.t.Fatalf("aqbanking-cli request: %v\n%s\n%s", err, transcript.String(), aqLog(stderr.Bytes()))
	}
	aq.t.Logf("aqbanking-cli request %s:\n%s", strings.Join(args, " "), transcript.String())
	return challenges
}

// TestFinTSInteropAqBanking sets up a user with aqhbci-tool4 (adduser,
// getsysid, getaccounts), selects the sandbox's TAN method for HKTAN 6,
// then fetches balances and transactions of all accounts with
// aqbanking-cli, answering the TAN challenge of the dialog
// initialisation, and compares listbal and listtrans with the sandbox's
// data.
func TestFinTSInteropAqBanking(t *testing.T) {
	for _, tool := range []string{"aqhbci-tool4", "aqbanking-cli", "stdbuf"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: apt-get install aqbanking-tools (as .ci/run does)", tool)
		}
	}
	s := startServer(t, sqliteURL(t))
	asOf := time.Now()
	from := interopFrom(asOf)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	aq := &aqbanking{t: t, cfg: t.TempDir(), ctx: ctx}
	// The PIN file, in the format aqhbci-tool4 mkpinlist writes.
	pins := fmt.Sprintf("PIN_%s_%s = \"%s\"\n", sandbox.BankCode, sandbox.DummyLogin, sandbox.DummyPIN)
	if err := os.WriteFile(filepath.Join(aq.cfg, "pins"), []byte(pins), 0o600); err != nil {
		t.Fatal(err)
	}
	pinfile := filepath.Join(aq.cfg, "pins")

	aq.run("aqhbci-tool4", "-n", "adduser", "-N", "sandbox", "-b", sandbox.BankCode, "-u", sandbox.DummyLogin,
		"-c", sandbox.DummyLogin, "-t", "pintan", "-s", s.base+"/fints/sandbox", "--hbciversion=300")
	aq.run("aqhbci-tool4", "-n", "-P", pinfile, "getsysid", "-u", "1")
	aq.run("aqhbci-tool4", "-n", "-P", pinfile, "getaccounts", "-u", "1")
	accounts := aq.run("aqhbci-tool4", "listaccounts")
	want := sandbox.Generate(sandbox.DummyLogin, asOf)
	for _, w := range want {
		if !strings.Contains(accounts, "Account Number: "+w.Number) {
			t.Errorf("listaccounts lacks %s:\n%s", w.Number, aqLog([]byte(accounts)))
		}
	}
	modes := aq.run("aqhbci-tool4", "listitanmodes", "-u", "1")
	if !strings.Contains(modes, "6921") || !strings.Contains(modes, "[available]") {
		t.Fatalf("TAN method 921 for HKTAN 6 is not available:\n%s", aqLog([]byte(modes)))
	}
	aq.run("aqhbci-tool4", "setitanmode", "-u", "1", "-m", "6921")

	ctxFile := filepath.Join(aq.cfg, "ctx")
	challenges := aq.request("-b", sandbox.BankCode, "--balance", "--transactions", "--ignoreUnsupported",
		"--fromdate="+from.Format("20060102"), "-c", ctxFile)
	if len(challenges) != 1 {
		t.Errorf("AqBanking answered %d TAN challenges, want 1 (the dialog initialisation)", len(challenges))
	}
	sameDay(t, asOf)

	// listbal: date, booked balance, account (IBAN or number).
	balances := map[string]string{}
	for _, l := range strings.Split(aq.run("aqbanking-cli", "listbal", "-c", ctxFile), "\n") {
		f := strings.Split(l, "\t")
		if len(f) >= 3 && !strings.Contains(l, ".c:") {
			balances[f[2]] = f[1]
		}
	}
	// listtrans: date, amount, bank code, account number, …
	type tx struct{ day, amount string }
	txs := map[string][]tx{}
	for _, l := range strings.Split(aq.run("aqbanking-cli", "listtrans", "-c", ctxFile), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 4 || strings.Contains(l, ".c:") {
			continue
		}
		txs[f[3]] = append(txs[f[3]], tx{f[0], f[1]})
	}
	for _, w := range want {
		if w.Type == kontor.AccountDepot {
			continue
		}
		key := w.IBAN
		if key == "" {
			key = w.Number
		}
		if b, ok := balances[key]; !ok || !equalAmount(b, w.Balance) {
			t.Errorf("%s: listbal %q, want %s", w.Name, b, w.Balance)
		}
		var got, wantAmounts []string
		for _, x := range txs[w.Number] {
			got = append(got, x.amount)
		}
		for _, x := range expected(w, from, true) {
			wantAmounts = append(wantAmounts, x.Amount)
		}
		slices.SortFunc(got, compareAmounts)
		slices.SortFunc(wantAmounts, compareAmounts)
		sameAmounts(t, w.Name+" (AqBanking)", got, wantAmounts)
		t.Logf("AqBanking: %s %s: balance %s, %d transactions", w.Name, w.Number, balances[key], len(got))
	}
}

// compareAmounts orders decimal strings numerically.
func compareAmounts(a, b string) int {
	x, errX := kontor.ParseAmount(a)
	y, errY := kontor.ParseAmount(b)
	if errX != nil || errY != nil {
		return strings.Compare(a, b)
	}
	return x.Cmp(y)
}
