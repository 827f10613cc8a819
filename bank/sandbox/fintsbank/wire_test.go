package fintsbank

import (
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/bank/fints"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// These tests speak raw FinTS messages to the bank, for behaviour Kontor's
// client does not show: anonymous dialogs, numbering, unknown dialogs,
// malformed input, job-level SCA and touchdown escaping. Segment numbers
// count from HNHBK (1); in signed messages HNSHK is 2.

func TestTransport(t *testing.T) {
	b := newBank(t)
	seg := segment.HKIDN{Bank: segment.BankID{Code: sandbox.BankCode}, CustomerID: segment.AnonymousCustomerID}.Segment()
	msg := &wire.Message{DialogID: "0", Number: 1, Segments: []wire.Segment{seg,
		segment.HKVVB{ProductID: "KONTORTEST", ProductVersion: "1.0"}.Segment()}}
	raw, err := msg.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString(raw)
	// Lines wrapped with CRLF and spaces, as some clients send them.
	var wrapped strings.Builder
	for i := 0; i < len(enc); i += 60 {
		wrapped.WriteString(enc[i:min(i+60, len(enc))])
		wrapped.WriteString("\r\n ")
	}
	for _, ct := range []string{"application/octet-stream", "text/plain", "text/plain;charset=UTF-8", ""} {
		req, _ := http.NewRequest(http.MethodPost, b.url, strings.NewReader(wrapped.String()))
		if ct != "" {
			req.Header.Set("Content-Type", ct)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/plain" {
			t.Errorf("Content-Type %q: HTTP %d %s", ct, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	if status, _ := b.postBody(t, "this is *not* base64!"); status != http.StatusBadRequest {
		t.Errorf("non-base64 body: HTTP %d, want 400", status)
	}
	res, err := http.Get(b.url)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != http.MethodPost {
		t.Errorf("GET: HTTP %d Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
}

func TestAnonymousDialog(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, nil)
	r := c.send(segment.HKIDN{Bank: segment.BankID{Code: sandbox.BankCode}, CustomerID: segment.AnonymousCustomerID}.Segment(),
		segment.HKVVB{ProductID: "KONTORTEST", ProductVersion: "1.0"}.Segment(),
		segment.HKTAN{Version: 7, Process: segment.ProcessStart, SegmentType: "HKIDN"}.Segment())
	if !r.has(20, 3) || !r.has(3050, 3) || !r.has(3076, 4) || r.msg.Security != nil {
		t.Fatalf("anonymous initialisation: %s", r)
	}
	if h := r.hitan(t); !h.IsDummy() || h.Version != 7 {
		t.Errorf("HITAN %+v, want the dummy", h)
	}
	bpd, err := fints.ParseBPD(wire.Marshal(r.msg.Segments))
	if err != nil {
		t.Fatal(err)
	}
	if bpd.Version != bpdVersion || bpd.BankName != sandbox.BankName || len(bpd.TAN) != 2 || bpd.PINTAN == nil {
		t.Errorf("BPD %+v", bpd)
	}
	for job, versions := range jobVersions {
		for _, v := range versions {
			if _, ok := wire.Find(r.msg.FindAll("HI"+job[2:]+"S"), "HI"+job[2:]+"S"); !ok || !slices.ContainsFunc(r.msg.FindAll("HI"+job[2:]+"S"),
				func(s wire.Segment) bool { return s.Header.Version == v }) {
				t.Errorf("no HI%sS version %d", job[2:], v)
			}
		}
	}
	// HITANS 6 has the TAN entry methods only, 7 the decoupled one too.
	for _, h := range bpd.TAN {
		var codes []string
		for _, m := range h.Methods {
			codes = append(codes, m.SecurityFunction)
		}
		want := []string{"921", "912"}
		if h.Version == 7 {
			want = append(want, "946")
		}
		if !slices.Equal(codes, want) {
			t.Errorf("HITANS %d methods %v, want %v", h.Version, codes, want)
		}
	}
	// No UPD and no jobs in an anonymous dialog.
	if _, ok := r.msg.Find("HIUPA"); ok {
		t.Error("UPD in an anonymous dialog")
	}
	r = c.send(segment.HKSAL{Version: 7, Account: segment.Account{Number: "1", BankCode: sandbox.BankCode}}.Segment())
	if !r.has(9210, 2) {
		t.Errorf("HKSAL in the anonymous dialog: %s", r)
	}
	r = c.send(segment.HKEND{DialogID: c.dialogID}.Segment())
	if !r.has(100, 2) {
		t.Errorf("HKEND: %s", r)
	}
	// The dialog is gone.
	r = c.send(segment.HKEND{DialogID: c.dialogID}.Segment())
	if !r.has(9800, 0) {
		t.Errorf("message after HKEND: %s", r)
	}
}

func TestMessageNumbering(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "999"))
	r := c.send(append(initSegs("dummy", "0"), segment.HKSYN{}.Segment())...)
	if !r.has(20, 4) || r.params(3920) == nil {
		t.Fatalf("sync: %s", r)
	}
	if _, ok := r.msg.Find("HISYN"); !ok {
		t.Fatal("no HISYN")
	}
	if r.msg.Ref == nil || r.msg.Ref.Number != 1 || r.msg.Security == nil || r.msg.Security.Party != 2 {
		t.Errorf("answer envelope: ref %+v security %+v", r.msg.Ref, r.msg.Security)
	}
	c.number++ // skip message 2
	r = c.send(segment.HKEND{DialogID: c.dialogID}.Segment())
	if !r.has(9120, 0) || !r.has(9800, 0) {
		t.Fatalf("message 3 after 1: %s", r)
	}
	// The dialog was aborted.
	c.number = 1
	r = c.send(segment.HKEND{DialogID: c.dialogID}.Segment())
	if !r.has(9800, 0) {
		t.Errorf("aborted dialog still answers: %s", r)
	}
	// A new dialog starts with message 1.
	c2 := b.converse(t, personal("dummy", sandbox.DummyPIN, "999"))
	c2.number = 4
	if r := c2.send(initSegs("dummy", "0")...); !r.has(9120, 0) {
		t.Errorf("first message numbered 5: %s", r)
	}
}

func TestUnknownDialog(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "921"))
	c.dialogID = "NOSUCHDIALOG"
	if r := c.send(segment.HKEND{DialogID: c.dialogID}.Segment()); !r.has(9800, 0) {
		t.Errorf("unknown dialog: %s", r)
	}
}

func TestMalformed(t *testing.T) {
	b := newBank(t)
	for _, raw := range []string{
		"",
		"garbage",
		"HNHBK:1:3+000000000000+300+0+1'",
		"HNHBK:1:3+000000000000+300+0+1'HKIDN:2:2+280:10020000+dummy+0+1'HNHBS:3:1+1'",
		"HNHBK:1:3+000000000000+300+0+1'HKIDN:2:2+280:99999999+9999999999+0+0'HKVVB:3:3+0+0+0+X+1'HNHBS:4:1+1'",
		"HNHBK:1:3+000000000000+300+0+1'HKIDN:2:2+280:10020000+9999999999+0+0'HKVVB:3:3+x+0+0+X+1'HNHBS:4:1+1'",
		"HNHBK:1:3+000000000000+300+0+1'HKIDN:2:2+280:10020000+dummy+0+1'HKVVB:3:3+0+0+0+X+1'HNHBS:4:1+1'",
		"HNHBK:1:3+000000000000+300+0+1'HNVSD:999:1+@5@abc'",
	} {
		status, body := b.postBody(t, base64.StdEncoding.EncodeToString([]byte(raw)))
		if status != http.StatusOK {
			if raw == "" && status == http.StatusBadRequest {
				continue // an empty body is no message at all
			}
			t.Errorf("%q: HTTP %d", raw, status)
			continue
		}
		ans, err := decodeBase64(body)
		if err != nil {
			t.Fatal(err)
		}
		m, err := wire.ParseMessage(ans)
		if err != nil {
			t.Fatalf("%q: answer does not parse: %v", raw, err)
		}
		codes, err := wire.Returns(m.Segments)
		if err != nil {
			t.Fatal(err)
		}
		failed := false
		for _, c := range codes {
			failed = failed || c.Code >= 9000
		}
		if !failed {
			t.Errorf("%q: answer without error: %v", raw, codes)
		}
	}
	if got := abortMessage("0", 1); !strings.HasPrefix(string(got), "HNHBK:1:3+") {
		t.Errorf("abort message %q", got)
	}
}

func TestWrongMethod(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "912"))
	r := c.send(append(initSegs("dummy", "0"), segment.HKTAN{Version: 6, Process: segment.ProcessStart, SegmentType: "HKIDN"}.Segment())...)
	if !r.has(9800, 0) || !slices.Equal(r.params(3920), []string{"921"}) {
		t.Errorf("method 912 for dummy: %s", r)
	}
}

