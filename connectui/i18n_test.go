package connectui

import (
	"net/http/httptest"
	"testing"
)

func TestLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                      "de",
		"de-DE,de;q=0.9":        "de",
		"en-US,en;q=0.8":        "en",
		"fr-FR,en;q=0.5":        "en",
		"fr-FR":                 "de",
		"en;q=0.2, de-AT;q=0.9": "de",
		"garbage;;;q=x":         "de",
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Language", header)
		if got := lang(r); got != want {
			t.Errorf("lang(%q) = %s, want %s", header, got, want)
		}
	}
	de, en := translator("de"), translator("en")
	if de("cancel") != "Abbrechen" || en("cancel") != "Cancel" || en("problem.wrong_pin", 2) != "The login name or PIN is wrong. 2 attempt(s) left." {
		t.Fatal("translations wrong")
	}
	for key, m := range messages {
		if m[0] == "" || m[1] == "" {
			t.Errorf("message %s lacks a language", key)
		}
	}
}
