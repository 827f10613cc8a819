package finoos

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// analysisDoc is the analysis state as the API shows it.
type analysisDoc struct {
	Status    kontor.AnalysisStatus `json:"status"`
	UpdatedAt *string               `json:"updatedAt"`
	Error     string                `json:"error,omitempty"`
	Result    json.RawMessage       `json:"result,omitempty"`
}

func (h *Handler) getAnalysis(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	st, err := h.svc.Analysis(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	doc := analysisDoc{Status: st.Status, Error: st.Error}
	if !st.UpdatedAt.IsZero() {
		at := st.UpdatedAt.UTC().Format(time.RFC3339)
		doc.UpdatedAt = &at
	}
	if st.Status == kontor.AnalysisDone {
		doc.Result = st.Result
	}
	return httpx.WriteJSON(w, http.StatusOK, doc)
}

// reports maps a report's name to where it sits in the result document,
// by user type.
var reports = map[string]map[kontor.UserType][]string{
	"recurring":        {kontor.UserPerson: {"recurring"}, kontor.UserCompany: {"recurring"}},
	"income":           {kontor.UserPerson: {"person", "income"}},
	"spending":         {kontor.UserPerson: {"person", "spending"}},
	"risk":             {kontor.UserPerson: {"person", "risk"}, kontor.UserCompany: {"company", "risk"}},
	"cash":             {kontor.UserCompany: {"company", "cash"}},
	"liquidity":        {kontor.UserCompany: {"company", "liquidity"}},
	"foreign-payments": {kontor.UserCompany: {"company", "foreignPayments"}},
}

func (h *Handler) getReport(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	name := r.PathValue("report")
	byType, ok := reports[name]
	if !ok {
		return kontor.Errorf(kontor.ENOTFOUND, "Not found. No report %q", truncate(name, 40))
	}
	u, err := h.svc.User(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	path, ok := byType[u.Type]
	if !ok {
		return kontor.Errorf(kontor.ENOTFOUND, "Not found. The %s report is not made for %s users", name, u.Type)
	}
	st, err := h.svc.Analysis(r.Context(), c, u.ID)
	if err != nil {
		return err
	}
	switch st.Status {
	case kontor.AnalysisNone:
		return kontor.Errorf(kontor.ENOTFOUND, "Not found. The user has no bank data to analyse")
	case kontor.AnalysisPending, kontor.AnalysisRunning:
		w.Header().Set("Retry-After", "1")
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The analysis of the user's latest data is still %s; retry shortly", st.Status)
	case kontor.AnalysisFailed:
		return kontor.Errorf(kontor.ECONFLICT, "Conflict. The analysis of the user's latest data failed: %s", st.Error)
	}
	section := json.RawMessage(st.Result)
	for _, key := range path {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(section, &obj); err != nil {
			return err
		}
		section = obj[key]
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err = w.Write(append(section, '\n'))
	return err
}

func (h *Handler) getRules(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	rules, err := h.svc.Rules(r.Context(), c)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err = io.WriteString(w, rules)
	return err
}

func (h *Handler) putRules(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, core.MaxRulesBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return kontor.Errorf(kontor.ETOOLARGE, "Bad request. Rules are larger than %d bytes", core.MaxRulesBytes)
	} else if err != nil {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Cannot read the body")
	}
	if err := h.svc.SetRules(r.Context(), c, string(body)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
