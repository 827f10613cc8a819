package fints

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// newTestClient returns a client for the fake bank.
func newTestClient(t *testing.T, b *fakeBank) *Client {
	t.Helper()
	c, err := New(Config{URL: b.srv.URL, BankCode: fakeBLZ, UserID: fakeUser, ProductID: "KONTORTEST", ProductVersion: "0.1"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// reload passes st through JSON and a new client, as a resume in a later
// request of another process would.
func reload(t *testing.T, b *fakeBank, st *State) (*Client, *State) {
	t.Helper()
	raw, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(fakePIN)) {
		t.Errorf("state JSON holds a secret: %s", raw)
	}
	var back State
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	return newTestClient(t, b), &back
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

var allData = Request{Fetch: FetchAll, From: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}

// flow returns the segment types of every request, one line per message.
func flow(b *fakeBank) []string {
	var out []string
	for _, r := range b.log() {
		out = append(out, r.types())
	}
	return out
}

func wantFlow(t *testing.T, b *fakeBank, want ...string) {
	t.Helper()
	if got := flow(b); !slices.Equal(got, want) {
		t.Errorf("messages:\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// mustDone returns a check that an operation finished with a result.
func mustDone(t *testing.T) func(*Step, error) *Result {
	return func(step *Step, err error) *Result {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if step.Kind != StepDone || step.Result == nil {
			t.Fatalf("step = %+v, want done", step)
		}
		return step.Result
	}
}

func TestSyncWithoutSCA(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}})
	c := newTestClient(t, b)
	st := &State{}
	res := mustDone(t)(c.Sync(ctx(t), st, fakePIN, allData))

	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN6(4:HKIDN)", "HKSPA", "HKSAL HKTAN6(4:HKSAL)", "HKCAZ HKTAN6(4:HKCAZ)", "HKCDB", "HKWPD", "HKEND")
	log := b.log()
	if log[0].Profile != 1 || log[0].Function != "999" || log[2].Profile != 2 || log[2].Function != "921" {
		t.Errorf("security: sync %d/%s, init %d/%s", log[0].Profile, log[0].Function, log[2].Profile, log[2].Function)
	}
	if !strings.HasPrefix(log[3].Dialog, "DLG:") || log[8].Dialog != log[3].Dialog || log[8].Number != 7 {
		t.Errorf("dialog ID/numbering: %q %q #%d", log[3].Dialog, log[8].Dialog, log[8].Number)
	}
	if st.Op != nil || !strings.HasPrefix(st.Session.SystemID, "SYS+") || st.Session.TANMethod != "921" ||
		len(st.Session.BPD) == 0 || len(st.Session.UPD) == 0 || !slices.Equal(st.Session.AllowedMethods, []string{"921"}) {
		t.Errorf("state = %+v", st)
	}

	if len(res.Accounts) != 2 {
		t.Fatalf("accounts = %+v", res.Accounts)
	}
	giro, depot := res.Accounts[0], res.Accounts[1]
	if giro.IBAN != giroIBAN || giro.BIC != "FINODEB1XXX" || giro.Type != kontor.AccountGiro || !giro.SEPA ||
		giro.Owner != "Max Mustermann" || giro.Currency != "EUR" {
		t.Errorf("giro = %+v", giro)
	}
	bal := giro.Balance
	if bal == nil || !bal.Booked.Equal(kontor.MustParseAmount("1523.17")) || bal.Booked.String() != "1523.17" ||
		bal.Pending == nil || bal.Pending.String() != "-12.5" || bal.CreditLine.String() != "2000" || bal.Available.String() != "3510.67" {
		t.Errorf("balance = %+v", bal)
	}
	sm := giro.Statements
	if sm == nil || sm.Format != FormatCamt || len(sm.Camt) != 2 || len(sm.CamtPending) != 1 || sm.CamtFormat != camt052 {
		t.Errorf("statements = %+v", sm)
	}
	if len(giro.StandingOrders) != 2 || giro.StandingOrders[1].OrderID != "SO-2" || giro.StandingOrders[1].Interval != 2 ||
		!strings.Contains(string(giro.StandingOrders[0].Pain), "<CtrlSum>10.00") {
		t.Errorf("standing orders = %+v", giro.StandingOrders)
	}
	if depot.Type != kontor.AccountDepot || depot.IBAN != depotIBAN || depot.SEPA || !bytes.HasPrefix(depot.Holdings, []byte(":16R:GENL")) ||
		depot.Balance != nil || depot.Statements != nil {
		t.Errorf("depot = %+v", depot)
	}

	// A second sync reuses system ID, BPD and UPD.
	before := len(b.log())
	mustDone(t)(c.Sync(ctx(t), st, fakePIN, Request{}))
	if got := flow(b)[before:]; !slices.Equal(got, []string{"HKIDN HKVVB HKTAN6(4:HKIDN)", "HKSPA", "HKEND"}) {
		t.Errorf("second sync: %v", got)
	}
	idn, _ := segment.DecodeHKIDN(b.log()[before].Segments[0])
	vvb, _ := segment.DecodeHKVVB(b.log()[before].Segments[1])
	if idn.SystemID != st.Session.SystemID || vvb.BPDVersion != fakeBPDVersion || vvb.UPDVersion != fakeUPDVersion {
		t.Errorf("second init: %+v %+v", idn, vvb)
	}
}

func TestSyncMT940Paging(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, NoCamt: true, Pages: 3})
	c := newTestClient(t, b)
	st := &State{}
	res := mustDone(t)(c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchTransactions, Accounts: []string{giroIBAN}}))
	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN7(4:HKIDN)", "HKSPA",
		"HKKAZ HKTAN7(4:HKKAZ)", "HKKAZ HKTAN7(4:HKKAZ)", "HKKAZ HKTAN7(4:HKKAZ)", "HKEND")
	sm := res.Accounts[0].Statements
	if sm == nil || sm.Format != FormatMT940 || !bytes.Equal(sm.MT940, b.mt940()) || !bytes.HasPrefix(sm.MT942, []byte(":20:STARTDISPO")) {
		t.Errorf("statements = %+v", sm)
	}
	if res.Accounts[1].Statements != nil {
		t.Error("depot got statements")
	}
	kaz, _ := segment.DecodeHKKAZ(b.log()[4].Segments[0])
	if kaz.Version != 7 || kaz.Account.IBAN != giroIBAN || kaz.From.IsZero() {
		t.Errorf("HKKAZ = %+v", kaz)
	}
}

