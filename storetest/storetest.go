// Package storetest holds the contract every kontor.Store must meet. Each
// store package runs it against its own backends, so SQLite and PostgreSQL
// are held to exactly the same behaviour.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kontor-dev/kontor"
)

// Backend opens stores for the contract tests.
type Backend struct {
	// Open returns a new, empty store that is closed when tb ends.
	Open func(tb testing.TB) kontor.Store
	// FailTransactionInserts makes the database itself reject, from now
	// on, every transaction row whose purpose is purpose, the way a full
	// disk or a broken constraint would fail a write half way through.
	FailTransactionInserts func(tb testing.TB, s kontor.Store, purpose string)
}

// Run runs the whole contract.
func Run(t *testing.T, b Backend) {
	tests := []struct {
		name string
		fn   func(*testing.T, Backend)
	}{
		{"Settings", testSettings},
		{"Clients", testClients},
		{"RefreshTokens", testRefreshTokens},
		{"Users", testUsers},
		{"UsersPaging", testUsersPaging},
		{"TenantIsolation", testTenantIsolation},
		{"LoginsRoundTrip", testLoginsRoundTrip},
		{"LoginsManyAccounts", testLoginsManyAccounts},
		{"EncodedLogins", testEncodedLogins},
		{"LoginsReplace", testLoginsReplace},
		{"LoginsReplaceAtomic", testLoginsReplaceAtomic},
		{"LoginsLarge", testLoginsLarge},
		{"DeleteLogin", testDeleteLogin},
		{"DeleteUserCascades", testDeleteUserCascades},
		{"ConcurrentWrites", testConcurrentWrites},
		{"FinAPIClientSettings", testFinAPIClientSettings},
		{"FinAPIUsers", testFinAPIUsers},
		{"FinAPILoginLock", testFinAPILoginLock},
		{"FinAPITokens", testFinAPITokens},
		{"Processes", testProcesses},
		{"ProcessesConcurrent", testProcessesConcurrent},
		{"ConnectSessions", testConnectSessions},
		{"AnalysisQueue", testAnalysisQueue},
		{"AnalysisBatchClaim", testAnalysisBatchClaim},
		{"AnalysisLargeSave", testAnalysisLargeSave},
		{"AnalysisRaces", testAnalysisRaces},
		{"ClientRules", testClientRules},
		{"Refresh", testRefresh},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, b) })
	}
}

var ctx = context.Background()

func mustClient(t testing.TB, s kontor.Store, name string) *kontor.Client {
	t.Helper()
	c := &kontor.Client{ID: kontor.NewID(), Name: name, SecretHash: "$argon2id$test", APIVersion: kontor.DefaultAPIVersion, RateLimit: 10, RateBurst: 20}
	if err := s.CreateClient(ctx, c); err != nil {
		t.Fatalf("CreateClient: %v", err)
	}
	return c
}

func mustUser(t testing.TB, s kontor.Store, c *kontor.Client) *kontor.User {
	t.Helper()
	u := &kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	return u
}

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kontor.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func testSettings(t *testing.T, b Backend) {
	s := b.Open(t)
	calls := 0
	create := func() (string, error) { calls++; return fmt.Sprintf("value-%d", calls), nil }
	v1, err := s.Setting(ctx, "k", create)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := s.Setting(ctx, "k", create)
	if err != nil {
		t.Fatal(err)
	}
	if v1 != "value-1" || v2 != v1 || calls != 1 {
		t.Fatalf("Setting gave %q then %q after %d creates, want value-1 twice after 1", v1, v2, calls)
	}
	if _, err := s.Setting(ctx, "broken", func() (string, error) { return "", errors.New("no entropy") }); err == nil {
		t.Fatal("Setting with a failing create succeeded")
	}
}

