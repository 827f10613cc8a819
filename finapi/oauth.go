package finapi

import (
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// formContentType is the only content type the token endpoint accepts.
const formContentType = "application/x-www-form-urlencoded"

// maxFormFields bounds the number of fields of a form.
const maxFormFields = 16

// readForm reads a form-encoded body of at most limit bytes. It accepts
// only the form content type (charset UTF-8 if given), no more than
// maxFormFields fields, and each of the names in single at most once. Its
// errors are OAuth invalid_request errors that never echo a value.
func readForm(w http.ResponseWriter, r *http.Request, limit int64, single ...string) (url.Values, error) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != formContentType {
		return nil, invalidRequest("The Content-Type of the request must be " + formContentType)
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return nil, invalidRequest("The form must be encoded in UTF-8")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, invalidRequest("The request body is larger than the limit")
	case err != nil:
		return nil, invalidRequest("The request body could not be read")
	}
	if n := strings.Count(string(body), "&") + 1; n > maxFormFields {
		return nil, invalidRequest("The form has too many fields")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, invalidRequest("The form is not valid application/x-www-form-urlencoded data")
	}
	for _, name := range single {
		if len(form[name]) > 1 {
			return nil, invalidRequest("Parameter " + name + " is given more than once")
		}
	}
	return form, nil
}

// Grant types.
const (
	grantClientCredentials = "client_credentials"
	grantPassword          = "password"
	grantRefreshToken      = "refresh_token"
)

// accessToken is finAPI's AccessToken.
type accessToken struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
}

// token serves the token endpoint (getToken).
func (h *Handler) token(w http.ResponseWriter, r *http.Request, _ *kontor.FinAPIAuth) error {
	form, err := readForm(w, r, h.cfg.MaxFormBytes,
		"grant_type", "client_id", "client_secret", "username", "password", "refresh_token", "scope")
	if err != nil {
		return err
	}
	grant := form.Get("grant_type")
	switch grant {
	case "":
		return invalidRequest("Parameter grant_type is required")
	case grantClientCredentials, grantPassword, grantRefreshToken:
	default:
		return &oauthError{http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type; use client_credentials, password or refresh_token"}
	}
	if scope := form.Get("scope"); scope != "" && scope != "all" {
		return &oauthError{http.StatusBadRequest, "invalid_scope", "The only scope is all"}
	}
	id, secret, err := clientCredentials(r, form)
	if err != nil {
		return err
	}
	var (
		tokens *core.FinAPITokens
		c      *kontor.Client
	)
	switch grant {
	case grantClientCredentials:
		tokens, c, err = h.svc.ClientToken(r.Context(), id, secret)
	case grantPassword:
		username, password := form.Get("username"), form.Get("password")
		switch {
		case username == "":
			return invalidRequest("Parameter username is required for grant_type=password")
		case password == "":
			return invalidRequest("Parameter password is required for grant_type=password")
		}
		tokens, c, err = h.svc.PasswordToken(r.Context(), id, secret, username, password)
	case grantRefreshToken:
		refresh := form.Get("refresh_token")
		if refresh == "" {
			return invalidRequest("Parameter refresh_token is required for grant_type=refresh_token")
		}
		tokens, c, err = h.svc.RefreshToken(r.Context(), id, secret, refresh)
	}
	if err != nil {
		return err
	}
	httpx.AddLogAttrs(r.Context(), slog.String("client", c.ID), slog.String("grant_type", grant))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	return httpx.WriteJSON(w, http.StatusOK, accessToken{
		AccessToken: tokens.AccessToken, TokenType: "bearer", RefreshToken: tokens.RefreshToken,
		ExpiresIn: tokens.ExpiresIn, Scope: "all",
	})
}

// clientCredentials returns the client_id and client_secret of a token
// request: form fields as finAPI documents, or HTTP Basic authentication
// as OAuth 2.0 clients may send them (RFC 6749 section 2.3.1), not both
// disagreeing.
func clientCredentials(r *http.Request, form url.Values) (id, secret string, err error) {
	id, secret = form.Get("client_id"), form.Get("client_secret")
	if header := r.Header.Get("Authorization"); header != "" {
		scheme, enc, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "basic") {
			return "", "", invalidRequest("Send client credentials as form fields or with HTTP Basic authentication")
		}
		raw, derr := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
		user, pass, ok := strings.Cut(string(raw), ":")
		if derr != nil || !ok {
			return "", "", &oauthError{http.StatusUnauthorized, "invalid_client", "Bad client credentials"}
		}
		bid, err1 := url.QueryUnescape(user)
		bsecret, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil {
			return "", "", &oauthError{http.StatusUnauthorized, "invalid_client", "Bad client credentials"}
		}
		if (id != "" && id != bid) || (secret != "" && secret != bsecret) {
			return "", "", invalidRequest("Client credentials in the form and in the Authorization header differ")
		}
		id, secret = bid, bsecret
	}
	if id == "" || secret == "" {
		return "", "", &oauthError{http.StatusUnauthorized, "invalid_client", "Client authentication is required: client_id and client_secret"}
	}
	return id, secret, nil
}

// revoke serves the revoke endpoint (revokeToken): always 200 with no body
// once the request is well-formed, whether or not the token existed.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error {
	// finAPI's V1 took the fields as query parameters, V2 as a form.
	params := r.URL.Query()
	if r.ContentLength != 0 || r.Header.Get("Content-Type") != "" {
		form, err := readForm(w, r, h.cfg.MaxFormBytes, "token", "token_type_hint")
		if err != nil {
			var oe *oauthError
			if errors.As(err, &oe) {
				return kontor.Errorf(kontor.EINVALID, "%s", oe.desc)
			}
			return err
		}
		for k, v := range form {
			params[k] = append(params[k], v...)
		}
	}
	if len(params["token"]) > 1 || len(params["token_type_hint"]) > 1 {
		return kontor.Errorf(kontor.EINVALID, "Parameters token and token_type_hint may be given once")
	}
	token := params.Get("token")
	if token == "" {
		return &kontor.FieldError{Field: "token", Missing: true, Message: "Parameter 'token' is required"}
	}
	scope := kontor.RevokeGrant
	switch params.Get("token_type_hint") {
	case "":
	case "access_token":
		scope = kontor.RevokeAccessToken
	case "refresh_token":
		scope = kontor.RevokeRefreshToken
	default:
		return kontor.Errorf(kontor.EINVALID, "Parameter 'token_type_hint' must be access_token or refresh_token")
	}
	if err := h.svc.Revoke(r.Context(), a.Client, token, scope); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
