package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/vault"
)

// Banking is what connecting banks needs: where banks are found, which
// connector reaches each, and the key that seals credentials at rest.
type Banking struct {
	Directory bank.Directory
	Route     bank.Router
	Vault     *vault.Keyring
	// SessionTTL is how long a connect session may take (15 minutes by
	// default).
	SessionTTL time.Duration
	// PublicURL is the Banking UI's base URL as browsers reach it.
	PublicURL string
	// RefreshInterval is how often logins connected with recurring are
	// refreshed without the user; zero turns scheduled refreshes off.
	RefreshInterval time.Duration
}

// SetBanking enables connect sessions.
func (s *Service) SetBanking(b Banking) {
	if b.SessionTTL == 0 {
		b.SessionTTL = 15 * time.Minute
	}
	b.PublicURL = strings.TrimSuffix(b.PublicURL, "/")
	s.banking = b
}

// Banks returns the bank directory.
func (s *Service) Banks() bank.Directory { return s.banking.Directory }

// ConnectRequest is what an API client asks for when it sends a user to
// the Banking UI.
type ConnectRequest struct {
	RedirectURL, ErrorURL, ExitURL string
	Recurring                      bool
	UserIP                         string
}

// MaxURLLength bounds the app URLs of a connect session.
const MaxURLLength = 2048

// CreateConnectSession starts a Banking UI visit for a user and returns
// the session and the URL to send the user to.
func (s *Service) CreateConnectSession(ctx context.Context, c *kontor.Client, userID string, req ConnectRequest) (*kontor.ConnectSession, string, error) {
	if s.banking.Vault == nil {
		return nil, "", kontor.Errorf(kontor.EUNAVAILABLE, "The Banking UI is not enabled")
	}
	for _, f := range []struct{ name, value string }{{"redirectURL", req.RedirectURL}, {"errorURL", req.ErrorURL}, {"exitURL", req.ExitURL}} {
		if err := checkAppURL(f.name, f.value); err != nil {
			return nil, "", err
		}
	}
	now := s.Now().UTC()
	sess := &kontor.ConnectSession{
		ID: kontor.NewID(), ClientID: c.ID, UserID: userID,
		RedirectURL: req.RedirectURL, ErrorURL: req.ErrorURL, ExitURL: req.ExitURL,
		Recurring: req.Recurring, UserIP: req.UserIP,
		CreatedAt: now, ExpiresAt: now.Add(s.banking.SessionTTL),
		State: kontor.ConnectCreated,
	}
	if err := s.store.CreateConnectSession(ctx, sess); err != nil {
		return nil, "", err
	}
	return sess, s.banking.PublicURL + "/connect/auth?sessionId=" + sess.ID, nil
}

// checkAppURL accepts only absolute http(s) URLs with a host, so the
// Banking UI never redirects to a script, a relative path or a URL that
// smuggles credentials.
func checkAppURL(name, raw string) error {
	bad := kontor.Errorf(kontor.EINVALID, "Bad request. Field %s must be an absolute http or https URL", name)
	if raw == "" {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s is required", name)
	}
	if len(raw) > MaxURLLength {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s is longer than %d characters", name, MaxURLLength)
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return bad
	}
	if strings.ContainsAny(raw, "\\\x00\r\n\t ") {
		return bad
	}
	return nil
}

// ConnectStep is what the Banking UI shows for a paused dialog. It is
// sealed in the session between requests.
type ConnectStep struct {
	Options   []bank.TANOption `json:"options,omitempty"`
	Challenge *bank.Challenge  `json:"challenge,omitempty"`
}

// Connect failure codes, passed to the app's errorURL as "error".
const (
	FailWrongCredentials = "wrong_credentials"
	FailLocked           = "login_locked"
	FailTAN              = "tan_failed"
	FailUnavailable      = "bank_unavailable"
	FailUnsupported      = "bank_unsupported"
	FailExpired          = "session_expired"
	FailInternal         = "internal_error"
)

// Problems the user can fix by trying again.
const (
	ProblemWrongPIN = "wrong_pin"
	ProblemWrongTAN = "wrong_tan"
)

// MaxAttempts is how often a user may enter a wrong PIN or TAN in one
// session before it fails.
const MaxAttempts = 3

// Connect is one step of a Banking UI visit.
type Connect struct {
	Session *kontor.ConnectSession
	// Step is the paused dialog's step, for the TAN screens.
	Step *ConnectStep
	// Problem is a retryable problem to show (ProblemWrongPIN, ...).
	Problem string
	// AttemptsLeft is how many tries remain after a Problem.
	AttemptsLeft int
}