func TestPagingAfterTAN(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, NoCamt: true, Pages: 3,
		JobSCA: map[string]bool{"HKKAZ": true}})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchTransactions})
	if err != nil || step.Kind != StepTAN {
		t.Fatalf("step = %+v, %v", step, err)
	}
	c, st = reload(t, b, st)
	res := mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TAN: fakeTAN}))
	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN7(4:HKIDN)", "HKSPA",
		"HKKAZ HKTAN7(4:HKKAZ)", "HKTAN7(2)", "HKKAZ HKTAN7(4:HKKAZ)", "HKKAZ HKTAN7(4:HKKAZ)", "HKEND")
	if sm := res.Accounts[0].Statements; sm == nil || !bytes.Equal(sm.MT940, b.mt940()) {
		t.Errorf("statements = %+v", sm)
	}
}

func TestJobRefused(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, RefuseJobs: map[string]bool{"HKSAL": true}})
	c := newTestClient(t, b)
	res := mustDone(t)(c.Sync(ctx(t), &State{}, fakePIN, allData))
	giro := res.Accounts[0]
	if giro.Balance != nil || len(giro.Errors) != 1 || giro.Errors[0].Job != string(JobBalance) || giro.Errors[0].Codes[0].Code != 9210 {
		t.Errorf("giro = %+v", giro)
	}
	if giro.Statements == nil || len(giro.StandingOrders) != 2 || res.Accounts[1].Holdings == nil {
		t.Error("the other jobs did not run")
	}
	if msg := giro.Errors[0].Error(); !strings.Contains(msg, "9210 Zeitraum hier nicht erlaubt") {
		t.Errorf("JobError = %q", msg)
	}
}

