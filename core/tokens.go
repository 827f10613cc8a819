package core

import (
	"context"
	"errors"
	"fmt"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

// TokenPair is what authenticating and refreshing return.
type TokenPair struct {
	AccessToken      string
	RefreshToken     string
	ExpiresIn        int // seconds
	RefreshExpiresIn int // seconds
}

// Authenticate exchanges a client's name and secret for a new token pair.
func (s *Service) Authenticate(ctx context.Context, name, secret string) (*TokenPair, *kontor.Client, error) {
	c, err := s.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, nil, err
	}
	pair, err := s.issue(ctx, c, kontor.NewID())
	return pair, c, err
}

// Refresh exchanges a refresh token, with the client's name and secret, for
// a new pair. A refresh token works once: presenting it again revokes every
// token issued since the authentication it came from.
func (s *Service) Refresh(ctx context.Context, name, secret, refreshToken string) (*TokenPair, *kontor.Client, error) {
	c, err := s.authenticateClient(ctx, name, secret)
	if err != nil {
		return nil, nil, err
	}
	now := s.Now()
	claims, err := s.signer.Verify(refreshToken, auth.TypeRefresh, now)
	if err != nil || claims.Subject != c.ID {
		return nil, nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid or expired refresh token")
	}
	spent, err := s.store.SpendRefreshToken(ctx, c.ID, claims.ID, now)
	if err != nil {
		// A token used twice revoked its family: its access tokens stop
		// working here at once.
		s.access.forget(claims.Family, now)
		return nil, nil, err
	}
	pair, err := s.issue(ctx, c, spent.FamilyID)
	return pair, c, err
}

// issue signs a new access and refresh token in a family and records the
// refresh token.
func (s *Service) issue(ctx context.Context, c *kontor.Client, family string) (*TokenPair, error) {
	now := s.Now()
	access, err := s.signer.Sign(auth.TypeAccess, c.ID, family, kontor.NewID(), now, s.cfg.AccessTTL)
	if err != nil {
		return nil, err
	}
	rt := kontor.RefreshToken{ID: kontor.NewID(), FamilyID: family, ClientID: c.ID, ExpiresAt: now.Add(s.cfg.RefreshTTL)}
	refresh, err := s.signer.Sign(auth.TypeRefresh, c.ID, family, rt.ID, now, s.cfg.RefreshTTL)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateRefreshToken(ctx, rt); err != nil {
		return nil, fmt.Errorf("recording refresh token: %w", err)
	}
	s.access.put(family, c, now)
	return &TokenPair{
		AccessToken:      access,
		RefreshToken:     refresh,
		ExpiresIn:        int(s.cfg.AccessTTL.Seconds()),
		RefreshExpiresIn: int(s.cfg.RefreshTTL.Seconds()),
	}, nil
}

// Authorize returns the client an access token belongs to, if its session
// is live: as the database said within accessCacheTTL.
func (s *Service) Authorize(ctx context.Context, accessToken string) (*kontor.Client, error) {
	now := s.Now()
	claims, err := s.signer.Verify(accessToken, auth.TypeAccess, now)
	if errors.Is(err, auth.ErrInvalidToken) {
		return nil, kontor.Errorf(kontor.EUNAUTHORIZED, "Unauthorized. Invalid or expired access token")
	} else if err != nil {
		return nil, err
	}
	if c, ok := s.access.get(claims.Subject, claims.Family, now); ok {
		return c, nil
	}
	c, err := s.store.AccessClient(ctx, claims.Subject, claims.Family)
	if err != nil {
		return nil, err
	}
	s.access.put(claims.Family, c, now)
	return c, nil
}