// hashKey returns the stored form of a browser key.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte("kontor connect browser\x00" + key))
	return hex.EncodeToString(sum[:])
}

// OpenConnect returns a session for the browser that holds browserKey. The
// first browser to open a new session binds it: it gets a new key to keep
// in a cookie, and every other browser is refused (the link is single-use).
func (s *Service) OpenConnect(ctx context.Context, sessionID, browserKey string) (*Connect, string, error) {
	sess, err := s.store.ConnectSession(ctx, sessionID)
	if err != nil {
		return nil, "", kontor.Errorf(kontor.ENOTFOUND, "This link is not valid")
	}
	newKey := ""
	if sess.State == kontor.ConnectCreated {
		if s.Now().After(sess.ExpiresAt) {
			return nil, "", kontor.Errorf(kontor.EFORBIDDEN, "This link has expired")
		}
		newKey = kontor.NewID() + kontor.NewID()
		sess.BrowserHash = hashKey(newKey)
		sess.State = kontor.ConnectOpened
		if err := s.store.UpdateConnectSession(ctx, sess); err != nil {
			return nil, "", kontor.Errorf(kontor.EFORBIDDEN, "This link was already used")
		}
	} else if browserKey == "" || hashKey(browserKey) != sess.BrowserHash {
		return nil, "", kontor.Errorf(kontor.EFORBIDDEN, "This link was already used")
	}
	c := &Connect{Session: sess}
	if !sess.State.Final() && s.Now().After(sess.ExpiresAt) {
		return c, newKey, s.fail(ctx, c, FailExpired)
	}
	if len(sess.Step) > 0 {
		if c.Step, err = s.openStep(sess); err != nil {
			return nil, "", err
		}
	}
	return c, newKey, nil
}

func (s *Service) openStep(sess *kontor.ConnectSession) (*ConnectStep, error) {
	plain, err := s.banking.Vault.Open(sess.Step, "connect-step/"+sess.ID)
	if err != nil {
		return nil, fmt.Errorf("opening connect step: %w", err)
	}
	var st ConnectStep
	if err := json.Unmarshal(plain, &st); err != nil {
		return nil, fmt.Errorf("decoding connect step: %w", err)
	}
	return &st, nil
}

// errFinished is returned for actions on a session that has ended.
var errFinished = kontor.Errorf(kontor.ECONFLICT, "This bank connection has already ended")

// ChooseBank records the bank the user picked.
func (s *Service) ChooseBank(ctx context.Context, c *Connect, code string) (bank.Bank, error) {
	if c.Session.State != kontor.ConnectOpened {
		return bank.Bank{}, errFinished
	}
	b, ok := s.banking.Directory.Lookup(code)
	if !ok {
		return bank.Bank{}, kontor.Errorf(kontor.ENOTFOUND, "Unknown bank code")
	}
	return b, nil
}

// LoginFields returns the login form of a bank.
func (s *Service) LoginFields(b bank.Bank) ([]bank.Field, error) {
	conn, err := s.banking.Route(b)
	if err != nil {
		return nil, kontor.Errorf(kontor.EINVALID, "This bank cannot be connected")
	}
	return conn.LoginFields(b), nil
}

// SubmitLogin starts the bank dialog with the user's credentials.
func (s *Service) SubmitLogin(ctx context.Context, c *Connect, code string, creds bank.Credentials) error {
	if c.Session.State != kontor.ConnectOpened {
		return errFinished
	}
	b, ok := s.banking.Directory.Lookup(code)
	if !ok {
		return kontor.Errorf(kontor.ENOTFOUND, "Unknown bank code")
	}
	conn, err := s.banking.Route(b)
	if err != nil {
		return s.fail(ctx, c, FailUnsupported)
	}
	c.Session.BankCode = b.Code
	step, err := conn.Start(ctx, s.bankRequest(c.Session, b, creds))
	if errors.Is(err, bank.ErrWrongCredentials) {
		c.Session.PINAttempts++
		if c.Session.PINAttempts >= MaxAttempts {
			return s.fail(ctx, c, FailWrongCredentials)
		}
		c.Problem, c.AttemptsLeft = ProblemWrongPIN, MaxAttempts-c.Session.PINAttempts
		return s.store.UpdateConnectSession(ctx, c.Session)
	}
	if err != nil {
		return s.failFor(ctx, c, err)
	}
	sealed, err := s.sealJSON(creds, "connect-credentials/"+c.Session.ID)
	if err != nil {
		return err
	}
	c.Session.Credentials = sealed
	return s.advance(ctx, c, b, creds, step)
}