func testClients(t *testing.T, b Backend) {
	s := b.Open(t)
	if n, err := s.CountClients(ctx); err != nil || n != 0 {
		t.Fatalf("CountClients on empty store = %d, %v", n, err)
	}
	c := mustClient(t, s, "acme")
	got, err := s.ClientByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, got, cmp.Comparer(func(a, b time.Time) bool { return a.Sub(b).Abs() < time.Millisecond })); diff != "" {
		t.Errorf("ClientByName mismatch (-want +got):\n%s", diff)
	}
	_, err = s.ClientByName(ctx, "nobody")
	wantCode(t, err, kontor.ENOTFOUND)
	dup := &kontor.Client{ID: kontor.NewID(), Name: "acme", SecretHash: "x", APIVersion: kontor.DefaultAPIVersion}
	wantCode(t, s.CreateClient(ctx, dup), kontor.ECONFLICT)
	if n, err := s.CountClients(ctx); err != nil || n != 1 {
		t.Fatalf("CountClients = %d, %v; want 1", n, err)
	}
}

func testRefreshTokens(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	other := mustClient(t, s, "other")
	now := time.Now()
	tok := kontor.RefreshToken{ID: kontor.NewID(), FamilyID: kontor.NewID(), ClientID: c.ID, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateRefreshToken(ctx, tok); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccessClient(ctx, c.ID, tok.FamilyID); err != nil {
		t.Fatalf("AccessClient on a live family: %v", err)
	}
	_, err := s.AccessClient(ctx, other.ID, tok.FamilyID)
	wantCode(t, err, kontor.EUNAUTHORIZED)

	_, err = s.SpendRefreshToken(ctx, other.ID, tok.ID, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	got, err := s.SpendRefreshToken(ctx, c.ID, tok.ID, now)
	if err != nil {
		t.Fatalf("first spend: %v", err)
	}
	if got.FamilyID != tok.FamilyID || got.ClientID != c.ID {
		t.Fatalf("spent token = %+v, want family %s of client %s", got, tok.FamilyID, c.ID)
	}
	// The next token of the same family is live until the old one is
	// replayed.
	next := kontor.RefreshToken{ID: kontor.NewID(), FamilyID: tok.FamilyID, ClientID: c.ID, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateRefreshToken(ctx, next); err != nil {
		t.Fatal(err)
	}
	_, err = s.SpendRefreshToken(ctx, c.ID, tok.ID, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	_, err = s.SpendRefreshToken(ctx, c.ID, next.ID, now)
	wantCode(t, err, kontor.EUNAUTHORIZED) // the family was revoked by the replay
	_, err = s.AccessClient(ctx, c.ID, tok.FamilyID)
	wantCode(t, err, kontor.EUNAUTHORIZED)

	expired := kontor.RefreshToken{ID: kontor.NewID(), FamilyID: kontor.NewID(), ClientID: c.ID, ExpiresAt: now.Add(-time.Second)}
	if err := s.CreateRefreshToken(ctx, expired); err != nil {
		t.Fatal(err)
	}
	_, err = s.SpendRefreshToken(ctx, c.ID, expired.ID, now)
	wantCode(t, err, kontor.EUNAUTHORIZED)
	_, err = s.SpendRefreshToken(ctx, c.ID, "no-such-token", now)
	wantCode(t, err, kontor.EUNAUTHORIZED)

	n, err := s.DeleteExpiredTokens(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredTokens = %d, %v; want 1", n, err)
	}
}

func testUsers(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := &kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserCompany}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != u.ID || got.Type != kontor.UserCompany || got.ClientID != c.ID || got.CreatedAt.Sub(u.CreatedAt).Abs() > time.Millisecond {
		t.Fatalf("User = %+v, want %+v", got, u)
	}
	wantCode(t, s.CreateUser(ctx, u), kontor.ECONFLICT)
	_, err = s.User(ctx, c.ID, "missing")
	wantCode(t, err, kontor.ENOTFOUND)
	if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.User(ctx, c.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
	wantCode(t, s.DeleteUser(ctx, c.ID, u.ID), kontor.ENOTFOUND)
}

func testUsersPaging(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	var ids []string
	for range 7 {
		ids = append(ids, mustUser(t, s, c).ID)
	}
	var got []string
	for page := 1; page <= 3; page++ {
		users, total, err := s.Users(ctx, c.ID, kontor.Page{Page: page, PerPage: 3})
		if err != nil {
			t.Fatal(err)
		}
		if total != 7 {
			t.Fatalf("total = %d, want 7", total)
		}
		for _, u := range users {
			got = append(got, u.ID)
		}
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Fatalf("paged users differ from creation order (-want +got):\n%s", diff)
	}
	users, _, err := s.Users(ctx, c.ID, kontor.Page{Page: 4, PerPage: 3})
	if err != nil || len(users) != 0 || users == nil {
		t.Fatalf("page past the end = %v, %v; want an empty, non-nil list", users, err)
	}
}

func testTenantIsolation(t *testing.T, b Backend) {
	s := b.Open(t)
	a, z := mustClient(t, s, "a"), mustClient(t, s, "z")
	u := mustUser(t, s, a)
	if err := s.ReplaceUploadedLogins(ctx, a.ID, u.ID, sampleLogins(3)); err != nil {
		t.Fatal(err)
	}
	_, err := s.User(ctx, z.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
	_, err = s.Logins(ctx, z.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
	wantCode(t, s.ReplaceUploadedLogins(ctx, z.ID, u.ID, nil), kontor.ENOTFOUND)
	wantCode(t, s.DeleteLogin(ctx, z.ID, u.ID, "login-0"), kontor.ENOTFOUND)
	wantCode(t, s.DeleteUser(ctx, z.ID, u.ID), kontor.ENOTFOUND)
	if users, total, err := s.Users(ctx, z.ID, kontor.Page{Page: 1, PerPage: 10}); err != nil || total != 0 || len(users) != 0 {
		t.Fatalf("other client lists %d users (%v)", total, err)
	}
	logins, err := s.Logins(ctx, a.ID, u.ID)
	if err != nil || len(logins) != 1 || len(logins[0].Accounts[0].Transactions) != 3 {
		t.Fatalf("owner's data changed after foreign attempts: %v", err)
	}
}

// sampleLogins returns one login with every field set and n transactions.
func sampleLogins(n int) []kontor.Login {
	ts := func(s string) kontor.Timestamp {
		v, err := kontor.ParseTimestamp(s)
		if err != nil {
			panic(err)
		}
		return v
	}
	amt := kontor.MustParseAmount
	acc := kontor.Account{
		IBAN: "DE64100200007791587578", ID: "A38253.f837c3ab353", Number: "83767594", Name: "Girokonto",
		Owner: "Torben Mais", Type: "GIRO", Balance: amt("2004.41"), CreditLine: amt("0"),
		MonthlySpendingLimit: amt("6000"), Currency: "EUR",
		StandingOrders: []kontor.StandingOrder{{
			ID: "so-1", AccountID: "A5ecd", CreationDate: ts("2020-05-26T17:11:22Z"),
			FirstExecutionDate: ts("2020-05-26T17:11:22Z"), LastExecutionDate: ts("2021-05-26T17:11:22.5Z"),
			ExecutionDay: 2, Interval: "MONTHLY", Amount: amt("200"), Currency: "EUR", Purpose: "Taschengeld",
		}, {ID: "", AccountID: "A38253.f837c3ab353", Interval: "YEARLY", Amount: amt("-12.50"), Currency: "EUR"}},
		Securities: []kontor.Security{{
			ID: "sec-1", AccountID: "A38253.f837c3ab353", Amount: amt("200"), PriceAmount: amt("100"),
			PurchasePriceAmount: amt("150"), Currency: "EUR", PriceCurrency: "EUR", PurchasePriceCurrency: "USD",
			ExchangeRate: amt("1.23"), Quantity: amt("40.125"), ISIN: "US0378331005", Name: "finoOS Security", Market: "NASDAQ",
		}},
	}
	acc.Transactions = []kontor.Transaction{}
	for i := range n {
		acc.Transactions = append(acc.Transactions, kontor.Transaction{
			ID: fmt.Sprintf("tx-%d", i), AccountID: "A38253.f837c3ab353",
			BookingDate: ts("2020-05-26T17:11:22Z"), ValueDate: ts("2020-05-27T00:00:00+02:00"),
			Currency: "EUR", MRef: "MREF123ZZ678JJ", Purpose: fmt.Sprintf("Verwendungszweck %d äöüß €", i),
			Booked: i%5 != 0, Amount: kontor.AmountFromCents(int64(i*137 - 5000)),
			CounterPart: kontor.CounterPart{BIC: "GENODEF1S04", IBAN: "DE83701999010000002000", CreditorID: "DE97ZZZ12345678901", Name: "Schettchens Schnittchen"},
			Tags:        []kontor.Tag{{Name: "salary", Source: "string"}, {Name: "x"}},
			Codes:       []kontor.Code{{Value: "999", Type: "transactionCode"}},
		})
	}
	second := kontor.Account{ID: "savings", Type: "SPAR", Currency: "EUR", Balance: amt("0.10"),
		Transactions: []kontor.Transaction{}, StandingOrders: []kontor.StandingOrder{}, Securities: []kontor.Security{}}
	return []kontor.Login{{
		ID:       "login-0",
		Bank:     kontor.Bank{Name: "fino Bank", BIC: "SUBSDE71", BankCode: "70199901", Logo: kontor.Logo{URL: "https://example.org/logo.svg", Type: "svg"}},
		Accounts: []kontor.Account{acc, second},
		Source:   kontor.SourceUpload,
	}}
}

// withStatus returns logins as Logins returns them while the user's
// analysis has status st.
func withStatus(logins []kontor.Login, st kontor.AnalysisStatus) []kontor.Login {
	for i := range logins {
		logins[i].AnalysisStatus = st
	}
	return logins
}

// exact compares amounts by their text, so that a changed scale (0.10 vs
// 0.1) counts as a change.
var exact = cmp.Options{
	cmp.Comparer(func(a, b kontor.Amount) bool { return a.String() == b.String() }),
	cmp.Comparer(func(a, b kontor.Timestamp) bool { return a.Equal(b) }),
}

func testLoginsRoundTrip(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil || got == nil || len(got) != 0 {
		t.Fatalf("Logins of a new user = %v, %v; want an empty, non-nil list", got, err)
	}
	want := sampleLogins(25)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(25)); err != nil {
		t.Fatal(err)
	}
	got, err = s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withStatus(want, kontor.AnalysisPending), got, exact); diff != "" {
		t.Fatalf("Logins round trip (-want +got):\n%s", diff)
	}
}

// CheckEncodedLogins fails t unless EncodedLogins of the user is Logins
// with every transaction as encoding/json's JSON of it.
func CheckEncodedLogins(t *testing.T, s kontor.Store, clientID, userID string) {
	t.Helper()
	want, err := s.Logins(ctx, clientID, userID)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.EncodedLogins(ctx, clientID, userID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("EncodedLogins has %d logins, Logins %d", len(got), len(want))
	}
	n := 0
	for li := range want {
		if len(got[li].Accounts) != len(want[li].Accounts) {
			t.Fatalf("login %d: %d accounts encoded, %d stored", li, len(got[li].Accounts), len(want[li].Accounts))
		}
		for ai := range want[li].Accounts {
			wa, ga := &want[li].Accounts[ai], &got[li].Accounts[ai]
			if len(ga.Transactions) != len(wa.Transactions) {
				t.Fatalf("account %s: %d transactions encoded, %d stored", wa.ID, len(ga.Transactions), len(wa.Transactions))
			}
			for ti := range wa.Transactions {
				doc, err := json.Marshal(&wa.Transactions[ti])
				if err != nil {
					t.Fatal(err)
				}
				if g := ga.Transactions[ti].Encoded; string(g) != string(doc) {
					t.Fatalf("account %s transaction %d: stored document\n%s\nwant\n%s", wa.ID, ti, g, doc)
				}
				n++
			}
			// Apart from the transactions, both are the same.
			wa.Transactions, ga.Transactions = nil, nil
		}
	}
	if diff := cmp.Diff(want, got, exact); diff != "" {
		t.Fatalf("EncodedLogins beside the transactions (-Logins +EncodedLogins):\n%s", diff)
	}
}

func testEncodedLogins(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	logins := sampleLogins(40)
	tx := &logins[0].Accounts[0].Transactions[7]
	tx.Purpose = "<Miete> & \"Nebenkosten\" März\u2028\x01"
	tx.CounterPart.Name = "Müller & Söhne <GmbH>"
	tx.Tags = nil
	tx.Codes = []kontor.Code{{Value: "<116>", Type: "GVC"}}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
		t.Fatal(err)
	}
	CheckEncodedLogins(t, s, c.ID, u.ID)

	// The analysis rewrites the documents with the tags it sets.
	job, err := claimJob(s, time.Now().Add(time.Second), time.Minute)
	if err != nil || job == nil {
		t.Fatalf("claimed %+v, %v", job, err)
	}
	stored, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if stored[0].AnalysisStatus != kontor.AnalysisRunning {
		t.Fatalf("analysis status of a claimed job's logins = %q, want running", stored[0].AnalysisStatus)
	}
	for i := range stored[0].Accounts[0].Transactions {
		t := &stored[0].Accounts[0].Transactions[i]
		t.Tags = append(t.Tags, kontor.Tag{Name: "rent & <living>", Source: kontor.TagSourceKontor})
	}
	if ok, err := s.SaveAnalysis(ctx, job, stored, []byte(`{}`)); err != nil || !ok {
		t.Fatalf("SaveAnalysis = %v, %v", ok, err)
	}
	CheckEncodedLogins(t, s, c.ID, u.ID)
	got, _ := s.EncodedLogins(ctx, c.ID, u.ID)
	if got[0].AnalysisStatus != kontor.AnalysisDone {
		t.Fatalf("analysis status after SaveAnalysis = %q, want done", got[0].AnalysisStatus)
	}
	if doc := string(got[0].Accounts[0].Transactions[7].Encoded); !strings.Contains(doc, `"rent \u0026 \u003cliving\u003e","source":"kontor"`) {
		t.Fatalf("document after the analysis lacks its tag: %s", doc)
	}

	// A user without logins has none, encoded or not.
	other := mustUser(t, s, c)
	if got, err := s.EncodedLogins(ctx, c.ID, other.ID); err != nil || got == nil || len(got) != 0 {
		t.Fatalf("EncodedLogins of a user without logins = %v, %v", got, err)
	}
	if _, err := s.EncodedLogins(ctx, "nobody", u.ID); kontor.ErrorCode(err) != kontor.ENOTFOUND {
		t.Fatalf("EncodedLogins of another client's user: %v, want ENOTFOUND", err)
	}
}

// testLoginsManyAccounts stores several logins of several accounts, each
// with a different number of each kind of item, and reads every item back
// in its account and place.
func testLoginsManyAccounts(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	logins := func() []kontor.Login {
		var out []kontor.Login
		for li, n := range []int{7, 3, 0} {
			l := sampleLogins(n)[0]
			l.ID = fmt.Sprintf("login-%d", li)
			for ai := range 3 {
				a := sampleLogins(n + 2*ai)[0].Accounts[0]
				a.ID = fmt.Sprintf("acc-%d-%d", li, ai)
				for i := range a.Transactions {
					a.Transactions[i].ID = fmt.Sprintf("tx-%d-%d-%d", li, ai, i)
				}
				a.StandingOrders = a.StandingOrders[:(li+ai)%3]
				if ai == 1 {
					a.Securities = []kontor.Security{}
				}
				l.Accounts = append(l.Accounts, a)
			}
			out = append(out, l)
		}
		return out
	}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins()); err != nil {
		t.Fatal(err)
	}
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withStatus(logins(), kontor.AnalysisPending), got, exact); diff != "" {
		t.Fatalf("Logins of many accounts (-want +got):\n%s", diff)
	}
	CheckEncodedLogins(t, s, c.ID, u.ID)
}

func testLoginsReplace(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(10)); err != nil {
		t.Fatal(err)
	}
	next := sampleLogins(2)
	next[0].ID = "login-1"
	next = append(next, kontor.Login{ID: "login-2", Accounts: []kontor.Account{}, Source: kontor.SourceUpload})
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, next); err != nil {
		t.Fatal(err)
	}
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withStatus(next, kontor.AnalysisPending), got, exact); diff != "" {
		t.Fatalf("after replace (-want +got):\n%s", diff)
	}
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, []kontor.Login{}); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Logins(ctx, c.ID, u.ID); err != nil || len(got) != 0 {
		t.Fatalf("after replacing with none: %d logins, %v", len(got), err)
	}
}

