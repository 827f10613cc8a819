package sandbox

import (
	"context"
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