// TestJobSCA: a client that opens the dialog without HKTAN gets 3075, the
// UPD, and is asked for SCA at the first TAN-relevant job; after the TAN
// the job's data comes, referring to the HKTAN segment.
func TestJobSCA(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "921"))
	r := c.send(initSegs("dummy", "0")...)
	if !r.has(3075, 4) || !r.has(20, 4) {
		t.Fatalf("initialisation without HKTAN: %s", r)
	}
	if _, ok := r.msg.Find("HIUPA"); !ok {
		t.Fatal("no UPD")
	}
	giro := sandbox.Generate("dummy", testNow)[0]
	acc := segment.Account{IBAN: giro.IBAN, BIC: sandbox.BIC, Number: giro.Number, BankCode: sandbox.BankCode}
	// Without HKTAN the job is refused.
	r = c.send(segment.HKSAL{Version: 7, Account: acc}.Segment())
	if !r.has(9075, 3) {
		t.Fatalf("HKSAL without HKTAN: %s", r)
	}
	// Not TAN-relevant jobs run without.
	r = c.send(segment.HKSPA{Version: 1}.Segment())
	if !r.has(20, 3) {
		t.Fatalf("HKSPA: %s", r)
	}
	r = c.send(segment.HKSAL{Version: 7, Account: acc}.Segment(), segment.HKTAN{Version: 7, Process: segment.ProcessStart, SegmentType: "HKSAL"}.Segment())
	if !r.has(30, 4) || r.has(20, 3) {
		t.Fatalf("HKSAL with HKTAN: %s", r)
	}
	if _, ok := r.msg.Find("HISAL"); ok {
		t.Fatal("balance before the TAN")
	}
	h := r.hitan(t)
	tan := tanOf(t, &fints.Challenge{Text: h.Challenge})
	// While the TAN is pending no other job starts.
	r = c.send(segment.HKSPA{Version: 1}.Segment())
	if !r.has(9210, 3) {
		t.Errorf("job while a TAN is pending: %s", r)
	}
	sec := *c.sec
	sec.TAN = tan
	c.sec = &sec
	r = c.send(segment.HKTAN{Version: 7, Process: segment.ProcessSubmit, TaskRef: h.TaskRef}.Segment())
	if !r.has(20, 3) || !r.has(900, 3) {
		t.Fatalf("TAN: %s", r)
	}
	s, ok := r.msg.Find("HISAL")
	if !ok || s.Header.Ref != 3 {
		t.Fatalf("HISAL %v referring to %d, want 3", ok, s.Header.Ref)
	}
	bal, err := segment.DecodeHISAL(s)
	if err != nil {
		t.Fatal(err)
	}
	if !bal.Booked.Amount.Equal(giro.Balance) {
		t.Errorf("balance %s, want %s", bal.Booked.Amount, giro.Balance)
	}
	// The same TAN reference is spent.
	r = c.send(segment.HKTAN{Version: 7, Process: segment.ProcessSubmit, TaskRef: h.TaskRef}.Segment())
	if !r.has(9210, 3) {
		t.Errorf("spent task reference: %s", r)
	}
	// After SCA, jobs with HKTAN get 3076 and the dummy HITAN.
	c.sec.TAN = ""
	r = c.send(segment.HKSAL{Version: 5, Account: acc}.Segment(), segment.HKTAN{Version: 7, Process: segment.ProcessStart, SegmentType: "HKSAL"}.Segment())
	if !r.has(3076, 4) || !r.has(20, 3) || !r.hitan(t).IsDummy() {
		t.Errorf("HKSAL after SCA: %s", r)
	}
	// A wrong PIN in a running dialog aborts it.
	c.sec.PIN = "000000"
	r = c.send(segment.HKEND{DialogID: c.dialogID}.Segment())
	if !r.has(9340, 0) || !r.has(9800, 0) {
		t.Errorf("wrong PIN in the dialog: %s", r)
	}
}