func testLoginsReplaceAtomic(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	before := sampleLogins(20)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(20)); err != nil {
		t.Fatal(err)
	}
	b.FailTransactionInserts(t, s, "FAIL HERE")
	next := sampleLogins(2000)
	next[0].ID = "login-new"
	next[0].Accounts[0].Transactions[1500].Purpose = "FAIL HERE"
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, next); err == nil {
		t.Fatal("ReplaceUploadedLogins succeeded although the database rejected row 1500")
	} else if !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("ReplaceUploadedLogins failed, but not at the rejected row: %v", err)
	}
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withStatus(before, kontor.AnalysisPending), got, exact); diff != "" {
		t.Fatalf("a failed replace changed the stored logins (-before +after):\n%s", diff)
	}
}

func testLoginsLarge(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	want := sampleLogins(20000)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(20000)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(withStatus(want, kontor.AnalysisPending), got, exact); diff != "" {
		t.Fatalf("large round trip (-want +got):\n%s", diff)
	}
	var sum kontor.Amount
	for _, tx := range got[0].Accounts[0].Transactions {
		if sum, err = sum.Add(tx.Amount); err != nil {
			t.Fatal(err)
		}
	}
	// sum of (i*137 - 5000) cents for i < 20000
	wantSum := kontor.AmountFromCents(137*20000*19999/2 - 5000*20000)
	if !sum.Equal(wantSum) {
		t.Fatalf("sum of amounts = %s, want %s", sum, wantSum)
	}
}

