package finoos

import (
	"net/http"
	"strconv"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// tokenPair is the Authenticate and Refresh response.
type tokenPair struct {
	AccessToken      string `json:"accessToken"`
	RefreshToken     string `json:"refreshToken"`
	ExpiresIn        int    `json:"expiresIn"`
	RefreshExpiresIn int    `json:"refreshExpiresIn"`
}

func writePair(w http.ResponseWriter, p *core.TokenPair, c *kontor.Client, explicitVersion bool) error {
	if !explicitVersion {
		w.Header().Set(versionHeader, c.APIVersion)
	}
	return httpx.WriteJSON(w, http.StatusOK, tokenPair{p.AccessToken, p.RefreshToken, p.ExpiresIn, p.RefreshExpiresIn})
}

func required(fields ...[2]string) error {
	for _, f := range fields {
		if f[1] == "" {
			return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s is required", f[0])
		}
	}
	return nil
}

func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request, _ *kontor.Client) error {
	var req struct {
		Name   string `json:"name"`
		Secret string `json:"secret"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"name", req.Name}, [2]string{"secret", req.Secret}); err != nil {
		return err
	}
	pair, c, err := h.svc.Authenticate(r.Context(), req.Name, req.Secret)
	if err != nil {
		return err
	}
	return writePair(w, pair, c, r.Header.Get(versionHeader) != "")
}

func (h *Handler) refresh(w http.ResponseWriter, r *http.Request, _ *kontor.Client) error {
	var req struct {
		Name         string `json:"name"`
		Secret       string `json:"secret"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"name", req.Name}, [2]string{"secret", req.Secret}, [2]string{"refreshToken", req.RefreshToken}); err != nil {
		return err
	}
	pair, c, err := h.svc.Refresh(r.Context(), req.Name, req.Secret, req.RefreshToken)
	if err != nil {
		return err
	}
	return writePair(w, pair, c, r.Header.Get(versionHeader) != "")
}

func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request, _ *kontor.Client) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}

// user is a user as the API shows it.
type user struct {
	ID        string          `json:"id"`
	Type      kontor.UserType `json:"type"`
	CreatedAt string          `json:"createdAt"`
}

func userOf(u *kontor.User) user {
	return user{ID: u.ID, Type: u.Type, CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339)}
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req struct {
		Type kontor.UserType `json:"type"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"type", string(req.Type)}); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(r.Context(), c, req.Type)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, struct {
		ID string `json:"id"`
	}{u.ID})
}

// paging describes one page of a list.
type paging struct {
	Page       int `json:"page"`
	PerPage    int `json:"perPage"`
	PageCount  int `json:"pageCount"`
	TotalCount int `json:"totalCount"`
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	users, total, err := h.svc.Users(r.Context(), c, page)
	if err != nil {
		return err
	}
	out := struct {
		Users  []user `json:"users"`
		Paging paging `json:"paging"`
	}{Users: make([]user, 0, len(users))}
	for i := range users {
		out.Users = append(out.Users, userOf(&users[i]))
	}
	out.Paging = paging{Page: page.Page, PerPage: page.PerPage, PageCount: (total + page.PerPage - 1) / page.PerPage, TotalCount: total}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// pageOf reads the page and perPage query parameters (defaults 1 and 20).
func pageOf(r *http.Request) (kontor.Page, error) {
	p := kontor.Page{Page: 1, PerPage: 20}
	q := r.URL.Query()
	for name, dst := range map[string]*int{"page": &p.Page, "perPage": &p.PerPage} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return p, kontor.Errorf(kontor.EINVALID, "Bad request. Query parameter %s must be a whole number", name)
			}
			*dst = n
		}
	}
	return p, nil
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	u, err := h.svc.User(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, userOf(u))
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if err := h.svc.DeleteUser(r.Context(), c, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logins is the Set Logins request and the Get Logins response.
type logins struct {
	Logins *[]kontor.Login `json:"logins"`
}

func (h *Handler) setLogins(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req logins
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxUploadBytes, &req); err != nil {
		return err
	}
	if req.Logins == nil {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field logins is required")
	}
	if err := h.svc.SetLogins(r.Context(), c, r.PathValue("id"), *req.Logins); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getLogins(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	ls, err := h.svc.Logins(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, logins{Logins: &ls})
}

func (h *Handler) deleteLogin(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if err := h.svc.DeleteLogin(r.Context(), c, r.PathValue("id"), r.PathValue("loginId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) connect(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req struct {
		RedirectURL string `json:"redirectURL"`
		ErrorURL    string `json:"errorURL"`
		ExitURL     string `json:"exitURL"`
		Recurring   bool   `json:"recurring"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	cr := core.ConnectRequest{RedirectURL: req.RedirectURL, ErrorURL: req.ErrorURL, ExitURL: req.ExitURL, Recurring: req.Recurring}
	if ip, ok := UserIPFrom(r.Context()); ok {
		cr.UserIP = ip.String()
	}
	_, url, err := h.svc.CreateConnectSession(r.Context(), c, r.PathValue("id"), cr)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, struct {
		RedirectURL string `json:"redirectURL"`
	}{url})
}
