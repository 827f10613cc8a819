package core

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank"
)

// refreshLease is how long a worker holds a login it refreshes.
const refreshLease = 5 * time.Minute

// RefreshLogin syncs a connected login with the bank, without the user:
// with the credentials kept for a recurring connection and the connector's
// session, so the bank may skip strong customer authentication as PSD2
// allows for account information. When the bank asks for it nonetheless,
// or kept nothing, the answer is ECONFLICT: the user must connect again
// through the Banking UI.
func (s *Service) RefreshLogin(ctx context.Context, c *kontor.Client, userID, loginID string) error {
	if s.banking.Vault == nil {
		return kontor.Errorf(kontor.EUNAVAILABLE, "Bank connections are not enabled")
	}
	rl, err := s.store.RefreshableLogin(ctx, c.ID, userID, loginID)
	if err != nil {
		return err
	}
	if rl.Login.Source != kontor.SourceConnect {
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. Login %q was uploaded; only connected logins can be refreshed", loginID)
	}
	if len(rl.Credentials) == 0 {
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The login keeps no credentials (it was connected without recurring); connect it again through the Banking UI")
	}
	var creds bank.Credentials
	if err := s.openJSON(rl.Credentials, LoginCredentialsContext(userID, loginID), &creds); err != nil {
		return err
	}
	var session []byte
	if len(rl.Session) > 0 {
		if session, err = s.banking.Vault.Open(rl.Session, LoginSessionContext(userID, loginID)); err != nil {
			return fmt.Errorf("opening connector session: %w", err)
		}
	}
	b, ok := s.banking.Directory.Lookup(rl.Login.Bank.BankCode)
	if !ok {
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The login's bank %s is no longer known", rl.Login.Bank.BankCode)
	}
	conn, err := s.banking.Route(b)
	if err != nil {
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The login's bank cannot be reached by Kontor")
	}
	step, err := conn.Start(ctx, bank.Request{Bank: b, Credentials: creds, Session: session, Previous: rl.Login.Accounts})
	switch {
	case errors.Is(err, bank.ErrWrongCredentials), errors.Is(err, bank.ErrLocked):
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The bank refused the kept credentials (%v); connect the login again through the Banking UI", errors.Unwrap(err))
	case errors.Is(err, bank.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return kontor.Errorf(kontor.EUNAVAILABLE, "The bank is not available; try again later")
	case err != nil:
		s.log.Warn("refresh failed", "login", loginID, "bank", b.Code, "error", err)
		return kontor.Errorf(kontor.EUNAVAILABLE, "The bank answered unexpectedly; try again later")
	case step.Kind != bank.StepDone:
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The bank asks for strong customer authentication; send the user through the Banking UI")
	}
	login := kontor.Login{ID: loginID, Bank: rl.Login.Bank, Accounts: step.Accounts}
	if login.Accounts == nil {
		login.Accounts = []kontor.Account{}
	}
	if err := prepareLogins([]kontor.Login{login}); err != nil {
		return fmt.Errorf("refreshed data: %w", err)
	}
	var sealed []byte
	if len(step.Session) > 0 {
		if sealed, err = s.banking.Vault.Seal(step.Session, LoginSessionContext(userID, loginID)); err != nil {
			return fmt.Errorf("sealing connector session: %w", err)
		}
	}
	next := time.Time{}
	if s.banking.RefreshInterval > 0 {
		next = s.Now().Add(s.banking.RefreshInterval)
	}
	if err := s.store.SaveRefresh(ctx, c.ID, userID, login, sealed, next); err != nil {
		return err
	}
	s.notifyAnalysis()
	return nil
}

// RunRefreshWorker refreshes, once per RefreshInterval, every login that
// was connected with recurring set, until ctx ends. Logins are claimed in
// the database, so replicas share the work.
func (s *Service) RunRefreshWorker(ctx context.Context) {
	interval := s.banking.RefreshInterval
	if interval <= 0 {
		return
	}
	t := time.NewTicker(min(interval/4, 30*time.Second))
	defer t.Stop()
	for {
		for ctx.Err() == nil {
			now := s.Now()
			due, err := s.store.ClaimDueRefresh(ctx, now, now.Add(-interval), refreshLease)
			if err != nil {
				s.log.Warn("claiming refresh", "error", err)
				break
			}
			if due == nil {
				break
			}
			c := &kontor.Client{ID: due.ClientID}
			if err := s.RefreshLogin(ctx, c, due.UserID, due.Login.ID); err != nil {
				s.log.Info("scheduled refresh failed", "login", due.Login.ID, "reason", kontor.ErrorMessage(err))
				if ferr := s.store.FailRefresh(ctx, due.ClientID, due.UserID, due.Login.ID, kontor.ErrorMessage(err), s.Now().Add(interval)); ferr != nil {
					s.log.Error("recording failed refresh", "error", ferr)
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
