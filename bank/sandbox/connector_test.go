package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor/bank"
)

func start(t *testing.T, c *Connector, login, pin string) (*bank.Step, error) {
	t.Helper()
	return c.Start(context.Background(), bank.Request{Credentials: bank.Credentials{LoginName: login, PIN: bank.Secret(pin)}})
}

func TestConnectorScenarios(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := &Connector{Now: func() time.Time { return now }}
	ctx := context.Background()
	req := func(login string) bank.Request {
		return bank.Request{Credentials: bank.Credentials{LoginName: login, PIN: DummyPIN}}
	}

	for login, want := range map[string]error{
		"wrongpin": bank.ErrWrongCredentials, "locked": bank.ErrLocked, "down": bank.ErrUnavailable, "nobody": bank.ErrWrongCredentials,
	} {
		if _, err := start(t, c, login, DummyPIN); !errors.Is(err, want) {
			t.Errorf("%s: error %v, want %v", login, err, want)
		}
	}
	if _, err := start(t, c, "dummy", "111111"); !errors.Is(err, bank.ErrWrongCredentials) {
		t.Errorf("dummy with a wrong PIN: %v", err)
	}

	// dummy: PIN, then the TAN shown in the challenge.
	step, err := start(t, c, "Dummy ", DummyPIN)
	if err != nil || step.Kind != bank.StepTAN || len(step.Challenge.TAN) != 6 || !strings.Contains(step.Challenge.Text, step.Challenge.TAN) {
		t.Fatalf("dummy start = %+v, %v", step, err)
	}
	if strings.Contains(string(step.State), DummyPIN) {
		t.Fatal("dialog state holds the PIN")
	}
	wrong := "000000"
	if step.Challenge.TAN == wrong {
		wrong = "000001"
	}
	if _, err := c.Resume(ctx, req("dummy"), step.State, bank.Input{TAN: bank.Secret(wrong)}); !errors.Is(err, bank.ErrWrongTAN) {
		t.Fatalf("wrong TAN: %v", err)
	}
	done, err := c.Resume(ctx, req("dummy"), step.State, bank.Input{TAN: bank.Secret(step.Challenge.TAN)})
	if err != nil || done.Kind != bank.StepDone || len(done.Accounts) != 4 {
		t.Fatalf("dummy with the TAN = %+v, %v", done, err)
	}
	if _, err := c.Resume(ctx, bank.Request{Credentials: bank.Credentials{LoginName: "dummy", PIN: "x"}}, step.State, bank.Input{TAN: bank.Secret(step.Challenge.TAN)}); !errors.Is(err, bank.ErrWrongCredentials) {
		t.Fatalf("resume with another PIN: %v", err)
	}
	// Two dialogs get different TANs.
	other, _ := start(t, c, "dummy", DummyPIN)
	again, _ := start(t, c, "dummy", DummyPIN)
	if other.Challenge.TAN == again.Challenge.TAN && other.Challenge.TAN == step.Challenge.TAN {
		t.Fatal("the TAN is not generated per dialog")
	}

	// twotan: choose, then TAN.
	step, err = start(t, c, "twotan", DummyPIN)
	if err != nil || step.Kind != bank.StepChooseTANMethod || len(step.Options) != 2 {
		t.Fatalf("twotan start = %+v, %v", step, err)
	}
	if _, err := c.Resume(ctx, req("twotan"), step.State, bank.Input{TANMethod: "999"}); !errors.Is(err, bank.ErrTANFailed) {
		t.Fatalf("unknown method: %v", err)
	}
	step, err = c.Resume(ctx, req("twotan"), step.State, bank.Input{TANMethod: step.Options[1].ID})
	if err != nil || step.Kind != bank.StepTAN {
		t.Fatalf("twotan after choice = %+v, %v", step, err)
	}

	// decoupled: pending until enough polls.
	step, err = start(t, c, "decoupled", DummyPIN)
	if err != nil || step.Kind != bank.StepDecoupled {
		t.Fatalf("decoupled start = %+v, %v", step, err)
	}
	polls := 0
	for step.Kind == bank.StepDecoupled {
		if polls++; polls > 10 {
			t.Fatal("never approved")
		}
		if step, err = c.Resume(ctx, req("decoupled"), step.State, bank.Input{Poll: true}); err != nil {
			t.Fatal(err)
		}
	}
	if step.Kind != bank.StepDone || polls < 2 {
		t.Fatalf("decoupled approved after %d polls: %+v", polls, step.Kind)
	}

	if _, err := c.Resume(ctx, req("dummy"), []byte("{broken"), bank.Input{}); !errors.Is(err, bank.ErrProtocol) {
		t.Fatalf("broken state: %v", err)
	}
}

