package fintsbank

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// dialogPlaceholder in a fuzzed message is replaced by the dialog ID of
// the previous answer, so that one input can be a whole conversation.
const dialogPlaceholder = "@DLG@"

// messageSeparator separates the messages of one fuzzed conversation.
const messageSeparator = "\n--\n"

// FuzzServe feeds conversations of raw FinTS messages (separated by
// "\n--\n", with "@DLG@" standing for the current dialog ID) to the
// sandbox bank, and each message also base64-encoded as an HTTP body. The
// bank must never panic and must always answer with a well-formed FinTS
// message that carries return codes, or with HTTP 400 for a body that is
// not base64.
func FuzzServe(f *testing.F) {
	f.Add([]byte("HNHBK:1:3+000000000000+300+0+1'HKIDN:2:2+280:10020000+9999999999+0+0'HKVVB:3:3+0+0+0+X+1'HNHBS:4:1+1'"))
	f.Add([]byte("not base64 ***"))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := newServer(Config{Now: func() time.Time { return testNow }, MaxPageEntries: 50})
		dialogID := "0"
		for i, msg := range bytes.Split(in, []byte(messageSeparator)) {
			if i >= 8 {
				break
			}
			msg = bytes.ReplaceAll(msg, []byte(dialogPlaceholder), []byte(dialogID))
			// Straight into the bank, so that a panic is not recovered.
			ans := s.respond(msg)
			m := checkAnswer(t, ans)
			dialogID = m.DialogID

			// And over HTTP, base64-encoded.
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/fints/sandbox", bytes.NewReader([]byte(base64.StdEncoding.EncodeToString(msg)))))
			if len(msg) == 0 {
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("empty body: HTTP %d", rec.Code)
				}
				continue
			}
			if rec.Code != http.StatusOK {
				t.Fatalf("HTTP %d for a base64 body", rec.Code)
			}
			raw, err := decodeBase64(rec.Body.Bytes())
			if err != nil {
				t.Fatalf("answer is not base64: %v", err)
			}
			checkAnswer(t, raw)
		}
		// The input itself as a body: base64 or not.
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/fints/sandbox", bytes.NewReader(in)))
		if _, err := decodeBase64(in); err != nil {
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("non-base64 body: HTTP %d, want 400", rec.Code)
			}
		} else if rec.Code != http.StatusOK {
			t.Fatalf("base64 body: HTTP %d", rec.Code)
		} else if raw, err := decodeBase64(rec.Body.Bytes()); err != nil {
			t.Fatalf("answer is not base64: %v", err)
		} else {
			checkAnswer(t, raw)
		}
	})
}

// checkAnswer parses a bank answer and checks that it carries return
// codes.
func checkAnswer(t *testing.T, ans []byte) *wire.Message {
	t.Helper()
	m, err := wire.ParseMessage(ans)
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%q", err, ans)
	}
	codes, err := wire.Returns(m.Segments)
	if err != nil {
		t.Fatalf("answer's return codes: %v", err)
	}
	if len(codes) == 0 {
		t.Fatalf("answer without return codes: %q", ans)
	}
	if _, ok := m.Find("HIRMG"); !ok {
		t.Fatalf("answer without HIRMG: %q", ans)
	}
	return m
}