func TestDialogAbortedDuringJobs(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, AbortJob: "HKCAZ"})
	c := newTestClient(t, b)
	st := &State{}
	_, err := c.Sync(ctx(t), st, fakePIN, allData)
	if !errors.Is(err, ErrDialogAborted) || st.Op != nil {
		t.Fatalf("error = %v, op = %+v", err, st.Op)
	}
	if got := flow(b); got[len(got)-1] != "HKCAZ HKTAN6(4:HKCAZ)" {
		t.Errorf("the client sent %q after 9800", got[len(got)-1])
	}
}

func TestSyncPrefersRequestedFormat(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}})
	c := newTestClient(t, b)
	res := mustDone(t)(c.Sync(ctx(t), &State{}, fakePIN, Request{Fetch: FetchTransactions, Format: FormatMT940}))
	if sm := res.Accounts[0].Statements; sm == nil || sm.Format != FormatMT940 || !bytes.Equal(sm.MT940, b.mt940()) {
		t.Errorf("statements = %+v", sm)
	}
}

func TestInitTANv6(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchBalances})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != StepTAN || step.Challenge == nil || step.Challenge.Text != "Ihre TAN lautet 123456" ||
		step.Challenge.Method != "pushTAN" || step.Challenge.ValidUntil.IsZero() {
		t.Fatalf("step = %+v %+v", step, step.Challenge)
	}
	if img := step.Challenge.Image; img == nil || img.MIMEType != "image/png" || !bytes.HasPrefix(img.Data, []byte("\x89PNG")) {
		t.Errorf("image = %+v", img)
	}
	if !st.Paused() || len(st.Session.UPD) != 0 {
		t.Errorf("paused %v, UPD before TAN %d bytes", st.Paused(), len(st.Session.UPD))
	}

	c2, st2 := reload(t, b, st)
	res := mustDone(t)(c2.Resume(ctx(t), st2, fakePIN, Input{TAN: fakeTAN}))
	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN6(4:HKIDN)", "HKTAN6(2)", "HKSPA", "HKSAL HKTAN6(4:HKSAL)", "HKEND")
	tanMsg := b.log()[3]
	if tanMsg.TAN != fakeTAN || tanMsg.PIN != fakePIN || tanMsg.Number != 2 {
		t.Errorf("TAN message: #%d", tanMsg.Number)
	}
	for i, r := range b.log() {
		if i != 3 && r.TAN != "" {
			t.Errorf("message %d carries a TAN", i)
		}
	}
	if res.Accounts[0].Balance == nil || len(st2.Session.UPD) == 0 || st2.Op != nil {
		t.Errorf("result %+v, state %+v", res, st2)
	}
	if raw, _ := json.Marshal(st2); bytes.Contains(raw, []byte(fakeTAN)) {
		t.Errorf("state holds the TAN: %s", raw)
	}
}

func TestJobTANv7(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, JobSCA: map[string]bool{"HKCAZ": true}})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchTransactions})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != StepTAN || st.Op.SCA.For != "HKCAZ" {
		t.Fatalf("step = %+v", step)
	}
	c2, st2 := reload(t, b, st)
	res := mustDone(t)(c2.Resume(ctx(t), st2, fakePIN, Input{TAN: fakeTAN}))
	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN7(4:HKIDN)", "HKSPA", "HKCAZ HKTAN7(4:HKCAZ)", "HKTAN7(2)", "HKEND")
	if sm := res.Accounts[0].Statements; sm == nil || len(sm.Camt) != 2 {
		t.Errorf("statements = %+v", sm)
	}
}