// TestConnectorSession: a finished dialog returns a session; started again
// with it, the login skips the TAN while its strong customer
// authentication is less than 90 days old, but still needs the right PIN
// and still fails as its scenario says.
func TestConnectorSession(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	c := &Connector{Now: func() time.Time { return now }}
	ctx := context.Background()
	req := func(login, pin string, sess []byte) bank.Request {
		return bank.Request{Credentials: bank.Credentials{LoginName: login, PIN: bank.Secret(pin)}, Session: sess}
	}
	// connect runs a dialog to the end: method choice, TAN or approval.
	connect := func(t *testing.T, login string, sess []byte) (done *bank.Step, interactions int) {
		t.Helper()
		r := req(login, DummyPIN, sess)
		step, err := c.Start(ctx, r)
		for i := 0; err == nil && step.Kind != bank.StepDone; i++ {
			if i > 10 {
				t.Fatalf("%s: dialog does not finish", login)
			}
			interactions++
			var in bank.Input
			switch step.Kind {
			case bank.StepChooseTANMethod:
				in.TANMethod = step.Options[0].ID
			case bank.StepTAN:
				in.TAN = bank.Secret(step.Challenge.TAN)
			case bank.StepDecoupled:
				in.Poll = true
			}
			step, err = c.Resume(ctx, r, step.State, in)
		}
		if err != nil {
			t.Fatalf("%s: %v", login, err)
		}
		if len(step.Accounts) == 0 || len(step.Session) == 0 {
			t.Fatalf("%s: done without accounts or session: %+v", login, step)
		}
		if strings.Contains(string(step.Session), DummyPIN) {
			t.Fatalf("%s: session holds the PIN: %s", login, step.Session)
		}
		return step, interactions
	}

	first, n := connect(t, "dummy", nil)
	if n != 1 {
		t.Fatalf("first connect of dummy took %d interactions, want the TAN", n)
	}
	var sess session
	if err := json.Unmarshal(first.Session, &sess); err != nil || sess.Login != "dummy" || !sess.SCA.Equal(now) {
		t.Fatalf("session %s (%v), want dummy's with the SCA at %s", first.Session, err, now)
	}
	authenticated := now

	// A refresh a day later: the data at once, and the SCA time is kept,
	// not renewed.
	now = now.Add(24 * time.Hour)
	step, err := c.Start(ctx, req(" Dummy", DummyPIN, first.Session))
	if err != nil || step.Kind != bank.StepDone || len(step.Accounts) != 4 {
		t.Fatalf("refresh with the session = %+v, %v; want done with 4 accounts", step, err)
	}
	if err := json.Unmarshal(step.Session, &sess); err != nil || !sess.SCA.Equal(authenticated) {
		t.Errorf("refreshed session %s, want the SCA time %s kept", step.Session, authenticated)
	}
	refreshed := step.Session

	// The PIN is still checked.
	if _, err := c.Start(ctx, req("dummy", "111111", refreshed)); !errors.Is(err, bank.ErrWrongCredentials) {
		t.Errorf("refresh with a wrong PIN: %v", err)
	}
	// No session, another login's session, an unreadable one, or one from
	// the future: the TAN again.
	twotan, _ := connect(t, "twotan", nil)
	future, _ := json.Marshal(session{Login: "dummy", SCA: now.Add(time.Hour)})
	for name, s := range map[string][]byte{"none": nil, "twotan's": twotan.Session, "broken": []byte("{"), "future": future} {
		if step, err := c.Start(ctx, req("dummy", DummyPIN, s)); err != nil || step.Kind != bank.StepTAN {
			t.Errorf("%s session: %+v, %v; want the TAN", name, step, err)
		}
	}

	// 89 days after the SCA still without, 90 and 91 days after with TAN.
	now = authenticated.Add(89 * 24 * time.Hour)
	if step, err := c.Start(ctx, req("dummy", DummyPIN, refreshed)); err != nil || step.Kind != bank.StepDone {
		t.Errorf("89 days after the SCA: %+v, %v; want done", step, err)
	}
	for _, days := range []int{90, 91} {
		now = authenticated.Add(time.Duration(days) * 24 * time.Hour)
		if step, err := c.Start(ctx, req("dummy", DummyPIN, refreshed)); err != nil || step.Kind != bank.StepTAN {
			t.Errorf("%d days after the SCA: %+v, %v; want the TAN", days, step, err)
		}
	}
	// A new SCA starts a new period.
	again, n := connect(t, "dummy", refreshed)
	if n != 1 {
		t.Errorf("connect after the period took %d interactions, want the TAN", n)
	}
	if _, n := connect(t, "dummy", again.Session); n != 0 {
		t.Errorf("refresh after the new SCA took %d interactions, want none", n)
	}

	// The method choice and the app approval are skipped too.
	for _, login := range []string{"twotan", "decoupled"} {
		done, n := connect(t, login, nil)
		if n == 0 {
			t.Fatalf("%s: first connect without interaction", login)
		}
		if _, n := connect(t, login, done.Session); n != 0 {
			t.Errorf("%s: refresh took %d interactions, want none", login, n)
		}
	}

	// Failing scenarios fail with any session.
	for login, want := range map[string]error{"locked": bank.ErrLocked, "down": bank.ErrUnavailable, "wrongpin": bank.ErrWrongCredentials} {
		forged, _ := json.Marshal(session{Login: login, SCA: now})
		if _, err := c.Start(ctx, req(login, DummyPIN, forged)); !errors.Is(err, want) {
			t.Errorf("%s with a session: %v, want %v", login, err, want)
		}
	}
}
