package fintsbank

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// Defaults of Config.
const (
	// DefaultDialogTTL is how long an idle dialog is kept.
	DefaultDialogTTL = 15 * time.Minute
	// DefaultMaxPageEntries bounds the transactions of one HIKAZ or HICAZ
	// page.
	DefaultMaxPageEntries = 1000
	// DefaultMaxDialogs bounds the dialogs kept at once.
	DefaultMaxDialogs = 10000
	// MaxBodyBytes bounds a request body.
	MaxBodyBytes = 1 << 20
)

// Config configures the sandbox bank's FinTS face.
type Config struct {
	// Now returns the current time (default time.Now). The data of a
	// dialog is generated as of the day it started; decoupled approvals,
	// challenge expiry and the 90 days in which account information needs
	// no new strong customer authentication follow this clock too.
	Now func() time.Time
	// Log receives warnings and, at debug level, every message with PIN
	// and TAN masked (default: discarded).
	Log *slog.Logger
	// DialogTTL is how long an idle dialog, its TAN processes and its
	// touchdowns are kept (default DefaultDialogTTL).
	DialogTTL time.Duration
	// MaxPageEntries bounds the transactions of one page of HIKAZ or
	// HICAZ (default DefaultMaxPageEntries).
	MaxPageEntries int
	// MaxDialogs bounds the dialogs kept in memory at once (default
	// DefaultMaxDialogs); beyond it new dialogs are refused with 9010.
	MaxDialogs int
}

// server is the sandbox bank's FinTS face.
type server struct {
	cfg  Config
	data *dataCache

	mu       sync.Mutex
	dialogs  map[string]*dialog
	failures map[string]*pinFailures // by login
	// scas are the times of the last strong customer authentication by
	// login and system ID (see exemption.go).
	scas      map[scaKey]time.Time
	lastSweep time.Time
}

// New returns the sandbox bank's FinTS 3.0 PIN/TAN endpoint as an HTTP
// handler: POST a base64-encoded FinTS message, get the bank's base64
// answer. See the package documentation for what it does.
func New(cfg Config) http.Handler { return newServer(cfg) }

func newServer(cfg Config) *server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.DialogTTL <= 0 {
		cfg.DialogTTL = DefaultDialogTTL
	}
	if cfg.MaxPageEntries <= 0 {
		cfg.MaxPageEntries = DefaultMaxPageEntries
	}
	if cfg.MaxDialogs <= 0 {
		cfg.MaxDialogs = DefaultMaxDialogs
	}
	return &server{
		cfg:      cfg,
		data:     newDataCache(4),
		dialogs:  map[string]*dialog{},
		failures: map[string]*pinFailures{},
		scas:     map[scaKey]time.Time{},
	}
}

// ServeHTTP answers one FinTS message.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "FinTS messages are sent with POST", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "FinTS message too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "reading the request failed", http.StatusBadRequest)
		return
	}
	raw, err := decodeBase64(body)
	if err != nil {
		http.Error(w, "the body is not a base64-encoded FinTS message", http.StatusBadRequest)
		return
	}
	answer := s.safeRespond(r, raw)
	w.Header().Set("Content-Type", "text/plain")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, base64.StdEncoding.EncodeToString(answer))
}

// safeRespond answers a message and turns a panic into the abort message,
// so that no input can take the server down.
func (s *server) safeRespond(r *http.Request, raw []byte) (answer []byte) {
	defer func() {
		if p := recover(); p != nil {
			s.cfg.Log.ErrorContext(r.Context(), "fintsbank: internal error while answering a message", "panic", p)
			answer = abortMessage("0", 1, rc(9010, "Verarbeitung derzeit nicht möglich"))
		}
	}()
	s.cfg.Log.DebugContext(r.Context(), "fintsbank message received", "message", string(wire.Redact(raw)))
	answer = s.respond(raw)
	s.cfg.Log.DebugContext(r.Context(), "fintsbank message sent", "message", string(maskTAN(wire.Redact(answer))))
	return answer
}

// tanInChallenge finds the TAN the sandbox tells in its challenge text.
var tanInChallenge = regexp.MustCompile(`lautet [0-9]+`)

// maskTAN hides the TAN of a challenge in a message that is logged.
func maskTAN(msg []byte) []byte { return tanInChallenge.ReplaceAll(msg, []byte("lautet ******")) }

// decodeBase64 decodes a body after removing white space; padding is
// optional.
func decodeBase64(body []byte) ([]byte, error) {
	clean := make([]byte, 0, len(body))
	for _, c := range body {
		switch c {
		case ' ', '\r', '\n', '\t', '\v', '\f':
		default:
			clean = append(clean, c)
		}
	}
	if len(clean) == 0 {
		return nil, errors.New("empty body")
	}
	// Room for the unpadded reading too: Decode writes before it reports
	// a missing padding, and StdEncoding.DecodedLen counts whole quanta
	// only.
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean))+3)
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		n, err = base64.RawStdEncoding.Decode(out, bytes.TrimRight(clean, "="))
		if err != nil {
			return nil, err
		}
	}
	return out[:n], nil
}

// rc builds a return code.
func rc(code int, text string, params ...string) wire.ReturnCode {
	return wire.ReturnCode{Code: code, Text: text, Params: params}
}

// abortMessage is the fixed answer to a message that cannot be processed
// at all: plain HNHBK, HIRMG with the codes and 9800, HNHBS.
func abortMessage(dialogID string, number int, codes ...wire.ReturnCode) []byte {
	if dialogID == "" {
		dialogID = "0"
	}
	if number < 1 {
		number = 1
	}
	codes = append(codes, rc(9800, "Dialog abgebrochen"))
	m := &wire.Message{
		DialogID: dialogID,
		Number:   number,
		Ref:      &wire.MessageRef{DialogID: dialogID, Number: number},
		Segments: []wire.Segment{wire.NewReturnSegment("HIRMG", 0, codes...)},
	}
	b, err := m.Marshal()
	if err != nil {
		// Cannot happen for these fixed values; fall back to a constant.
		return []byte("HNHBK:1:3+000000000072+300+0+1+0:1'HIRMG:2:2+9800::Dialog abgebrochen'HNHBS:3:1+1'")
	}
	return b
}
