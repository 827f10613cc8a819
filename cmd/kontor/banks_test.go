package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// directoryBank is one bank of GET /api/v1/banks.
type directoryBank struct {
	BankCode string `json:"bankCode"`
	BIC      string `json:"bic"`
	Name     string `json:"name"`
	City     string `json:"city"`
	FinTS    bool   `json:"fints"`
	FinTSURL string `json:"fintsUrl"`
}

// searchBanks calls the bank search and decodes the answer strictly.
func searchBanks(t *testing.T, s *testServer, token, query string) ([]directoryBank, *response) {
	t.Helper()
	res := s.do("GET", "/api/v1/banks?"+query, nil, "Authorization", token)
	if res.Status != http.StatusOK {
		return nil, res
	}
	var got struct{ Banks []directoryBank }
	dec := json.NewDecoder(strings.NewReader(string(res.Body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil || got.Banks == nil {
		t.Fatalf("banks answer %.300s: %v", res.Body, err)
	}
	return got.Banks, res
}

// TestBankSearch searches the bank directory through the API by name,
// bank code, BIC and city, and checks the limit and bad input.
func TestBankSearch(t *testing.T) {
	s := startServer(t, sqliteURL(t))
	token := s.demoToken()
	v := newValidator(t, s)

	banks, res := searchBanks(t, s, token, "q=fino")
	v.check("GET", "/banks", res)
	if len(banks) == 0 || banks[0].BankCode != "10020000" || banks[0].Name != "fino Bank" || banks[0].BIC != "FINODEF1XXX" ||
		banks[0].City != "Berlin" || !banks[0].FinTS || banks[0].FinTSURL != s.base+SandboxFinTSPath {
		t.Fatalf(`"fino" found %+v, want the sandbox bank first with its FinTS address`, banks)
	}

	banks, _ = searchBanks(t, s, token, "q=10020000")
	if len(banks) != 1 || banks[0].Name != "fino Bank" {
		t.Errorf("bank code search found %+v", banks)
	}

	// A real bank by BIC: Postbank Köln.
	banks, _ = searchBanks(t, s, token, "q=PBNKDEFFXXX")
	found := false
	for _, b := range banks {
		found = found || (b.BankCode == "37010050" && b.BIC == "PBNKDEFFXXX" && b.FinTS && strings.HasPrefix(b.FinTSURL, "https://"))
	}
	if !found || banks[0].BIC != "PBNKDEFFXXX" {
		t.Errorf("BIC search found %+v, want Postbank 37010050 with its FinTS URL first", banks)
	}

	// A city, with and without umlaut, and the limit.
	for _, q := range []string{"köln", "koeln"} {
		banks, res = searchBanks(t, s, token, "q="+url.QueryEscape(q)+"&limit=5")
		v.check("GET", "/banks", res)
		if len(banks) != 5 {
			t.Fatalf("%q with limit 5 found %d banks", q, len(banks))
		}
		for _, b := range banks {
			if b.City == "" || len(b.BankCode) != 8 {
				t.Errorf("%q found %+v", q, b)
			}
		}
	}
	all, _ := searchBanks(t, s, token, "q=sparkasse")
	if len(all) != 20 {
		t.Errorf("default limit: %d banks, want 20", len(all))
	}
	for _, b := range all {
		if b.FinTS != (b.FinTSURL != "") {
			t.Errorf("bank %s: fints %v but fintsUrl %q", b.BankCode, b.FinTS, b.FinTSURL)
		}
	}
	// Commerzbank Köln has no FinTS address in the directory.
	banks, _ = searchBanks(t, s, token, "q=37040044")
	if len(banks) != 1 || banks[0].FinTS || banks[0].FinTSURL != "" {
		t.Errorf("bank without FinTS: %+v", banks)
	}

	if banks, _ := searchBanks(t, s, token, "q=zzzzqqqq"); len(banks) != 0 {
		t.Errorf("nonsense found %+v", banks)
	}

	for _, bad := range []string{"q=fino&limit=0", "q=fino&limit=-1", "q=fino&limit=abc", "q=fino&limit=101", "q=fino&limit=",
		"limit=5", "q=", "q=" + strings.Repeat("a", 201)} {
		res := s.do("GET", "/api/v1/banks?"+bad, nil, "Authorization", token)
		wantError(t, res, http.StatusBadRequest, "bad_request")
		v.check("GET", "/banks", res)
	}
	res = s.do("GET", "/api/v1/banks?q=fino", nil)
	wantError(t, res, http.StatusUnauthorized, "unauthorized")
}