func TestWrongTANCanBeRetried(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	c := newTestClient(t, b)
	st := &State{}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.Resume(ctx(t), st, fakePIN, Input{TAN: "000000"})
	var be *BankError
	if !errors.Is(err, ErrTANInvalid) || !errors.As(err, &be) || be.Message() == "" {
		t.Fatalf("error = %v", err)
	}
	if strings.Contains(err.Error(), "000000") || !st.Paused() {
		t.Errorf("error %q, paused %v", err, st.Paused())
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TAN: fakeTAN}))
}

func TestDecoupled(t *testing.T) {
	for _, both := range []bool{false, true} {
		b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodApp}, Allowed: []string{"946"}, InitSCA: "decoupled",
			Pending: 2, BothCodes: both})
		c := newTestClient(t, b)
		st := &State{}
		step, err := c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchBalances})
		if err != nil {
			t.Fatal(err)
		}
		if step.Kind != StepDecoupled || !step.Challenge.Decoupled || !step.Challenge.AutoPoll || !step.Challenge.HTML ||
			!strings.Contains(step.Challenge.Text, "<b>App</b>") {
			t.Fatalf("step = %+v %+v", step, step.Challenge)
		}
		for i := range 2 {
			var cl *Client
			cl, st = reload(t, b, st)
			step, err = cl.Resume(ctx(t), st, fakePIN, Input{})
			if err != nil || step.Kind != StepDecoupled {
				t.Fatalf("poll %d: %+v, %v", i, step, err)
			}
			if st.Op.SCA.Polls != i+1 {
				t.Errorf("polls = %d", st.Op.SCA.Polls)
			}
		}
		res := mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{}))
		wantFlow(t, b,
			"HKIDN HKVVB HKSYN", "HKEND",
			"HKIDN HKVVB HKTAN7(4:HKIDN)", "HKTAN7(S)", "HKTAN7(S)", "HKTAN7(S)", "HKSPA", "HKSAL HKTAN7(4:HKSAL)", "HKEND")
		if res.Accounts[0].Balance == nil {
			t.Error("no balance")
		}
	}
}

func TestDecoupledHKTAN6(t *testing.T) {
	// Without HKTAN 7 there is no status query: after the user confirms,
	// the client sends process 2 without a TAN.
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodApp}, Allowed: []string{"946"}, InitSCA: "decoupled"})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{})
	if err != nil || step.Kind != StepDecoupled || step.Challenge.AutoPoll {
		t.Fatalf("step = %+v, %v", step, err)
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{}))
	wantFlow(t, b, "HKIDN HKVVB HKSYN", "HKEND", "HKIDN HKVVB HKTAN6(4:HKIDN)", "HKTAN6(2)", "HKSPA", "HKEND")
	if tan := b.log()[3].TAN; tan != "" {
		t.Errorf("decoupled confirmation carries TAN %q", tan)
	}
}

func TestAwaitDecoupled(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodApp}, Allowed: []string{"946"}, JobSCA: map[string]bool{"HKSAL": true}, Pending: 3})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchBalances})
	if err != nil || step.Kind != StepDecoupled {
		t.Fatalf("step = %+v, %v", step, err)
	}
	res := mustDone(t)(c.AwaitDecoupled(ctx(t), st, fakePIN))
	if res.Accounts[0].Balance == nil {
		t.Error("no balance")
	}
}

func TestDecoupledPollLimit(t *testing.T) {
	app := methodApp
	app.MaxStatusQueries = 2
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{app}, Allowed: []string{"946"}, InitSCA: "decoupled", Pending: 5})
	c := newTestClient(t, b)
	st := &State{}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	_, err := c.AwaitDecoupled(ctx(t), st, fakePIN)
	if !errors.Is(err, ErrTANExpired) || st.Op != nil {
		t.Fatalf("error = %v, op %+v", err, st.Op)
	}
	if n := strings.Count(strings.Join(flow(b), "|"), "HKTAN7(S)"); n != 2 {
		t.Errorf("%d status queries, want 2", n)
	}
}