func testDeleteLogin(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	logins := sampleLogins(3)
	logins = append(logins, kontor.Login{ID: "keep", Accounts: []kontor.Account{}, Source: kontor.SourceUpload})
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, logins); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLogin(ctx, c.ID, u.ID, "login-0"); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.DeleteLogin(ctx, c.ID, u.ID, "login-0"), kontor.ENOTFOUND)
	wantCode(t, s.DeleteLogin(ctx, c.ID, "no-user", "keep"), kontor.ENOTFOUND)
	got, err := s.Logins(ctx, c.ID, u.ID)
	if err != nil || len(got) != 1 || got[0].ID != "keep" {
		t.Fatalf("after delete: %+v, %v; want only login keep", got, err)
	}
}

func testDeleteUserCascades(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	u := mustUser(t, s, c)
	if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(100)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUser(ctx, c.ID, u.ID); err != nil {
		t.Fatal(err)
	}
	// A new user with the same logins starts empty: nothing was left
	// behind under the old one.
	u2 := mustUser(t, s, c)
	if got, err := s.Logins(ctx, c.ID, u2.ID); err != nil || len(got) != 0 {
		t.Fatalf("new user sees %d logins, %v", len(got), err)
	}
	_, err := s.Logins(ctx, c.ID, u.ID)
	wantCode(t, err, kontor.ENOTFOUND)
}

func testConcurrentWrites(t *testing.T, b Backend) {
	s := b.Open(t)
	c := mustClient(t, s, "acme")
	users := make([]*kontor.User, 8)
	for i := range users {
		users[i] = mustUser(t, s, c)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Go(func() {
			u := users[i%len(users)]
			if err := s.ReplaceUploadedLogins(ctx, c.ID, u.ID, sampleLogins(50)); err != nil {
				errs <- err
				return
			}
			if _, err := s.Logins(ctx, c.ID, u.ID); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent write: %v", err)
	}
	for _, u := range users {
		got, err := s.Logins(ctx, c.ID, u.ID)
		if err != nil || len(got) != 1 || len(got[0].Accounts[0].Transactions) != 50 {
			t.Fatalf("user %s after concurrent writes: %d logins, %v", u.ID, len(got), err)
		}
	}
}
