package sandbox

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/kontor-dev/kontor/bank"
)

// SCAExemptionPeriod is how long after a strong customer authentication
// the sandbox bank gives account information without a new one, as PSD2
// allows (RTS Art. 10): a refresh of the same login, by the same client
// installation, within this period needs no TAN or app approval.
const SCAExemptionPeriod = 90 * 24 * time.Hour

// Connector reaches the sandbox bank directly, in process. It plays the
// scenarios of the catalogue: wrong PIN, locked login, a choice of TAN
// methods, decoupled approval, a large history and a bank that is down.
// Each dialog generates its own TAN and shows it in the challenge, as the
// finoOS test bank does.
//
// A finished dialog returns a small session (bank.Step.Session: the login
// name and when its last strong customer authentication succeeded; no
// PIN or TAN). Started again with that session as bank.Request.Session,
// the dialog still checks the PIN and the scenario's failures, but skips
// the TAN method choice, the TAN and the approval while that
// authentication is less than SCAExemptionPeriod old.
type Connector struct {
	// Now returns the current time; the data is generated as of it.
	Now func() time.Time
}

var _ bank.Connector = (*Connector)(nil)

// NewConnector returns a sandbox connector on the wall clock.
func NewConnector() *Connector { return &Connector{Now: time.Now} }

// dialog is the state of a paused sandbox dialog.
type dialog struct {
	Login  string    `json:"login"`
	Step   string    `json:"step"` // "choose", "tan" or "decoupled"
	Method string    `json:"method,omitempty"`
	TAN    string    `json:"tan,omitempty"`
	Since  time.Time `json:"since"`
	Polls  int       `json:"polls,omitempty"`
}

// session is the long-lived state of a sandbox login (bank.Step.Session).
type session struct {
	Login string `json:"login"`
	// SCA is when the login's last strong customer authentication
	// succeeded; zero when it never needed one.
	SCA time.Time `json:"sca,omitzero"`
}

// exempt reports whether raw is a session of login s whose strong
// customer authentication is less than SCAExemptionPeriod old at now. A
// session that cannot be read counts as none.
func exempt(raw []byte, s Scenario, now time.Time) (time.Time, bool) {
	if len(raw) == 0 {
		return time.Time{}, false
	}
	var sess session
	if err := json.Unmarshal(raw, &sess); err != nil || sess.Login != s.Login || sess.SCA.IsZero() {
		return time.Time{}, false
	}
	if age := now.Sub(sess.SCA); age < 0 || age >= SCAExemptionPeriod {
		return time.Time{}, false
	}
	return sess.SCA, true
}

// LoginFields returns the sandbox's login form: login name and PIN.
func (c *Connector) LoginFields(bank.Bank) []bank.Field {
	return []bank.Field{
		{Name: "loginName", Label: map[string]string{"de": "Anmeldename", "en": "Login name"}},
		{Name: "pin", Label: map[string]string{"de": "PIN", "en": "PIN"}, Secret: true},
	}
}

// scenario checks the credentials against the catalogue.
func scenario(creds bank.Credentials) (Scenario, error) {
	s, ok := ScenarioFor(creds.LoginName)
	if !ok {
		return Scenario{}, fmt.Errorf("sandbox login %q: %w", creds.LoginName, bank.ErrWrongCredentials)
	}
	switch s.Behaviour {
	case BehaviourUnavailable:
		return s, fmt.Errorf("sandbox scenario %s: %w", s.Login, bank.ErrUnavailable)
	case BehaviourLocked:
		return s, fmt.Errorf("sandbox scenario %s: %w", s.Login, bank.ErrLocked)
	}
	if !s.CheckPIN(creds.PIN.Reveal()) {
		return s, fmt.Errorf("sandbox login %s: %w", s.Login, bank.ErrWrongCredentials)
	}
	return s, nil
}