// TestTouchdownEscaping pages HKKAZ with a small max entries and checks
// that the touchdowns carry syntax characters, are escaped on the wire,
// stay in their dialog and end with the MT942.
func TestTouchdownEscaping(t *testing.T) {
	b := newBank(t)
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "921"))
	r := c.send(append(initSegs("dummy", "0"), segment.HKTAN{Version: 6, Process: segment.ProcessStart, SegmentType: "HKIDN"}.Segment())...)
	h := r.hitan(t)
	if !r.has(30, 5) {
		t.Fatalf("init: %s", r)
	}
	if _, ok := r.msg.Find("HIUPA"); ok {
		t.Fatal("UPD before the TAN")
	}
	c.sec.TAN = tanOf(t, &fints.Challenge{Text: h.Challenge})
	r = c.send(segment.HKTAN{Version: 6, Process: segment.ProcessSubmit, TaskRef: h.TaskRef}.Segment())
	if _, ok := r.msg.Find("HIUPA"); !ok || !r.has(20, 3) {
		t.Fatalf("UPD after the TAN: %s", r)
	}
	c.sec.TAN = ""
	giro := sandbox.Generate("dummy", testNow)[0]
	acc := segment.Account{Number: giro.Number, BankCode: sandbox.BankCode}
	var booked []byte
	var pend []byte
	td := ""
	pages := 0
	for {
		r = c.send(segment.HKKAZ{Version: 6, Account: acc, From: giro.From, MaxEntries: 100, Touchdown: td}.Segment())
		s, ok := r.msg.Find("HIKAZ")
		if !ok {
			t.Fatalf("page %d: %s", pages, r)
		}
		k, err := segment.DecodeHIKAZ(s)
		if err != nil {
			t.Fatal(err)
		}
		booked = append(booked, k.Booked...)
		pend = append(pend, k.Pending...)
		pages++
		p := r.params(3040)
		if p == nil {
			break
		}
		if len(k.Pending) > 0 {
			t.Error("MT942 before the last page")
		}
		td = p[0]
		if !strings.ContainsAny(td, ":+") {
			t.Errorf("touchdown %q has no syntax characters", td)
		}
		if pages > 100 {
			t.Fatal("paging does not end")
		}
	}
	if pages < 5 {
		t.Errorf("%d pages of at most 100 entries for %d transactions", pages, len(giro.Transactions))
	}
	checkStatements(t, giro, &fints.Statements{Format: fints.FormatMT940, MT940: booked, MT942: pend})
	// A touchdown is valid in its dialog only.
	r = c.send(segment.HKKAZ{Version: 6, Account: acc, From: giro.From, Touchdown: "1:abc+2"}.Segment())
	if !r.has(9210, 3) {
		t.Errorf("unknown touchdown: %s", r)
	}
}

