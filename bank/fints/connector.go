package fints

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// SandboxBankCode is the bank code of Kontor's sandbox bank. Its FinTS
// face writes the TAN it expects into the challenge text ("... lautet
// 123456."), and the connector shows it on screen, as the in-process
// sandbox connector does. No other bank's challenge is read that way.
const SandboxBankCode = "10020000"

// DefaultConnectorProductID is sent when Connector.ProductID is empty. It
// is not a registered product: the sandbox bank accepts it, real banks
// may warn (3078) or refuse (9078). Register Kontor with the Deutsche
// Kreditwirtschaft and configure the number you get.
const DefaultConnectorProductID = "KontorUnregistered"

// DefaultHistoryMonths is how far back a sync reaches for transactions
// when bank.Request.Since is zero and Connector.HistoryMonths is not set:
// 16 months, a little more than the sandbox bank's 15. Banks that keep
// less history answer with what they have.
const DefaultHistoryMonths = 16

// Connector reaches a bank over FinTS 3.0 PIN/TAN: the bank's FinTS URL
// comes from the bank directory (bank.Bank.FinTSURL). It implements
// bank.Connector on top of Client: Start runs Sync for accounts, balances,
// transactions (camt.052 when the bank offers it, else MT940/MT942),
// standing orders and holdings; Resume continues it with the user's TAN
// method, TAN or approval; the dialog state passed between them is the
// JSON form of State, which holds no PIN or TAN.
//
// A sync that finishes returns the JSON form of the login's Session
// (system ID, BPD, UPD, chosen TAN method and medium; no PIN) as
// bank.Step.Session. Passed back as bank.Request.Session, it lets the
// next sync run as the same client installation: no new system ID, no
// new synchronisation dialog, no new choice of TAN method. A bank that
// applies the PSD2 exemption for account information (RTS Art. 10: up to
// 90 days after the last strong customer authentication of that
// installation) then answers HKTAN with 3076, and the refresh finishes
// without the user.
//
// The result is mapped onto Kontor's accounts with package finformat;
// see KontorAccounts. bank.Request.Previous, the accounts of the login's
// last sync, keeps transaction IDs stable: a booked transaction that
// settles one of their pending transactions keeps the pending one's ID.
type Connector struct {
	// ProductID and ProductVersion identify Kontor to the bank (HKVVB).
	// An empty ProductID means DefaultConnectorProductID, an empty
	// ProductVersion DefaultProductVersion.
	ProductID, ProductVersion string
	// HTTPClient sends the requests; nil means a client with
	// DefaultHTTPTimeout.
	HTTPClient *http.Client
	// Logger receives warnings about jobs the bank refused and the
	// client's debug logs (PIN and TAN masked); nil discards them.
	Logger *slog.Logger
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// HistoryMonths is how many months of transactions a sync asks for
	// when the request has no Since; zero means DefaultHistoryMonths.
	HistoryMonths int
}

var _ bank.Connector = (*Connector)(nil)

// LoginFields returns the FinTS login form: the login name
// (Anmeldename / Legitimations-ID), an optional customer ID for the banks
// that issue one apart from the login name, and the PIN.
func (c *Connector) LoginFields(bank.Bank) []bank.Field {
	return []bank.Field{
		{Name: "loginName", Label: map[string]string{"de": "Anmeldename / Legitimations-ID", "en": "Login name"}},
		{Name: "customerId", Optional: true,
			Label: map[string]string{"de": "Kunden-ID (nur falls abweichend)", "en": "Customer ID (only if different)"}},
		{Name: "pin", Label: map[string]string{"de": "PIN", "en": "PIN"}, Secret: true},
	}
}

// Start opens the dialog with the user's credentials and fetches the
// login's data, or pauses for the user. With req.Session it resumes the
// login's FinTS session from its last sync (see Connector); without, it
// starts a fresh one, with a new system ID.
func (c *Connector) Start(ctx context.Context, req bank.Request) (*bank.Step, error) {
	cl, err := c.client(req)
	if err != nil {
		return nil, err
	}
	st := &State{Session: c.session(req)}
	from := req.Since
	if from.IsZero() {
		months := c.HistoryMonths
		if months <= 0 {
			months = DefaultHistoryMonths
		}
		from = c.now().AddDate(0, -months, 0)
	}
	step, err := cl.Sync(ctx, st, req.Credentials.PIN.Reveal(), Request{Fetch: FetchAll, From: from})
	return c.step(req, st, "", step, err)
}