func TestChooseTANMethod(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, V7: []segment.TANMethod{methodApp}, Allowed: []string{"921", "946"}})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != StepChooseTANMethod || len(step.Options) != 2 || step.Options[0].Method != "946" || !step.Options[0].Decoupled ||
		step.Options[1].Method != "921" || step.Options[1].Name != "pushTAN" {
		t.Fatalf("step = %+v", step)
	}
	saved, _ := json.Marshal(st)
	if _, err := c.Resume(ctx(t), st, fakePIN, Input{TANMethod: "999"}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("bad choice: %v", err)
	}
	if now, _ := json.Marshal(st); !bytes.Equal(now, saved) {
		t.Error("invalid input changed the state")
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TANMethod: "921"}))
	if st.Session.TANMethod != "921" {
		t.Errorf("method = %q", st.Session.TANMethod)
	}
	if got := flow(b)[2]; got != "HKIDN HKVVB HKTAN6(4:HKIDN)" {
		t.Errorf("init with 921 = %s", got)
	}
}

func TestTANMedium(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodSMS}, Allowed: []string{"920"}, Media: []string{"Handy-1", "Handy-2"}})
	c := newTestClient(t, b)
	st := &State{}
	step, err := c.Sync(ctx(t), st, fakePIN, Request{})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != StepChooseTANMethod || len(step.Options) != 1 || !slices.Equal(step.Options[0].Media, []string{"Handy-1", "Handy-2"}) {
		t.Fatalf("step = %+v", step)
	}
	if _, err := c.Resume(ctx(t), st, fakePIN, Input{TANMethod: "920", TANMedium: "Handy-3"}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unknown medium: %v", err)
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TANMethod: "920", TANMedium: "Handy-2"}))
	wantFlow(t, b,
		"HKIDN HKVVB HKSYN", "HKEND",
		"HKIDN HKVVB HKTAN6(4:HKTAB)", "HKTAB", "HKEND",
		"HKIDN HKVVB HKTAN6(4:HKIDN)", "HKSPA", "HKEND")
	tan, _ := segment.DecodeHKTAN(b.log()[5].Segments[2])
	if tan.MediumName != "Handy-2" || st.Session.TANMedium != "Handy-2" {
		t.Errorf("medium = %q / %q", tan.MediumName, st.Session.TANMedium)
	}
	media, err := c.TANMedia(ctx(t), st, fakePIN)
	if err != nil || len(media) != 3 || media[0].Name != "Handy-1" || media[0].PhoneMasked != "**** 1234" {
		t.Errorf("TANMedia = %+v, %v", media, err)
	}
}

func TestWrongPIN(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}})
	c := newTestClient(t, b)
	st := &State{}
	mustDone(t)(c.Sync(ctx(t), st, fakePIN, Request{}))
	n := len(b.log())
	_, err := c.Sync(ctx(t), st, "111111", allData)
	var be *BankError
	if !errors.Is(err, ErrWrongPIN) || !errors.As(err, &be) || !slices.ContainsFunc(be.Codes, func(c wire.ReturnCode) bool { return c.Code == 9942 }) {
		t.Fatalf("error = %v", err)
	}
	if strings.Contains(err.Error(), "111111") || st.Op != nil || st.Session.SystemID == "" {
		t.Errorf("error %q, state %+v", err, st)
	}
	if got := flow(b)[n:]; len(got) != 1 {
		t.Errorf("after a wrong PIN the client sent %v (no HKEND to an aborted dialog)", got)
	}
	// On a fresh login the wrong PIN fails in the synchronisation.
	if _, err := c.Sync(ctx(t), &State{}, "111111", allData); !errors.Is(err, ErrWrongPIN) {
		t.Errorf("fresh login: %v", err)
	}
}

func TestLocked(t *testing.T) {
	for _, code := range []int{9931, 3938} {
		b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, LockCode: code})
		c := newTestClient(t, b)
		st := &State{}
		_, err := c.Sync(ctx(t), st, fakePIN, allData)
		if !errors.Is(err, ErrLocked) || errors.Is(err, ErrWrongPIN) || st.Op != nil {
			t.Errorf("code %d: error %v", code, err)
		}
	}
}

