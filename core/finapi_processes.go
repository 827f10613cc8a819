package core

import (
	"context"
	"fmt"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

// ProcessUserOnly is the only process the process controller runs: it
// creates a user and hands out its access token.
const ProcessUserOnly = "USER_ONLY"

// Limits of a process request.
const (
	MaxClientReferences      = 100
	MaxClientReferenceLength = 255
	processTokenLength       = 36
)

// ProcessStarted is one started process: the client reference and the
// process token to exchange for the user's access token.
type ProcessStarted struct {
	Reference string
	Token     string
}

// StartProcesses starts one process per client reference for the client
// with the given name and secret: it creates a user for each reference
// that has none yet (reusing it otherwise) and returns a process token per
// reference, in order. All are stored or none.
func (f *FinAPI) StartProcesses(ctx context.Context, name, secret, processID string, references []string) ([]ProcessStarted, error) {
	c, err := f.svc.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, err
	}
	if processID != ProcessUserOnly {
		return nil, illegal("processId", "Field 'processId' must be %s; no other process is supported", ProcessUserOnly)
	}
	if len(references) == 0 || len(references) > MaxClientReferences {
		return nil, illegal("clientReferences", "Field 'clientReferences' must hold 1 to %d client references", MaxClientReferences)
	}
	for i, ref := range references {
		if err := checkText(fmt.Sprintf("clientReferences[%d].clientReference", i), ref, 1, MaxClientReferenceLength); err != nil {
			return nil, err
		}
	}
	now := f.svc.Now()
	ps := make([]kontor.Process, len(references))
	out := make([]ProcessStarted, len(references))
	for i, ref := range references {
		token := auth.RandomSecret()
		out[i] = ProcessStarted{Reference: ref, Token: token}
		ps[i] = kontor.Process{
			TokenHash:    hashToken(token),
			ClientID:     c.ID,
			Reference:    ref,
			MaxExchanges: f.cfg.ProcessExchanges,
			ExpiresAt:    now.Add(f.cfg.ProcessTTL).UTC(),
			CreatedAt:    now.UTC(),
			NewUser: &kontor.FinAPIUser{
				User: kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson, CreatedAt: now.UTC()},
				// A hidden user: it has a finAPI id but no password, so
				// only its process token leads to it.
				Username: auth.RandomSecret(),
			},
		}
	}
	if err := f.svc.store.CreateProcesses(ctx, ps); err != nil {
		return nil, err
	}
	return out, nil
}

// ExchangeProcess exchanges a process token for an access token of its
// user. A token works ProcessExchanges times within ProcessTTL; with
// invalidate it stops working after this exchange. An unknown, expired or
// used up token is ENOTFOUND.
func (f *FinAPI) ExchangeProcess(ctx context.Context, token string, invalidate bool) (*FinAPITokens, error) {
	if len(token) != processTokenLength {
		return nil, kontor.Errorf(kontor.ENOTFOUND, "Process token not found, expired or used up")
	}
	p, err := f.svc.store.ExchangeProcess(ctx, hashToken(token), invalidate, f.svc.Now())
	if err != nil {
		return nil, err
	}
	_, ttl, _, err := f.lifetimes(ctx, p.ClientID)
	if err != nil {
		return nil, err
	}
	return f.issue(ctx, p.ClientID, p.UserID, ttl, 0, false)
}
