package finapi

import (
	"fmt"
	"mime"
	"net/http"
	"strings"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// decodeJSON decodes a JSON request body into v, which must be a pointer
// to a pointer so that a body of null is told from an empty object. The
// content type must be JSON (or absent); unknown fields are rejected.
func (h *Handler) decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &kontor.Error{Code: errMediaType, Message: "The Content-Type of the request must be application/json"}
		}
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, v); err != nil {
		return err
	}
	return nil
}

func missing(field string) error {
	return &kontor.FieldError{Field: field, Missing: true, Message: fmt.Sprintf("Field '%s' is required", field)}
}

func errNoBody() error {
	return kontor.Errorf(kontor.EINVALID, "The request body must be a JSON object")
}

// user is finAPI's User.
type user struct {
	ID                  string  `json:"id"`
	Password            string  `json:"password"`
	Email               *string `json:"email"`
	Phone               *string `json:"phone"`
	IsAutoUpdateEnabled bool    `json:"isAutoUpdateEnabled"`
}

// hiddenPassword is what finAPI shows instead of a password after the user
// was created.
const hiddenPassword = "XXXXX"

func userOf(u *kontor.FinAPIUser, password string) user {
	return user{ID: u.Username, Password: password, Email: u.Email, Phone: u.Phone, IsAutoUpdateEnabled: u.AutoUpdate}
}

// userCreateParams is finAPI's UserCreateParams.
type userCreateParams struct {
	ID                  *string `json:"id"`
	Password            *string `json:"password"`
	Email               *string `json:"email"`
	Phone               *string `json:"phone"`
	IsAutoUpdateEnabled *bool   `json:"isAutoUpdateEnabled"`
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error {
	var p *userCreateParams
	if err := h.decodeJSON(w, r, &p); err != nil {
		return err
	}
	if p == nil {
		return errNoBody()
	}
	u, password, err := h.svc.CreateUser(r.Context(), a.Client, core.FinAPIUserParams{
		ID: p.ID, Password: p.Password, Email: p.Email, Phone: p.Phone, AutoUpdate: p.IsAutoUpdateEnabled,
	})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, userOf(u, password))
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error {
	return httpx.WriteJSON(w, http.StatusOK, userOf(a.User, hiddenPassword))
}

// userUpdateParams is finAPI's UserUpdateParams.
type userUpdateParams struct {
	Email               *string `json:"email"`
	Phone               *string `json:"phone"`
	IsAutoUpdateEnabled *bool   `json:"isAutoUpdateEnabled"`
}

func (h *Handler) editUser(w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error {
	var p *userUpdateParams
	if err := h.decodeJSON(w, r, &p); err != nil {
		return err
	}
	if p == nil {
		return errNoBody()
	}
	u, err := h.svc.UpdateUser(r.Context(), a, core.FinAPIUserUpdate{Email: p.Email, Phone: p.Phone, AutoUpdate: p.IsAutoUpdateEnabled})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, userOf(u, hiddenPassword))
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, a *kontor.FinAPIAuth) error {
	if err := h.svc.DeleteUser(r.Context(), a); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}

// processParams is the process controller's request.
type processParams struct {
	ClientID         *string `json:"clientId"`
	ClientSecret     *string `json:"clientSecret"`
	ClientReferences *[]*struct {
		ClientReference *string `json:"clientReference"`
	} `json:"clientReferences"`
	ProcessID *string `json:"processId"`
}

// process is one entry of the process controller's response.
type process struct {
	ClientReference string `json:"clientReference"`
	ProcessToken    string `json:"processToken"`
}

func (h *Handler) createProcesses(w http.ResponseWriter, r *http.Request, _ *kontor.FinAPIAuth) error {
	var p *processParams
	if err := h.decodeJSON(w, r, &p); err != nil {
		return err
	}
	switch {
	case p == nil:
		return errNoBody()
	case p.ClientID == nil || *p.ClientID == "":
		return missing("clientId")
	case p.ClientSecret == nil || *p.ClientSecret == "":
		return missing("clientSecret")
	case p.ClientReferences == nil:
		return missing("clientReferences")
	case p.ProcessID == nil || *p.ProcessID == "":
		return missing("processId")
	}
	refs := make([]string, len(*p.ClientReferences))
	for i, ref := range *p.ClientReferences {
		if ref == nil || ref.ClientReference == nil {
			return missing(fmt.Sprintf("clientReferences[%d].clientReference", i))
		}
		refs[i] = *ref.ClientReference
	}
	started, err := h.svc.StartProcesses(r.Context(), *p.ClientID, *p.ClientSecret, *p.ProcessID, refs)
	if err != nil {
		return err
	}
	out := struct {
		Processes []process `json:"processes"`
	}{Processes: make([]process, len(started))}
	for i, s := range started {
		out.Processes[i] = process{ClientReference: s.Reference, ProcessToken: s.Token}
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (h *Handler) exchangeProcess(w http.ResponseWriter, r *http.Request, _ *kontor.FinAPIAuth) error {
	q := r.URL.Query()
	if len(q["invalidate"]) > 1 {
		return kontor.Errorf(kontor.EINVALID, "Parameter 'invalidate' may be given once")
	}
	var invalidate bool
	switch strings.ToLower(q.Get("invalidate")) {
	case "", "false":
	case "true":
		invalidate = true
	default:
		return kontor.Errorf(kontor.EINVALID, "Parameter 'invalidate' must be true or false")
	}
	tokens, err := h.svc.ExchangeProcess(r.Context(), r.PathValue("processToken"), invalidate)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return httpx.WriteJSON(w, http.StatusOK, struct {
		AccessToken string `json:"accessToken"`
	}{tokens.AccessToken})
}

func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request, _ *kontor.FinAPIAuth) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}
