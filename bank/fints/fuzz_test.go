package fints

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// fixedAnswer is an http.RoundTripper that answers every request with the
// same FinTS message, without a network.
type fixedAnswer []byte

func (a fixedAnswer) RoundTrip(r *http.Request) (*http.Response, error) {
	body := base64.StdEncoding.EncodeToString(a)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: r,
		Body: io.NopCloser(bytes.NewBufferString(body))}, nil
}

// bankAnswer wraps segments into a bank message.
func bankAnswer(tb testing.TB, segs ...wire.Segment) []byte {
	m := &wire.Message{DialogID: "D1", Number: 1, Ref: &wire.MessageRef{DialogID: "0", Number: 1},
		Security: &wire.Security{Profile: 2, Function: "998", Party: 2, Unsigned: true}, Segments: segs}
	raw, err := m.Marshal()
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// FuzzClientAnswer feeds one arbitrary bank answer to every message of a
// sync and of one resume: the client must fail cleanly, never panic.
func FuzzClientAnswer(f *testing.F) {
	fb := &fakeBank{t: f, sc: scenario{V6: []segment.TANMethod{methodPush, methodSMS}, V7: []segment.TANMethod{methodApp}}}
	ok := wire.NewReturnSegment("HIRMG", 0, rc(10, "ok"))
	upd := []wire.Segment{
		segment.HIUPA{UserID: fakeUser, Version: 1}.Segment(),
		segment.HIUPD{Account: segment.Account{Number: "1", Country: "280", BankCode: fakeBLZ, IBAN: giroIBAN}, Type: 1,
			Jobs: []segment.AllowedJob{{Job: "HKSAL"}, {Job: "HKKAZ"}, {Job: "HKCDB"}}}.Segment(),
		segment.HIUPD{Account: segment.Account{Number: "2", Country: "280", BankCode: fakeBLZ}, Type: 30}.Segment(),
	}
	seeds := [][]wire.Segment{
		append([]wire.Segment{ok, wire.NewReturnSegment("HIRMS", 3, rc(3920, "Verfahren", "921", "946")),
			segment.HISYN{Ref: 5, SystemID: "S1"}.Segment()}, append(fb.bpd(4), upd...)...),
		{ok, wire.NewReturnSegment("HIRMS", 5, rc(30, "SCA")), segment.HITAN{Version: 7, Ref: 5, Process: "4", TaskRef: "R1", Challenge: "TAN?"}.Segment()},
		{ok, wire.NewReturnSegment("HIRMS", 5, rc(3955, "App")), segment.HITAN{Version: 7, Ref: 5, Process: "4", TaskRef: "R2", Challenge: "App"}.Segment()},
		{ok, wire.NewReturnSegment("HIRMS", 3, rc(3040, "mehr", "P1")), segment.HIKAZ{Version: 7, Ref: 3, Booked: []byte(":20:X")}.Segment()},
		{wire.NewReturnSegment("HIRMG", 0, rc(9050, "Fehler"), rc(9800, "Abbruch")), wire.NewReturnSegment("HIRMS", 3, rc(9942, "PIN falsch"))},
	}
	for _, s := range seeds {
		f.Add(bankAnswer(f, s...))
	}
	f.Fuzz(func(t *testing.T, answer []byte) {
		c, err := New(Config{URL: "https://bank.invalid/fints", BankCode: fakeBLZ, UserID: fakeUser, ProductID: "KONTORTEST",
			HTTPClient: &http.Client{Transport: fixedAnswer(answer)}})
		if err != nil {
			t.Fatal(err)
		}
		cx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		st := &State{}
		step, err := c.Sync(cx, st, fakePIN, Request{Fetch: FetchAll})
		if err != nil || !st.Paused() || (step.Challenge != nil && time.Until(step.Challenge.NextPoll) > 0) {
			return // a wait for the next status query only costs time
		}
		in := Input{TAN: "1"}
		if len(step.Options) > 0 {
			in.TANMethod = step.Options[0].Method
			if len(step.Options[0].Media) > 0 {
				in.TANMedium = step.Options[0].Media[0]
			}
		}
		_, _ = c.Resume(cx, st, fakePIN, in)
	})
}