// session returns the FinTS session a sync starts from: the one stored
// with the login (req.Session), or a fresh one when there is none. A
// stored session that cannot be read is dropped, and stored parameter
// data that no longer parse are dropped on their own (the bank sends
// them again): the sync then starts over, which may cost the user a TAN
// or a new system ID, but a broken session never blocks the login.
func (c *Connector) session(req bank.Request) Session {
	if len(req.Session) == 0 {
		return Session{}
	}
	var s Session
	if err := json.Unmarshal(req.Session, &s); err != nil {
		c.warn("stored FinTS session unreadable, starting a new one", "bank", req.Bank.Code, "error", err.Error())
		return Session{}
	}
	if len(s.BPD) > 0 {
		if _, err := ParseBPD(s.BPD); err != nil {
			c.warn("stored FinTS bank parameter data unreadable, fetching them again", "bank", req.Bank.Code, "error", err.Error())
			s.BPD = nil
		}
	}
	if len(s.UPD) > 0 {
		if _, err := ParseUPD(s.UPD); err != nil {
			c.warn("stored FinTS user parameter data unreadable, fetching them again", "bank", req.Bank.Code, "error", err.Error())
			s.UPD = nil
		}
	}
	return s
}

// warn logs a warning when the connector has a logger.
func (c *Connector) warn(msg string, args ...any) {
	if c.Logger != nil {
		c.Logger.Warn(msg, args...)
	}
}

// Resume continues the paused dialog in state with the user's input: a
// TAN method ("921", or "920:medium" when the method needs a TAN medium),
// a TAN, or a poll for a decoupled approval.
//
// When the bank rejects a TAN and lets the user try again, Resume returns
// a *WrongTANError: it is bank.ErrWrongTAN, and its State replaces state
// for the next try, because the dialog has moved on at the bank.
func (c *Connector) Resume(ctx context.Context, req bank.Request, state []byte, in bank.Input) (*bank.Step, error) {
	var st State
	if err := json.Unmarshal(state, &st); err != nil {
		return nil, fmt.Errorf("fints connector: decoding dialog state: %w", bank.ErrProtocol)
	}
	if !st.Paused() {
		return nil, fmt.Errorf("fints connector: the dialog state holds no paused operation: %w", bank.ErrProtocol)
	}
	cl, err := c.client(req)
	if err != nil {
		return nil, err
	}
	waiting := StepKind(st.Op.Waiting)
	var fin Input
	switch waiting {
	case StepChooseTANMethod:
		fin.TANMethod, fin.TANMedium, _ = strings.Cut(in.TANMethod, ":")
	case StepTAN:
		if in.TAN == "" {
			return nil, fmt.Errorf("fints connector: no TAN entered: %w", bank.ErrWrongTAN)
		}
		fin.TAN = wire.Secret(in.TAN.Reveal())
	case StepDecoupled:
		// A poll: Resume asks the bank once whether the user approved.
	}
	step, err := cl.Resume(ctx, &st, req.Credentials.PIN.Reveal(), fin)
	return c.step(req, &st, waiting, step, err)
}