// TestDialogExpiry: idle dialogs are dropped after the TTL.
func TestDialogExpiry(t *testing.T) {
	now := testNow
	b := newBank(t, func(c *Config) { c.Now = func() time.Time { return now }; c.DialogTTL = time.Minute })
	c := b.converse(t, personal("dummy", sandbox.DummyPIN, "999"))
	c.send(initSegs("dummy", "0")...)
	now = now.Add(2 * time.Minute)
	if r := c.send(segment.HKEND{DialogID: c.dialogID}.Segment()); !r.has(9800, 0) {
		t.Errorf("expired dialog: %s", r)
	}
	if n := b.openDialogs(); n != 0 {
		t.Errorf("%d dialogs kept", n)
	}
}

// TestMaxDialogs: beyond the limit new dialogs are refused with 9010.
func TestMaxDialogs(t *testing.T) {
	b := newBank(t, func(c *Config) { c.MaxDialogs = 2 })
	for i := range 3 {
		r := b.converse(t, personal("dummy", sandbox.DummyPIN, "999")).send(initSegs("dummy", "0")...)
		if full := r.has(9010, 0); full != (i == 2) {
			t.Errorf("dialog %d: %s", i, r)
		}
	}
}

// TestNoSecretsInLogs: PINs and TANs never reach the log.
func TestNoSecretsInLogs(t *testing.T) {
	var logs strings.Builder
	b := newBank(t, func(c *Config) { c.Log = newTextLogger(&logs) })
	res, _, err := run(t, b.client(t, "dummy"), &fints.State{}, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, "")
	if err != nil || res == nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "HNSHA") {
		t.Fatal("messages were not logged at debug level")
	}
	if strings.Contains(out, sandbox.DummyPIN) {
		t.Error("the PIN is in the log")
	}
	if tanRE.MatchString(out) || !strings.Contains(out, "lautet ******") {
		t.Error("the TAN of the challenge is in the log")
	}
}

