package sandbox

import (
	"crypto/subtle"
	"slices"
	"strings"
	"time"
)

// The finoOS quickstart's test login.
const (
	// DummyLogin is the login name of the default scenario.
	DummyLogin = "dummy"
	// DummyPIN is its PIN, and the PIN of every other scenario that has
	// one.
	DummyPIN = "654321"
	// DummyTAN is the TAN the sandbox accepts and shows on screen.
	DummyTAN = "123456"
)

// Behaviour is what the sandbox bank does when a scenario's login
// connects. The connectors implement it.
type Behaviour string

// Behaviours.
const (
	// BehaviourSuccess: PIN, then a TAN (shown on screen), then the data.
	BehaviourSuccess Behaviour = "success"
	// BehaviourWrongPIN: every PIN is rejected as wrong.
	BehaviourWrongPIN Behaviour = "wrong_pin"
	// BehaviourLocked: the login is locked; no PIN gets in.
	BehaviourLocked Behaviour = "locked"
	// BehaviourTANMethodChoice: after the PIN the user picks one of
	// several TAN methods, then enters the TAN.
	BehaviourTANMethodChoice Behaviour = "tan_method_choice"
	// BehaviourDecoupled: after the PIN the user approves in the banking
	// app; the connector polls until the sandbox approves.
	BehaviourDecoupled Behaviour = "decoupled"
	// BehaviourLargeHistory: like BehaviourSuccess, with a very large
	// transaction history.
	BehaviourLargeHistory Behaviour = "large_history"
	// BehaviourUnavailable: the bank cannot be reached.
	BehaviourUnavailable Behaviour = "bank_unavailable"
)

// TANMethod is a TAN method of the sandbox bank.
type TANMethod struct {
	// ID is the FinTS security function code, such as "921".
	ID string
	// Name is the name shown to the user.
	Name string
	// Decoupled is true when the user approves in an app instead of
	// entering a TAN.
	Decoupled bool
}

// Scenario is a sandbox login and what the bank does for it.
type Scenario struct {
	// Login is the login name (case does not matter).
	Login string
	// PIN is the PIN the bank accepts, or "" when it accepts none.
	PIN string
	// Behaviour is what happens on connecting.
	Behaviour Behaviour
	// Description and DescriptionDE explain the scenario in English and
	// German, for the README and the Banking UI.
	Description, DescriptionDE string
	// TANMethods are the TAN methods offered after the PIN; more than one
	// means the user chooses.
	TANMethods []TANMethod
	// TAN is the TAN the bank accepts, or "" when no TAN is entered.
	TAN string
	// Challenge is the bank's challenge text (German, as banks send it);
	// for TAN entry it shows the TAN.
	Challenge string
	// ApproveAfter and ApprovePolls say when a decoupled approval is
	// given: after this much time since the challenge or after this many
	// status polls, whichever comes first.
	ApproveAfter time.Duration
	ApprovePolls int
	// Transactions, when not 0, is the exact number of transactions of
	// the giro account (booked and pending).
	Transactions int
	// FinTSCode is the return code the sandbox's FinTS face answers the
	// dialog initialisation with when the login fails, per the FinTS
	// return code list; "" when it succeeds.
	FinTSCode string
}

// CheckPIN reports whether the bank accepts pin for this scenario. It takes
// the same time for every wrong PIN of the right length.
func (s Scenario) CheckPIN(pin string) bool {
	return s.PIN != "" && subtle.ConstantTimeCompare([]byte(pin), []byte(s.PIN)) == 1
}

// CheckTAN reports whether the bank accepts tan for this scenario.
func (s Scenario) CheckTAN(tan string) bool {
	return s.TAN != "" && subtle.ConstantTimeCompare([]byte(tan), []byte(s.TAN)) == 1
}

// LargeHistoryTransactions is the size of the "large" scenario's giro
// history.
const LargeHistoryTransactions = 50000

var sandboxTAN = TANMethod{ID: "921", Name: "Sandbox-TAN"}

const tanChallenge = "Sandbox: Ihre TAN lautet " + DummyTAN + "."