// client returns a FinTS client for the request's bank and login.
func (c *Connector) client(req bank.Request) (*Client, error) {
	if req.Bank.FinTSURL == "" {
		return nil, fmt.Errorf("fints connector: bank %s has no FinTS address: %w", req.Bank.Code, bank.ErrUnsupported)
	}
	creds := req.Credentials
	for _, v := range []string{creds.LoginName, creds.CustomerID, creds.PIN.Reveal()} {
		if _, ok := wire.Latin1(v); !ok {
			// FinTS carries ISO 8859-1 only: such a login cannot be right.
			return nil, fmt.Errorf("fints connector: login name, customer ID or PIN has characters FinTS cannot carry: %w",
				bank.ErrWrongCredentials)
		}
	}
	if creds.LoginName == "" || creds.PIN == "" {
		return nil, fmt.Errorf("fints connector: login name or PIN is empty: %w", bank.ErrWrongCredentials)
	}
	productID := c.ProductID
	if productID == "" {
		productID = DefaultConnectorProductID
	}
	cl, err := New(Config{
		URL: req.Bank.FinTSURL, BankCode: req.Bank.Code, UserID: creds.LoginName, CustomerID: creds.CustomerID,
		ProductID: productID, ProductVersion: c.ProductVersion, HTTPClient: c.HTTPClient, Logger: c.Logger,
	})
	if err != nil {
		return nil, fmt.Errorf("fints connector: bank %s: %w (%w)", req.Bank.Code, bank.ErrUnsupported, err)
	}
	return cl, nil
}

// step maps the client's outcome onto the connector's. waiting is what the
// operation waited for before this call ("" for Start). A finished sync
// returns st's Session, to be kept with the login for the next sync.
func (c *Connector) step(req bank.Request, st *State, waiting StepKind, step *Step, err error) (*bank.Step, error) {
	if err != nil {
		err = mapError(err, st, waiting)
		var wt *WrongTANError
		if errors.As(err, &wt) {
			if wt.State, err = json.Marshal(st); err != nil {
				return nil, fmt.Errorf("fints connector: encoding dialog state: %w", err)
			}
			return nil, wt
		}
		return nil, err
	}
	if step == nil {
		return nil, fmt.Errorf("fints connector: the client returned no step: %w", bank.ErrProtocol)
	}
	state, err := json.Marshal(st)
	if err != nil {
		return nil, fmt.Errorf("fints connector: encoding dialog state: %w", err)
	}
	out := &bank.Step{State: state}
	switch step.Kind {
	case StepDone:
		if step.Result == nil {
			return nil, fmt.Errorf("fints connector: the client finished without a result: %w", bank.ErrProtocol)
		}
		c.logJobErrors(req.Bank.Code, step.Result)
		out.Kind = bank.StepDone
		if out.Accounts, err = KontorAccounts(req.Bank.Code, step.Result, req.Previous); err != nil {
			return nil, err
		}
		if out.Session, err = json.Marshal(st.Session); err != nil {
			return nil, fmt.Errorf("fints connector: encoding the FinTS session: %w", err)
		}
	case StepChooseTANMethod:
		out.Kind = bank.StepChooseTANMethod
		out.Options = tanOptions(step.Options)
		if len(out.Options) == 0 {
			return nil, fmt.Errorf("fints connector: the bank offers no TAN method to choose: %w", bank.ErrUnsupported)
		}
	case StepTAN, StepDecoupled:
		out.Kind = bank.StepTAN
		if step.Kind == StepDecoupled {
			out.Kind = bank.StepDecoupled
		}
		out.Challenge = c.challenge(req.Bank.Code, step.Challenge)
	default:
		return nil, fmt.Errorf("fints connector: the client returned step %q: %w", step.Kind, bank.ErrProtocol)
	}
	return out, nil
}

// logJobErrors warns about jobs the bank refused; the sync went on
// without their data.
func (c *Connector) logJobErrors(bankCode string, res *Result) {
	if c.Logger == nil {
		return
	}
	for _, e := range res.Errors {
		c.Logger.Warn("FinTS job refused", "bank", bankCode, "error", e.Error())
	}
	for _, a := range res.Accounts {
		for _, e := range a.Errors {
			c.Logger.Warn("FinTS job refused for an account", "bank", bankCode, "type", a.Type, "error", e.Error())
		}
	}
}

func (c *Connector) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// tanOptions lists the TAN methods for the Banking UI. A method that needs
// one of several TAN media becomes one option per medium, with the ID
// "method:medium".
func tanOptions(opts []TANOption) []bank.TANOption {
	var out []bank.TANOption
	for _, o := range opts {
		if len(o.Media) == 0 {
			out = append(out, bank.TANOption{ID: o.Method, Name: o.Name, Decoupled: o.Decoupled})
			continue
		}
		for _, m := range o.Media {
			out = append(out, bank.TANOption{ID: o.Method + ":" + m, Name: o.Name + " – " + m, Decoupled: o.Decoupled})
		}
	}
	return out
}

