package connectui

import (
	"fmt"
	"net/http"

	"golang.org/x/text/language"
)

// languages are the Banking UI's languages; the first is the default.
var (
	languages = []language.Tag{language.German, language.English}
	matcher   = language.NewMatcher(languages)
)

// lang picks "de" or "en" from the request's Accept-Language header.
func lang(r *http.Request) string {
	tag, _ := language.MatchStrings(matcher, r.Header.Get("Accept-Language"))
	if base, _ := tag.Base(); base.String() == "en" {
		return "en"
	}
	return "de"
}

// messages holds every text of the Banking UI in German and English.
var messages = map[string][2]string{
	"title":                  {"Bankkonto verbinden", "Connect your bank account"},
	"intro":                  {"Wählen Sie Ihre Bank, um Ihre Konten sicher zu verbinden.", "Choose your bank to connect your accounts securely."},
	"search.label":           {"Bank suchen (Name, Bankleitzahl oder BIC)", "Search for your bank (name, bank code or BIC)"},
	"search.button":          {"Suchen", "Search"},
	"search.none":            {"Keine Bank gefunden. Versuchen Sie einen anderen Namen, die Bankleitzahl oder die BIC.", "No bank found. Try another name, the bank code or the BIC."},
	"search.results":         {"Suchergebnisse", "Results"},
	"search.suggested":       {"Testbank", "Test bank"},
	"bank.code":              {"BLZ", "Bank code"},
	"login.title":            {"Anmelden bei %s", "Log in to %s"},
	"login.hint":             {"Ihre Zugangsdaten werden verschlüsselt an Ihre Bank übertragen.", "Your credentials are sent to your bank encrypted."},
	"login.submit":           {"Anmelden", "Log in"},
	"login.other":            {"Andere Bank wählen", "Choose another bank"},
	"problem.wrong_pin":      {"Anmeldename oder PIN ist falsch. Noch %d Versuch(e).", "The login name or PIN is wrong. %d attempt(s) left."},
	"problem.wrong_tan":      {"Die TAN ist falsch. Noch %d Versuch(e).", "The TAN is wrong. %d attempt(s) left."},
	"method.title":           {"TAN-Verfahren wählen", "Choose a TAN method"},
	"method.legend":          {"Wie möchten Sie sich bestätigen?", "How do you want to confirm?"},
	"continue":               {"Weiter", "Continue"},
	"tan.title":              {"TAN eingeben", "Enter the TAN"},
	"tan.label":              {"TAN", "TAN"},
	"tan.shown":              {"Ihre TAN für die Testbank:", "Your TAN for the test bank:"},
	"tan.submit":             {"Bestätigen", "Confirm"},
	"wait.title":             {"Freigabe in Ihrer Banking-App", "Approve in your banking app"},
	"wait.text":              {"Bitte geben Sie den Zugriff in Ihrer Banking-App frei. Diese Seite geht danach von selbst weiter.", "Please approve the access in your banking app. This page moves on by itself afterwards."},
	"wait.check":             {"Jetzt prüfen", "Check now"},
	"cancel":                 {"Abbrechen", "Cancel"},
	"back":                   {"Zurück zur App", "Back to the app"},
	"done.title":             {"Fertig", "Done"},
	"done.success":           {"Ihr Konto ist verbunden.", "Your account is connected."},
	"done.cancelled":         {"Sie haben die Verbindung abgebrochen.", "You cancelled the connection."},
	"failed.title":           {"Verbindung fehlgeschlagen", "Connection failed"},
	"fail.wrong_credentials": {"Anmeldename oder PIN waren zu oft falsch.", "The login name or PIN was wrong too often."},
	"fail.login_locked":      {"Ihr Zugang ist bei der Bank gesperrt. Bitte wenden Sie sich an Ihre Bank.", "Your access is locked by the bank. Please contact your bank."},
	"fail.tan_failed":        {"Die Bestätigung ist fehlgeschlagen.", "The confirmation failed."},
	"fail.bank_unavailable":  {"Die Bank ist zurzeit nicht erreichbar. Bitte versuchen Sie es später erneut.", "The bank cannot be reached right now. Please try again later."},
	"fail.bank_unsupported":  {"Diese Bank kann nicht verbunden werden.", "This bank cannot be connected."},
	"fail.session_expired":   {"Die Sitzung ist abgelaufen.", "The session has expired."},
	"fail.internal_error":    {"Ein unerwarteter Fehler ist aufgetreten.", "An unexpected error occurred."},
	"error.title":            {"Nicht möglich", "Not possible"},
	"error.invalid":          {"Dieser Link ist ungültig.", "This link is not valid."},
	"error.used":             {"Dieser Link wurde bereits verwendet oder ist abgelaufen.", "This link was already used or has expired."},
	"error.request":          {"Die Anfrage war ungültig. Bitte versuchen Sie es erneut.", "The request was not valid. Please try again."},
	"error.ended":            {"Diese Verbindung ist bereits beendet.", "This connection has already ended."},
	"error.internal":         {"Ein unerwarteter Fehler ist aufgetreten.", "An unexpected error occurred."},
}

// translator returns the text for a key in one language.
func translator(l string) func(key string, args ...any) string {
	i := 0
	if l == "en" {
		i = 1
	}
	return func(key string, args ...any) string {
		m, ok := messages[key]
		if !ok {
			return key
		}
		if len(args) > 0 {
			return fmt.Sprintf(m[i], args...)
		}
		return m[i]
	}
}
