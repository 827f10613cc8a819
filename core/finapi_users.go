package core

import (
	"context"
	"fmt"
	"regexp"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/auth"
)

// Limits of finAPI's UserCreateParams.
const (
	FinAPIUserIDMaxLength      = 36
	FinAPIPasswordMinLength    = 6
	FinAPIPasswordMaxLength    = 128
	FinAPIEmailMaxLength       = 320
	FinAPIPhoneMaxLength       = 50
	finAPIUserIDAllowedSymbols = "- _ . + @"
)

// finAPIUserIDRE is finAPI's rule for user ids: letters, digits and
// -_.+@.
var finAPIUserIDRE = regexp.MustCompile(`^[a-zA-Z0-9\-_.+@]+$`)

// FinAPIUserParams are finAPI's UserCreateParams; every field is optional.
type FinAPIUserParams struct {
	ID, Password, Email, Phone *string
	AutoUpdate                 *bool
}

// FinAPIUserUpdate are finAPI's UserUpdateParams: a nil field stays as it
// is, an empty email or phone is removed.
type FinAPIUserUpdate struct {
	Email, Phone *string
	AutoUpdate   *bool
}

func illegal(field, format string, args ...any) error {
	return &kontor.FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// checkText checks a free-text field's length and that it holds no
// control characters.
func checkText(field, s string, minLen, maxLen int) error {
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n < minLen || n > maxLen {
		return illegal(field, "Field '%s' must have %d to %d characters", field, minLen, maxLen)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return illegal(field, "Field '%s' must not contain control characters", field)
		}
	}
	return nil
}

// optionalText returns nil for an absent or empty value, and the checked
// value otherwise.
func optionalText(field string, s *string, maxLen int) (*string, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	if err := checkText(field, *s, 1, maxLen); err != nil {
		return nil, err
	}
	v := *s
	return &v, nil
}

// CreateUser creates a user of the client with finAPI fields. An absent id
// or password is made at random. The password is returned in plain text
// this once and stored only as an argon2id hash. The user gets a Kontor
// user ID as well and is an ordinary user of the client for the finoOS
// dialect.
func (f *FinAPI) CreateUser(ctx context.Context, c *kontor.Client, p FinAPIUserParams) (*kontor.FinAPIUser, string, error) {
	username := auth.RandomSecret()
	if p.ID != nil {
		username = *p.ID
		if len(username) > FinAPIUserIDMaxLength || !finAPIUserIDRE.MatchString(username) {
			return nil, "", illegal("id", "Field 'id' must have 1 to %d characters, each a letter, a digit or one of %s",
				FinAPIUserIDMaxLength, finAPIUserIDAllowedSymbols)
		}
	}
	password := auth.RandomSecret()
	if p.Password != nil {
		password = *p.Password
		if err := checkText("password", password, FinAPIPasswordMinLength, FinAPIPasswordMaxLength); err != nil {
			return nil, "", err
		}
	}
	email, err := optionalText("email", p.Email, FinAPIEmailMaxLength)
	if err != nil {
		return nil, "", err
	}
	phone, err := optionalText("phone", p.Phone, FinAPIPhoneMaxLength)
	if err != nil {
		return nil, "", err
	}
	hash, err := auth.HashSecret(password, f.svc.cfg.Hashing)
	if err != nil {
		return nil, "", err
	}
	u := &kontor.FinAPIUser{
		User:         kontor.User{ID: kontor.NewID(), ClientID: c.ID, Type: kontor.UserPerson, CreatedAt: f.svc.Now().UTC()},
		Username:     username,
		PasswordHash: hash,
		Email:        email,
		Phone:        phone,
		AutoUpdate:   p.AutoUpdate != nil && *p.AutoUpdate,
	}
	if err := f.svc.store.CreateFinAPIUser(ctx, u); err != nil {
		if kontor.ErrorCode(err) == kontor.ECONFLICT {
			return nil, "", kontor.Errorf(kontor.ECONFLICT, "A user with id '%s' exists already", username)
		}
		return nil, "", err
	}
	return u, password, nil
}

// UpdateUser changes the email, phone and auto-update flag of the user a
// token authorizes.
func (f *FinAPI) UpdateUser(ctx context.Context, a *kontor.FinAPIAuth, p FinAPIUserUpdate) (*kontor.FinAPIUser, error) {
	u := *a.User
	if p.Email != nil {
		email, err := optionalText("email", p.Email, FinAPIEmailMaxLength)
		if err != nil {
			return nil, err
		}
		u.Email = email
	}
	if p.Phone != nil {
		phone, err := optionalText("phone", p.Phone, FinAPIPhoneMaxLength)
		if err != nil {
			return nil, err
		}
		u.Phone = phone
	}
	if p.AutoUpdate != nil {
		u.AutoUpdate = *p.AutoUpdate
	}
	if err := f.svc.store.UpdateFinAPIUser(ctx, &u); err != nil {
		return nil, err
	}
	return &u, nil
}

// DeleteUser deletes the user a token authorizes, with all its bank data
// and tokens: the same as deleting it through the finoOS dialect.
func (f *FinAPI) DeleteUser(ctx context.Context, a *kontor.FinAPIAuth) error {
	return f.svc.store.DeleteUser(ctx, a.Client.ID, a.User.ID)
}