// sandboxTAN finds the TAN the sandbox bank writes into its challenge.
var sandboxTAN = regexp.MustCompile(`lautet\s+(\d{4,12})\b`)

// challenge maps the bank's challenge: text (HTML reduced to plain text),
// photoTAN image, the wait before the next status query of a decoupled
// approval, and for the sandbox bank the TAN it shows.
func (c *Connector) challenge(bankCode string, ch *Challenge) *bank.Challenge {
	out := &bank.Challenge{}
	if ch == nil {
		return out
	}
	out.Text = ch.Text
	if ch.HTML {
		out.Text = plainText(ch.Text)
	}
	if ch.Image != nil {
		out.Image = &bank.Image{MIMEType: ch.Image.MIMEType, Data: ch.Image.Data}
	}
	if ch.Decoupled && !ch.NextPoll.IsZero() {
		out.PollAfter = max(0, ch.NextPoll.Sub(c.now()))
	}
	if bankCode == SandboxBankCode {
		if m := sandboxTAN.FindStringSubmatch(out.Text); m != nil {
			out.TAN = m[1]
		}
	}
	return out
}

var (
	htmlBreak = regexp.MustCompile(`(?i)<\s*(br\s*/?|/p|/li|/ul|/ol)\s*>`)
	htmlTag   = regexp.MustCompile(`<[^>]*>`)
)

// plainText reduces the simple HTML FinTS allows in challenges (<br>, <p>,
// <b>, <i>, <u>, <ul>, <ol>, <li>) to text with line breaks.
func plainText(s string) string {
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// WrongTANError is returned by Connector.Resume when the bank rejected a
// TAN and the user may try again. It is bank.ErrWrongTAN. The dialog has
// moved on at the bank (the rejected TAN took a message), so the next try
// must resume from State, not from the state the failed call got.
type WrongTANError struct {
	// State is the dialog state to resume the next try from.
	State []byte
	err   error
}

// Error describes the rejection; it holds the bank's text, never the TAN.
func (e *WrongTANError) Error() string { return e.err.Error() }

// DialogState returns the state to resume the next try from (see
// bank.StatefulError).
func (e *WrongTANError) DialogState() []byte { return e.State }

// Unwrap returns bank.ErrWrongTAN and the client's error.
func (e *WrongTANError) Unwrap() error { return e.err }

// mapError maps a client error onto the bank sentinels, keeping the
// client's error (and so the bank's codes and texts) wrapped beside it.
// waiting is what the operation waited for when the call began.
func mapError(err error, st *State, waiting StepKind) error {
	inSCA := waiting == StepTAN || waiting == StepDecoupled
	var kind error
	switch {
	case errors.Is(err, ErrWrongPIN):
		kind = bank.ErrWrongCredentials
	case errors.Is(err, ErrLocked):
		kind = bank.ErrLocked
	case errors.Is(err, ErrTANInvalid):
		if st != nil && st.Paused() && StepKind(st.Op.Waiting) == StepTAN {
			return &WrongTANError{err: fmt.Errorf("fints connector: %w (%w)", bank.ErrWrongTAN, err)}
		}
		kind = bank.ErrTANFailed
	case errors.Is(err, ErrTANExpired):
		kind = bank.ErrTANFailed
	case inSCA && (errors.Is(err, ErrRejected) || errors.Is(err, ErrDialogAborted)):
		// The bank refused the TAN process or ended the dialog while the
		// user looked for the TAN: the SCA failed, start over.
		kind = bank.ErrTANFailed
	case errors.Is(err, ErrBankUnavailable), errors.Is(err, ErrDialogAborted), errors.Is(err, ErrRejected),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		kind = bank.ErrUnavailable
	case errors.Is(err, ErrUnsupported):
		kind = bank.ErrUnsupported
	default:
		// ErrProtocol, ErrInvalidInput (a broken state) and anything
		// unforeseen: the bank's answer could not be used.
		kind = bank.ErrProtocol
	}
	return fmt.Errorf("fints connector: %w (%w)", kind, err)
}
