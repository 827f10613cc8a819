package core

import (
	"context"

	"github.com/kontor-dev/kontor"
)

// MaxPerPage is the largest page of a list.
const MaxPerPage = 500

// CreateUser creates a user of the client.
func (s *Service) CreateUser(ctx context.Context, c *kontor.Client, typ kontor.UserType) (*kontor.User, error) {
	if !typ.Valid() {
		return nil, kontor.Errorf(kontor.EINVALID, "Bad request. Field type must be \"person\" or \"company\"")
	}
	u := &kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: typ, CreatedAt: s.Now().UTC()}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// User returns one of the client's users.
func (s *Service) User(ctx context.Context, c *kontor.Client, userID string) (*kontor.User, error) {
	return s.store.User(ctx, c.ID, userID)
}

// Users returns one page of the client's users and their total number.
func (s *Service) Users(ctx context.Context, c *kontor.Client, page kontor.Page) ([]kontor.User, int, error) {
	if page.Page < 1 || page.PerPage < 1 || page.PerPage > MaxPerPage {
		return nil, 0, kontor.Errorf(kontor.EINVALID, "Bad request. page must be at least 1 and perPage between 1 and %d", MaxPerPage)
	}
	return s.store.Users(ctx, c.ID, page)
}

// DeleteUser removes a user and all its bank data.
func (s *Service) DeleteUser(ctx context.Context, c *kontor.Client, userID string) error {
	return s.store.DeleteUser(ctx, c.ID, userID)
}