// ChooseTANMethod continues the dialog with the chosen TAN method.
func (s *Service) ChooseTANMethod(ctx context.Context, c *Connect, method string) error {
	if c.Session.State != kontor.ConnectChooseTAN {
		return errFinished
	}
	valid := false
	for _, o := range c.Step.Options {
		valid = valid || o.ID == method
	}
	if !valid {
		return kontor.Errorf(kontor.EINVALID, "Unknown TAN method")
	}
	return s.resume(ctx, c, bank.Input{TANMethod: method})
}

// SubmitTAN continues the dialog with the TAN the user entered.
func (s *Service) SubmitTAN(ctx context.Context, c *Connect, tan bank.Secret) error {
	if c.Session.State != kontor.ConnectTAN {
		return errFinished
	}
	return s.resume(ctx, c, bank.Input{TAN: tan})
}

// PollApproval asks the bank whether the user approved in the banking app.
func (s *Service) PollApproval(ctx context.Context, c *Connect) error {
	if c.Session.State != kontor.ConnectDecoupled {
		return errFinished
	}
	return s.resume(ctx, c, bank.Input{Poll: true})
}

// CancelConnect ends the session on the user's request.
func (s *Service) CancelConnect(ctx context.Context, c *Connect) error {
	if c.Session.State.Final() {
		return errFinished
	}
	c.Session.State = kontor.ConnectCancelled
	c.Session.Credentials, c.Session.Dialog, c.Session.Step = nil, nil, nil
	return s.store.UpdateConnectSession(ctx, c.Session)
}

// FinishURL returns where the browser goes after a session has ended:
// the app's URL for the outcome, with the session ID, the status, and the
// login ID or the error code.
func (s *Service) FinishURL(sess *kontor.ConnectSession) string {
	base, q := sess.ErrorURL, url.Values{"sessionId": {sess.ID}}
	switch sess.State {
	case kontor.ConnectSucceeded:
		base = sess.RedirectURL
		q.Set("status", "success")
		q.Set("loginId", sess.LoginID)
	case kontor.ConnectCancelled:
		base = sess.ExitURL
		q.Set("status", "cancelled")
	default:
		q.Set("status", "error")
		q.Set("error", sess.Error)
	}
	u, err := url.Parse(base)
	if err != nil {
		return base // validated at creation; cannot happen
	}
	merged := u.Query()
	for k, v := range q {
		merged[k] = v
	}
	u.RawQuery = merged.Encode()
	return u.String()
}

func (s *Service) bankRequest(sess *kontor.ConnectSession, b bank.Bank, creds bank.Credentials) bank.Request {
	req := bank.Request{Bank: b, Credentials: creds}
	if ip, err := parseIP(sess.UserIP); err == nil {
		req.UserIP = ip
	}
	return req
}

// resume continues the paused dialog with the user's input.
func (s *Service) resume(ctx context.Context, c *Connect, in bank.Input) error {
	b, ok := s.banking.Directory.Lookup(c.Session.BankCode)
	if !ok {
		return s.fail(ctx, c, FailUnsupported)
	}
	conn, err := s.banking.Route(b)
	if err != nil {
		return s.fail(ctx, c, FailUnsupported)
	}
	var creds bank.Credentials
	if err := s.openJSON(c.Session.Credentials, "connect-credentials/"+c.Session.ID, &creds); err != nil {
		return err
	}
	state, err := s.banking.Vault.Open(c.Session.Dialog, "connect-dialog/"+c.Session.ID)
	if err != nil {
		return fmt.Errorf("opening dialog state: %w", err)
	}
	step, err := conn.Resume(ctx, s.bankRequest(c.Session, b, creds), state, in)
	if errors.Is(err, bank.ErrWrongTAN) {
		c.Session.TANAttempts++
		if c.Session.TANAttempts >= MaxAttempts {
			return s.fail(ctx, c, FailTAN)
		}
		var moved bank.StatefulError
		if errors.As(err, &moved) {
			if c.Session.Dialog, err = s.banking.Vault.Seal(moved.DialogState(), "connect-dialog/"+c.Session.ID); err != nil {
				return fmt.Errorf("sealing dialog state: %w", err)
			}
		}
		c.Problem, c.AttemptsLeft = ProblemWrongTAN, MaxAttempts-c.Session.TANAttempts
		return s.store.UpdateConnectSession(ctx, c.Session)
	}
	if err != nil {
		return s.failFor(ctx, c, err)
	}
	return s.advance(ctx, c, b, creds, step)
}

