package fintsbank

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/bank/fints"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// testNow is the fixed clock of the tests: the data of every dialog is
// generated for this day.
var testNow = time.Date(2025, 3, 14, 10, 30, 0, 0, time.UTC)

// bank is a sandbox bank served by httptest, with statistics about the
// answers it gave.
type bank struct {
	*server
	url string

	mu       sync.Mutex
	requests int
	maxBytes int
}

func newBank(t testing.TB, configure ...func(*Config)) *bank {
	t.Helper()
	cfg := Config{Now: func() time.Time { return testNow }}
	for _, f := range configure {
		f(&cfg)
	}
	b := &bank{server: newServer(cfg)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		b.server.ServeHTTP(rec, r)
		b.mu.Lock()
		b.requests++
		b.maxBytes = max(b.maxBytes, rec.Body.Len())
		b.mu.Unlock()
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(srv.Close)
	b.url = srv.URL + "/fints/sandbox"
	return b
}

// client returns Kontor's FinTS client for a login at the bank.
func (b *bank) client(t testing.TB, user string) *fints.Client {
	t.Helper()
	c, err := fints.New(fints.Config{URL: b.url, BankCode: sandbox.BankCode, UserID: user, ProductID: "KONTORTEST"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var tanRE = regexp.MustCompile(`lautet (\d{6})\.`)

// tanOf reads the TAN from a sandbox challenge.
func tanOf(t testing.TB, ch *fints.Challenge) wire.Secret {
	t.Helper()
	if ch == nil {
		t.Fatal("no challenge")
	}
	m := tanRE.FindStringSubmatch(ch.Text)
	if m == nil {
		t.Fatalf("challenge %q tells no TAN", ch.Text)
	}
	return wire.Secret(m[1])
}

// syncStats says what a sync went through.
type syncStats struct {
	choices, tans, polls int
}

// run syncs a login to the end: it picks method (or the first offered),
// types the TAN the challenge tells and polls decoupled approvals.
func run(t testing.TB, c *fints.Client, st *fints.State, pin string, req fints.Request, method string) (*fints.Result, syncStats, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stats syncStats
	step, err := c.Sync(ctx, st, pin, req)
	for i := 0; err == nil && step.Kind != fints.StepDone; i++ {
		if i > 50 {
			t.Fatal("sync does not finish")
		}
		switch step.Kind {
		case fints.StepChooseTANMethod:
			stats.choices++
			in := fints.Input{TANMethod: step.Options[0].Method}
			if method != "" {
				in.TANMethod = method
			}
			step, err = c.Resume(ctx, st, pin, in)
		case fints.StepTAN:
			stats.tans++
			step, err = c.Resume(ctx, st, pin, fints.Input{TAN: tanOf(t, step.Challenge)})
		case fints.StepDecoupled:
			stats.polls++
			step, err = c.Resume(ctx, st, pin, fints.Input{})
		}
	}
	if err != nil {
		return nil, stats, err
	}
	return step.Result, stats, nil
}

// conversation speaks raw FinTS messages to the bank.
type conversation struct {
	t        testing.TB
	b        *bank
	dialogID string
	number   int
	sec      *wire.Security
}

// converse starts a conversation; sec nil means unsigned (anonymous).
func (b *bank) converse(t testing.TB, sec *wire.Security) *conversation {
	return &conversation{t: t, b: b, dialogID: "0", sec: sec}
}

// personal returns the security of a personal message.
func personal(user, pin, function string) *wire.Security {
	profile := 2
	if function == "999" {
		profile = 1
	}
	return &wire.Security{Profile: profile, Function: function, BankCode: sandbox.BankCode, UserID: user,
		SystemID: "0", ControlRef: "4711", PIN: wire.Secret(pin)}
}

// send sends segs as the next message and returns the parsed answer.
func (c *conversation) send(segs ...wire.Segment) *reply {
	c.t.Helper()
	c.number++
	m := &wire.Message{DialogID: c.dialogID, Number: c.number, Segments: segs}
	if c.sec != nil {
		sec := *c.sec
		m.Security = &sec
	}
	raw, err := m.Marshal()
	if err != nil {
		c.t.Fatal(err)
	}
	r := c.b.post(c.t, raw)
	if c.dialogID == "0" {
		c.dialogID = r.msg.DialogID
	}
	return r
}

// reply is a parsed bank answer.
type reply struct {
	msg   *wire.Message
	codes []wire.Return
}

// post sends raw bytes and parses the answer.
func (b *bank) post(t testing.TB, raw []byte) *reply {
	t.Helper()
	status, body := b.postBody(t, base64.StdEncoding.EncodeToString(raw))
	if status != http.StatusOK {
		t.Fatalf("HTTP %d: %s", status, body)
	}
	ans, err := decodeBase64(body)
	if err != nil {
		t.Fatalf("answer is not base64: %v", err)
	}
	m, err := wire.ParseMessage(ans)
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, ans)
	}
	codes, err := wire.Returns(m.Segments)
	if err != nil {
		t.Fatalf("answer's return codes: %v", err)
	}
	return &reply{msg: m, codes: codes}
}

// postBody posts a body as it is.
func (b *bank) postBody(t testing.TB, body string) (int, []byte) {
	t.Helper()
	res, err := http.Post(b.url, "application/octet-stream", bytes.NewBufferString(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, out
}

// has reports whether the answer carries code (for client segment ref, or
// anywhere when ref is -1).
func (r *reply) has(code, ref int) bool {
	for _, c := range r.codes {
		if c.Code == code && (ref < 0 || c.Segment == ref) {
			return true
		}
	}
	return false
}

// param returns the first parameter list of code.
func (r *reply) params(code int) []string {
	for _, c := range r.codes {
		if c.Code == code {
			return c.Params
		}
	}
	return nil
}

func (r *reply) String() string {
	var b bytes.Buffer
	for _, c := range r.codes {
		b.WriteString(c.String())
		b.WriteString("; ")
	}
	return b.String()
}

// hitan returns the answer's HITAN.
func (r *reply) hitan(t testing.TB) segment.HITAN {
	t.Helper()
	s, ok := r.msg.Find("HITAN")
	if !ok {
		t.Fatalf("no HITAN in answer: %s", r)
	}
	h, err := segment.DecodeHITAN(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// initSegs returns HKIDN and HKVVB for a user (BPD and UPD version 0).
func initSegs(user, systemID string) []wire.Segment {
	return []wire.Segment{
		segment.HKIDN{Bank: segment.BankID{Code: sandbox.BankCode}, CustomerID: user, SystemID: systemID, SystemIDRequired: true}.Segment(),
		segment.HKVVB{ProductID: "KONTORTEST", ProductVersion: "1.0"}.Segment(),
	}
}

func wantErr(t testing.TB, err, kind error) {
	t.Helper()
	if !errors.Is(err, kind) {
		t.Fatalf("error = %v, want %v", err, kind)
	}
}

// lockedWriter serialises writes of concurrent handlers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// newTextLogger logs everything, debug included, to w.
func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(&lockedWriter{w: w}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// openDialogs returns the number of dialogs the bank keeps.
func (b *bank) openDialogs() int {
	b.server.mu.Lock()
	defer b.server.mu.Unlock()
	return len(b.server.dialogs)
}