var scenarios = []Scenario{
	{
		Login:         DummyLogin,
		PIN:           DummyPIN,
		Behaviour:     BehaviourSuccess,
		Description:   "The finoOS test login: PIN 654321, then a TAN that is shown on screen. Yields a giro account, a savings account, a credit card and a depot with 15 months of transactions.",
		DescriptionDE: "Der Testzugang aus dem finoOS-Quickstart: PIN 654321, danach eine TAN, die auf dem Bildschirm angezeigt wird. Liefert Girokonto, Tagesgeldkonto, Kreditkarte und Depot mit den Umsätzen der letzten 15 Monate.",
		TANMethods:    []TANMethod{sandboxTAN},
		TAN:           DummyTAN,
		Challenge:     tanChallenge,
	},
	{
		Login:         "wrongpin",
		Behaviour:     BehaviourWrongPIN,
		Description:   "Every PIN is wrong: the bank rejects the login.",
		DescriptionDE: "Jede PIN ist falsch: Die Bank lehnt die Anmeldung ab.",
		FinTSCode:     "9942",
	},
	{
		Login:         "locked",
		PIN:           DummyPIN,
		Behaviour:     BehaviourLocked,
		Description:   "The online banking access is locked: the bank refuses the login, even with PIN 654321.",
		DescriptionDE: "Der Online-Banking-Zugang ist gesperrt: Die Bank lehnt die Anmeldung ab, auch mit der PIN 654321.",
		FinTSCode:     "3938",
	},
	{
		Login:         "twotan",
		PIN:           DummyPIN,
		Behaviour:     BehaviourTANMethodChoice,
		Description:   "After PIN 654321 the user chooses between two TAN methods, chipTAN optisch and pushTAN; the TAN is shown on screen. Data like dummy's, for another invented customer.",
		DescriptionDE: "Nach der PIN 654321 wählt der Nutzer zwischen zwei TAN-Verfahren, chipTAN optisch und pushTAN; die TAN wird auf dem Bildschirm angezeigt. Daten wie bei dummy, für einen anderen erfundenen Kunden.",
		TANMethods:    []TANMethod{{ID: "912", Name: "chipTAN optisch"}, {ID: "921", Name: "pushTAN"}},
		TAN:           DummyTAN,
		Challenge:     tanChallenge,
	},
	{
		Login:         "decoupled",
		PIN:           DummyPIN,
		Behaviour:     BehaviourDecoupled,
		Description:   "After PIN 654321 the login is approved in the banking app instead of with a TAN; the sandbox approves it by itself after a few seconds of polling. Data like dummy's, for another invented customer.",
		DescriptionDE: "Nach der PIN 654321 wird die Anmeldung in der Banking-App statt mit einer TAN freigegeben; die Sandbox gibt sie nach einigen Sekunden Abfragen selbst frei. Daten wie bei dummy, für einen anderen erfundenen Kunden.",
		TANMethods:    []TANMethod{{ID: "946", Name: "App-Freigabe", Decoupled: true}},
		Challenge:     "Bitte geben Sie die Anmeldung in Ihrer Banking-App frei.",
		ApproveAfter:  5 * time.Second,
		ApprovePolls:  3,
	},
	{
		Login:         "large",
		PIN:           DummyPIN,
		Behaviour:     BehaviourLargeHistory,
		Description:   "Like dummy, but the giro account has a very large history: exactly 50,000 transactions, mostly small card payments, with a shop's card takings paid in every bank day.",
		DescriptionDE: "Wie dummy, aber das Girokonto hat sehr viele Umsätze: genau 50.000, vor allem kleine Kartenzahlungen, dazu an jedem Bankarbeitstag die Auszahlung der Kartenumsätze eines Ladens.",
		TANMethods:    []TANMethod{sandboxTAN},
		TAN:           DummyTAN,
		Challenge:     tanChallenge,
		Transactions:  LargeHistoryTransactions,
	},
	{
		Login:         "down",
		PIN:           DummyPIN,
		Behaviour:     BehaviourUnavailable,
		Description:   "The bank is not available: every login attempt fails with a technical error.",
		DescriptionDE: "Die Bank ist nicht erreichbar: Jeder Anmeldeversuch scheitert mit einem technischen Fehler.",
		FinTSCode:     "9010",
	},
}

// Scenarios returns the sandbox logins and their behaviour, dummy first.
// The result is a copy.
func Scenarios() []Scenario {
	out := make([]Scenario, len(scenarios))
	for i, s := range scenarios {
		out[i] = s.clone()
	}
	return out
}

// ScenarioFor returns the scenario of a login name; case and surrounding
// spaces do not matter. Logins that are not in the catalogue have no
// scenario (the connector decides how to treat them; Generate yields data
// for them all the same).
func ScenarioFor(login string) (Scenario, bool) {
	key := normalise(login)
	for _, s := range scenarios {
		if s.Login == key {
			return s.clone(), true
		}
	}
	return Scenario{}, false
}

func (s Scenario) clone() Scenario {
	s.TANMethods = slices.Clone(s.TANMethods)
	return s
}

// ScenariosMarkdown returns the catalogue as a Markdown table (English),
// for documentation.
func ScenariosMarkdown() string {
	var b strings.Builder
	b.WriteString("| Login | PIN | Behaviour | Description |\n|---|---|---|---|\n")
	for _, s := range scenarios {
		pin := "`" + s.PIN + "`"
		if s.PIN == "" {
			pin = "any (always wrong)"
		}
		b.WriteString("| `" + s.Login + "` | " + pin + " | `" + string(s.Behaviour) + "` | " + s.Description + " |\n")
	}
	return b.String()
}