func TestDialogExpiredBeforeTAN(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	c := newTestClient(t, b)
	st := &State{}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	b.expireDialogs()
	_, err := c.Resume(ctx(t), st, fakePIN, Input{TAN: fakeTAN})
	if !errors.Is(err, ErrDialogAborted) || st.Op != nil || st.Session.SystemID == "" {
		t.Fatalf("error %v, state %+v", err, st)
	}
	// Starting over works with the kept session.
	step, err := c.Sync(ctx(t), st, fakePIN, Request{})
	if err != nil || step.Kind != StepTAN {
		t.Fatalf("restart: %+v, %v", step, err)
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TAN: fakeTAN}))
}

func TestMethodWithdrawn(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, V7: []segment.TANMethod{methodApp}, Allowed: []string{"921", "946"}})
	c := newTestClient(t, b)
	st := &State{}
	if step, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil || step.Kind != StepChooseTANMethod {
		t.Fatalf("step = %+v, %v", step, err)
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TANMethod: "921"}))
	// The bank withdraws 921: the initialisation is aborted with a new
	// 3920 list, and the client starts over with the remaining method.
	b.mu.Lock()
	b.sc.Allowed = []string{"946"}
	b.mu.Unlock()
	n := len(b.log())
	mustDone(t)(c.Sync(ctx(t), st, fakePIN, Request{}))
	if got := flow(b)[n:]; !slices.Equal(got, []string{"HKIDN HKVVB HKTAN6(4:HKIDN)", "HKIDN HKVVB HKTAN7(4:HKIDN)", "HKSPA", "HKEND"}) {
		t.Errorf("messages = %v", got)
	}
	if st.Session.TANMethod != "946" || !slices.Equal(st.Session.AllowedMethods, []string{"946"}) {
		t.Errorf("session = %+v", st.Session)
	}
}

func TestOneStepBank(t *testing.T) {
	b := newFakeBank(t, scenario{Allowed: []string{"999"}})
	c := newTestClient(t, b)
	st := &State{}
	res := mustDone(t)(c.Sync(ctx(t), st, fakePIN, Request{Fetch: FetchBalances}))
	wantFlow(t, b, "HKIDN HKVVB HKSYN", "HKEND", "HKIDN HKVVB", "HKSPA", "HKSAL", "HKEND")
	if r := b.log()[2]; r.Profile != 1 || r.Function != "999" || st.Session.TANMethod != "999" || res.Accounts[0].Balance == nil {
		t.Errorf("init %d/%s, method %q, result %+v", r.Profile, r.Function, st.Session.TANMethod, res)
	}
}

func TestSyncAbandonsPausedOperation(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	c := newTestClient(t, b)
	st := &State{}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	old := st.Op.Dialog.ID
	step, err := c.Sync(ctx(t), st, fakePIN, Request{})
	if err != nil || step.Kind != StepTAN {
		t.Fatalf("step = %+v, %v", step, err)
	}
	log := b.log()
	if end := log[3]; end.types() != "HKEND" || end.Dialog != old {
		t.Errorf("paused dialog not ended: %s in %s", end.types(), end.Dialog)
	}
	if st.Op.Dialog.ID == old {
		t.Error("the new operation reuses the old dialog")
	}
}