// TestSCAExemptionAnswers: for the system ID of a strong customer
// authentication, the dialog initialisation and account information jobs
// get 3076 "Starke Kundenauthentifizierung nicht notwendig" and the dummy
// HITAN instead of a challenge; another system ID gets the challenge.
func TestSCAExemptionAnswers(t *testing.T) {
	b := newBank(t)
	st := &fints.State{}
	if _, _, err := run(t, b.client(t, "dummy"), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, ""); err != nil {
		t.Fatal(err)
	}
	sys := st.Session.SystemID
	text := func(r *reply, code, ref int) string {
		for _, c := range r.codes {
			if c.Code == code && c.Segment == ref {
				return c.Text
			}
		}
		return ""
	}
	const exempted = "Starke Kundenauthentifizierung nicht notwendig."
	hktan := func(job string) wire.Segment {
		return segment.HKTAN{Version: 7, Process: segment.ProcessStart, SegmentType: job}.Segment()
	}

	sec := personal("dummy", sandbox.DummyPIN, "921")
	sec.SystemID = sys
	c := b.converse(t, sec)
	r := c.send(append(initSegs("dummy", sys), hktan("HKIDN"))...)
	if got := text(r, 3076, 5); got != exempted || r.has(30, -1) || !r.hitan(t).IsDummy() || !r.has(20, 4) {
		t.Fatalf("initialisation of a known installation: %s", r)
	}
	if _, ok := r.msg.Find("HIUPA"); !ok {
		t.Error("no UPD after the exempted initialisation")
	}
	giro := sandbox.Generate("dummy", testNow)[0]
	acc := segment.Account{IBAN: giro.IBAN, BIC: sandbox.BIC, Number: giro.Number, BankCode: sandbox.BankCode}
	for _, job := range []wire.Segment{
		segment.HKSAL{Version: 7, Account: acc}.Segment(),
		segment.HKKAZ{Version: 7, Account: acc, From: testNow.AddDate(0, 0, -30)}.Segment(),
	} {
		r = c.send(job, hktan(job.Header.Type))
		if got := text(r, 3076, 4); got != exempted || !r.has(20, 3) || r.has(30, -1) || !r.hitan(t).IsDummy() {
			t.Errorf("%s in the exempted dialog: %s", job.Header.Type, r)
		}
	}
	if _, ok := r.msg.Find("HIKAZ"); !ok {
		t.Error("no HIKAZ in the exempted dialog")
	}

	// Another system ID, or none, is another installation: challenge.
	for _, other := range []string{"0", "KONTORSBunknown"} {
		sec := personal("dummy", sandbox.DummyPIN, "921")
		sec.SystemID = other
		r := b.converse(t, sec).send(append(initSegs("dummy", other), hktan("HKIDN"))...)
		if !r.has(30, 5) || r.has(3076, 5) || r.hitan(t).IsDummy() {
			t.Errorf("initialisation with system ID %q: %s", other, r)
		}
	}
}