// advance stores the dialog's next step, or the login when it is done.
func (s *Service) advance(ctx context.Context, c *Connect, b bank.Bank, creds bank.Credentials, step *bank.Step) error {
	sess := c.Session
	switch step.Kind {
	case bank.StepDone:
		return s.complete(ctx, c, b, creds, step)
	case bank.StepChooseTANMethod:
		sess.State = kontor.ConnectChooseTAN
	case bank.StepTAN:
		sess.State = kontor.ConnectTAN
	case bank.StepDecoupled:
		sess.State = kontor.ConnectDecoupled
	default:
		return fmt.Errorf("connector returned unknown step %q", step.Kind)
	}
	c.Step = &ConnectStep{Options: step.Options, Challenge: step.Challenge}
	var err error
	if sess.Step, err = s.sealJSON(c.Step, "connect-step/"+sess.ID); err != nil {
		return err
	}
	if sess.Dialog, err = s.banking.Vault.Seal(step.State, "connect-dialog/"+sess.ID); err != nil {
		return fmt.Errorf("sealing dialog state: %w", err)
	}
	return s.store.UpdateConnectSession(ctx, sess)
}

// complete stores the connected login and ends the session. Only a
// recurring session keeps the credentials, sealed for the login.
func (s *Service) complete(ctx context.Context, c *Connect, b bank.Bank, creds bank.Credentials, step *bank.Step) error {
	sess := c.Session
	login := kontor.Login{
		ID:       kontor.NewID(),
		Bank:     kontor.Bank{Name: b.Name, BIC: b.BIC, BankCode: b.Code},
		Accounts: step.Accounts,
	}
	if login.Accounts == nil {
		login.Accounts = []kontor.Account{}
	}
	if err := prepareLogins([]kontor.Login{login}); err != nil {
		return s.failFor(ctx, c, fmt.Errorf("%w: %v", bank.ErrProtocol, err))
	}
	var kept, session []byte
	if sess.Recurring {
		var err error
		if kept, err = s.sealJSON(creds, LoginCredentialsContext(sess.UserID, login.ID)); err != nil {
			return err
		}
		if len(step.Session) > 0 {
			if session, err = s.banking.Vault.Seal(step.Session, LoginSessionContext(sess.UserID, login.ID)); err != nil {
				return fmt.Errorf("sealing connector session: %w", err)
			}
		}
	}
	sess.State, sess.LoginID = kontor.ConnectSucceeded, login.ID
	sess.Credentials, sess.Dialog, sess.Step = nil, nil, nil
	c.Step = nil
	if err := s.store.CompleteConnectSession(ctx, sess, login, kept, session); err != nil {
		return err
	}
	s.notifyAnalysis()
	return nil
}

// LoginCredentialsContext binds a login's sealed credentials to the login.
func LoginCredentialsContext(userID, loginID string) string {
	return "login-credentials/" + userID + "/" + loginID
}

// LoginSessionContext binds a login's sealed connector session to the
// login.
func LoginSessionContext(userID, loginID string) string {
	return "login-session/" + userID + "/" + loginID
}

// failFor ends the session for a connector error.
func (s *Service) failFor(ctx context.Context, c *Connect, err error) error {
	code := FailInternal
	switch {
	case errors.Is(err, bank.ErrWrongCredentials):
		code = FailWrongCredentials
	case errors.Is(err, bank.ErrLocked):
		code = FailLocked
	case errors.Is(err, bank.ErrTANFailed), errors.Is(err, bank.ErrWrongTAN):
		code = FailTAN
	case errors.Is(err, bank.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		code = FailUnavailable
	case errors.Is(err, bank.ErrUnsupported):
		code = FailUnsupported
	}
	if code == FailInternal || code == FailUnavailable {
		s.log.Warn("bank connection failed", "session", c.Session.ID, "bank", c.Session.BankCode, "error", err)
	}
	return s.fail(ctx, c, code)
}

// fail ends the session with a failure code, forgetting its credentials.
func (s *Service) fail(ctx context.Context, c *Connect, code string) error {
	c.Session.State, c.Session.Error = kontor.ConnectFailed, code
	c.Session.Credentials, c.Session.Dialog, c.Session.Step = nil, nil, nil
	c.Step = nil
	return s.store.UpdateConnectSession(ctx, c.Session)
}

func (s *Service) sealJSON(v any, context string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding sealed value: %w", err)
	}
	sealed, err := s.banking.Vault.Seal(b, context)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	return sealed, nil
}

func (s *Service) openJSON(sealed []byte, context string, v any) error {
	b, err := s.banking.Vault.Open(sealed, context)
	if err != nil {
		return fmt.Errorf("opening sealed value: %w", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("decoding sealed value: %w", err)
	}
	return nil
}