func TestSleepUntil(t *testing.T) {
	start := time.Now()
	if err := sleepUntil(context.Background(), start.Add(30*time.Millisecond)); err != nil || time.Since(start) < 30*time.Millisecond {
		t.Errorf("sleepUntil returned early: %v", err)
	}
	if err := sleepUntil(context.Background(), start); err != nil {
		t.Errorf("past time: %v", err)
	}
	cx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepUntil(cx, time.Now().Add(time.Hour)); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestAccountTypes(t *testing.T) {
	for n, want := range map[int]string{1: kontor.AccountGiro, 10: kontor.AccountSavings, 25: kontor.AccountSavings,
		30: kontor.AccountDepot, 60: kontor.AccountDepot, 40: kontor.AccountLoan, 70: kontor.AccountLoan,
		50: kontor.AccountCreditCard, 90: "", 0: ""} {
		if got := kontorAccountType(n); got != want {
			t.Errorf("kontorAccountType(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestBankInfo(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, V7: []segment.TANMethod{methodApp}})
	c := newTestClient(t, b)
	bpd, err := c.BankInfo(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	wantFlow(t, b, "HKIDN HKVVB HKTAN6(4:HKIDN)", "HKEND")
	if r := b.log()[0]; r.Profile != 0 || r.PIN != "" {
		t.Errorf("anonymous dialog is signed: %+v", r)
	}
	ms := bpd.TANMethods()
	if bpd.Version != fakeBPDVersion || bpd.BankName != "fino Bank" || len(ms) != 2 || ms[0].SecurityFunction != "946" ||
		bpd.JobVersion("HKKAZ") != 7 || bpd.JobVersion("HKSAL") != 7 || bpd.JobVersion("HKCAZ") != 1 || bpd.JobVersion("HKVPP") != 0 ||
		!bpd.NeedsTAN("HKKAZ") || bpd.NeedsTAN("HKSPA") || len(bpd.Access) != 1 {
		t.Errorf("BPD = %+v", bpd)
	}

	b = newFakeBank(t, scenario{NoAnonymous: true})
	if _, err := newTestClient(t, b).BankInfo(ctx(t)); !errors.Is(err, ErrUnsupported) {
		t.Errorf("no anonymous dialog: %v", err)
	}
}

func TestResumeInvalid(t *testing.T) {
	b := newFakeBank(t, scenario{V7: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	c := newTestClient(t, b)
	st := &State{}
	if _, err := c.Resume(ctx(t), st, fakePIN, Input{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("nothing to resume: %v", err)
	}
	if _, err := c.Sync(ctx(t), st, "", Request{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("empty PIN: %v", err)
	}
	if _, err := c.Sync(ctx(t), st, "p€n", Request{}); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("non-Latin-1 PIN: %v", err)
	}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resume(ctx(t), st, fakePIN, Input{}); !errors.Is(err, ErrInvalidInput) || !st.Paused() {
		t.Errorf("missing TAN: %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	for name, cfg := range map[string]Config{
		"no URL":     {BankCode: "1", UserID: "u", ProductID: "p"},
		"ftp URL":    {URL: "ftp://x", BankCode: "1", UserID: "u", ProductID: "p"},
		"no bank":    {URL: "https://x", UserID: "u", ProductID: "p"},
		"no user":    {URL: "https://x", BankCode: "1", ProductID: "p"},
		"no product": {URL: "https://x", BankCode: "1", UserID: "u"},
		"euro user":  {URL: "https://x", BankCode: "1", UserID: "€", ProductID: "p"},
	} {
		if _, err := New(cfg); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestLogsAreRedacted(t *testing.T) {
	b := newFakeBank(t, scenario{V6: []segment.TANMethod{methodPush}, Allowed: []string{"921"}, InitSCA: "tan"})
	var buf bytes.Buffer
	c, err := New(Config{URL: b.srv.URL, BankCode: fakeBLZ, UserID: fakeUser, ProductID: "KONTORTEST",
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	st := &State{}
	if _, err := c.Sync(ctx(t), st, fakePIN, Request{}); err != nil {
		t.Fatal(err)
	}
	mustDone(t)(c.Resume(ctx(t), st, fakePIN, Input{TAN: "123456"}))
	logs := buf.String()
	if !strings.Contains(logs, "HNSHA") || strings.Contains(logs, fakePIN) || strings.Contains(logs, "++123456") ||
		strings.Contains(logs, ":123456'") {
		t.Errorf("logs leak secrets or miss messages:\n%s", logs)
	}
}