// Start checks the login and asks for the TAN method, the TAN or the app
// approval; with a session of the same login whose strong customer
// authentication is less than SCAExemptionPeriod old, it returns the data
// at once.
func (c *Connector) Start(ctx context.Context, req bank.Request) (*bank.Step, error) {
	s, err := scenario(req.Credentials)
	if err != nil {
		return nil, err
	}
	if at, ok := exempt(req.Session, s, c.Now()); ok {
		return c.done(s, at)
	}
	d := dialog{Login: s.Login, Since: c.Now()}
	if len(s.TANMethods) > 1 {
		d.Step = "choose"
		step := &bank.Step{Kind: bank.StepChooseTANMethod}
		for _, m := range s.TANMethods {
			step.Options = append(step.Options, bank.TANOption{ID: m.ID, Name: m.Name, Decoupled: m.Decoupled})
		}
		return encode(step, d)
	}
	if len(s.TANMethods) == 0 {
		return c.done(s, time.Time{})
	}
	return c.challenge(s, d, s.TANMethods[0])
}

// challenge asks for the TAN (generated now) or the app approval.
func (c *Connector) challenge(s Scenario, d dialog, m TANMethod) (*bank.Step, error) {
	d.Method, d.Since = m.ID, c.Now()
	if m.Decoupled {
		d.Step = "decoupled"
		return encode(&bank.Step{Kind: bank.StepDecoupled, Challenge: &bank.Challenge{
			Text: s.Challenge, PollAfter: 2 * time.Second,
		}}, d)
	}
	d.Step = "tan"
	d.TAN = newTAN()
	return encode(&bank.Step{Kind: bank.StepTAN, Challenge: &bank.Challenge{
		Text: "Sandbox: Ihre TAN für " + m.Name + " lautet " + d.TAN + ".",
		TAN:  d.TAN,
	}}, d)
}

// Resume continues a dialog.
func (c *Connector) Resume(ctx context.Context, req bank.Request, state []byte, in bank.Input) (*bank.Step, error) {
	var d dialog
	if err := json.Unmarshal(state, &d); err != nil {
		return nil, fmt.Errorf("sandbox dialog state: %w", bank.ErrProtocol)
	}
	s, err := scenario(req.Credentials)
	if err != nil {
		return nil, err
	}
	if s.Login != d.Login {
		return nil, fmt.Errorf("sandbox dialog of another login: %w", bank.ErrProtocol)
	}
	switch d.Step {
	case "choose":
		for _, m := range s.TANMethods {
			if m.ID == in.TANMethod {
				return c.challenge(s, d, m)
			}
		}
		return nil, fmt.Errorf("sandbox: unknown TAN method %q: %w", in.TANMethod, bank.ErrTANFailed)
	case "tan":
		if in.TAN == "" || subtle.ConstantTimeCompare([]byte(in.TAN.Reveal()), []byte(d.TAN)) != 1 {
			return nil, fmt.Errorf("sandbox: %w", bank.ErrWrongTAN)
		}
		return c.done(s, c.Now())
	case "decoupled":
		d.Polls++
		if d.Polls >= s.ApprovePolls || c.Now().Sub(d.Since) >= s.ApproveAfter {
			return c.done(s, c.Now())
		}
		return encode(&bank.Step{Kind: bank.StepDecoupled, Challenge: &bank.Challenge{Text: s.Challenge, PollAfter: 2 * time.Second}}, d)
	}
	return nil, fmt.Errorf("sandbox dialog in step %q: %w", d.Step, bank.ErrProtocol)
}

// done returns the login's data and its session, whose last strong
// customer authentication was at sca.
func (c *Connector) done(s Scenario, sca time.Time) (*bank.Step, error) {
	raw, err := json.Marshal(session{Login: s.Login, SCA: sca})
	if err != nil {
		return nil, fmt.Errorf("encoding sandbox session: %w", err)
	}
	return &bank.Step{Kind: bank.StepDone, Accounts: Accounts(s.Login, c.Now()), Session: raw}, nil
}

func encode(step *bank.Step, d dialog) (*bank.Step, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encoding sandbox dialog: %w", err)
	}
	step.State = b
	return step, nil
}

// newTAN returns a random six-digit TAN.
func newTAN() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic("sandbox: crypto/rand failed: " + err.Error())
	}
	return fmt.Sprintf("%06d", n.Int64())
}
