package finoos

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// Limits of the bank search.
const (
	// DefaultBankLimit is how many banks a search returns by default.
	DefaultBankLimit = 20
	// MaxBankLimit is the largest limit a search accepts.
	MaxBankLimit = 100
	// maxBankQuery bounds the search text, in characters.
	maxBankQuery = 200
)

// bankEntry is one bank of the directory as the API shows it.
type bankEntry struct {
	BankCode string `json:"bankCode"`
	BIC      string `json:"bic"`
	Name     string `json:"name"`
	City     string `json:"city"`
	// FinTS tells whether Kontor can connect the bank (over FinTS),
	// FinTSURL is the bank's FinTS PIN/TAN address.
	FinTS    bool   `json:"fints"`
	FinTSURL string `json:"fintsUrl,omitempty"`
}

// searchBanks answers GET /banks?q=&limit=: the banks of the directory
// whose name, bank code, BIC or city match q, the best first. It is a
// Kontor extension of the finoOS v1 dialect.
func (h *Handler) searchBanks(w http.ResponseWriter, r *http.Request, _ *kontor.Client) error {
	q := r.URL.Query()
	query := strings.TrimSpace(q.Get("q"))
	if query == "" {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Query parameter q is required")
	}
	if utf8.RuneCountInString(query) > maxBankQuery || !utf8.ValidString(query) {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Query parameter q must be valid text of at most %d characters", maxBankQuery)
	}
	limit := DefaultBankLimit
	if s := q.Get("limit"); s != "" || q.Has("limit") {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > MaxBankLimit {
			return kontor.Errorf(kontor.EINVALID, "Bad request. Query parameter limit must be a whole number from 1 to %d", MaxBankLimit)
		}
		limit = n
	}
	dir := h.svc.Banks()
	if dir == nil {
		return kontor.Errorf(kontor.EUNAVAILABLE, "The bank directory is not enabled")
	}
	out := struct {
		Banks []bankEntry `json:"banks"`
	}{Banks: []bankEntry{}}
	for _, b := range dir.Search(query, limit) {
		out.Banks = append(out.Banks, bankEntry{BankCode: b.Code, BIC: b.BIC, Name: b.Name, City: b.City,
			FinTS: b.FinTSURL != "", FinTSURL: b.FinTSURL})
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}
