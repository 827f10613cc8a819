package analysis

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/kontor-dev/kontor"
)

// mustMatcher compiles a rules file and returns its matcher for ut.
func mustMatcher(t testing.TB, ut kontor.UserType, yaml string) *Matcher {
	t.Helper()
	rs, err := ParseRules("test", []byte("version: 1\nrules:\n"+yaml))
	if err != nil {
		t.Fatal(err)
	}
	c, err := Compile(rs)
	if err != nil {
		t.Fatal(err)
	}
	m, err := c.Matcher(ut)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// tx builds a transaction: amount, counterpart name and purpose.
func tx(amount, name, purpose string) kontor.Transaction {
	return kontor.Transaction{
		ID:          "t",
		Amount:      kontor.MustParseAmount(amount),
		CounterPart: kontor.CounterPart{Name: name},
		Purpose:     purpose,
		Booked:      true,
	}
}

func withCode(t kontor.Transaction, typ, value string) kontor.Transaction {
	t.Codes = append(t.Codes, kontor.Code{Type: typ, Value: value})
	return t
}

func TestSignals(t *testing.T) {
	m := mustMatcher(t, kontor.UserPerson, `
  - {id: gvc, category: income.salary, direction: in, for: person, transactionCodes: ["153"]}
  - {id: purp, category: income.pension, direction: in, for: person, purposeCodes: [PENS]}
  - {id: cred, category: housing.broadcast_fee, for: person, creditorIds: [LU96ZZZ0000000000000000058]}
  - {id: iban, category: housing.rent, for: person, ibans: ["DE89 3704 0044 0532 0130 00"]}
  - {id: mref, category: insurance.vehicle, mandatePrefixes: [KFZ-]}
  - {id: name, category: groceries.food, for: person, names: [rewe]}
  - {id: purpose, category: housing.rent, for: person, direction: out, purpose: [miete]}
  - {id: word-start, category: leisure.sports, for: person, keywords: ["fitness*"]}
  - {id: word-end, category: insurance.household, for: person, keywords: ["*hausrat"]}
  - {id: both-ends, category: shopping.online, for: person, keywords: ["*shop*"]}
  - {id: phrase, category: groceries.drugstore, for: person, keywords: ["dm drogerie"]}
  - {id: umlaut, category: fees.bank, for: person, keywords: ["gebühr"]}
  - {id: notword, category: mobility.fuel, for: person, keywords: [aral], not: [gutschein]}
  - {id: small, category: leisure.games, for: person, keywords: [steam], maxAmount: "20"}
  - {id: large, category: shopping.electronics, for: person, keywords: [steam], minAmount: "20.01"}
  - {id: own, category: transfers.own_account, ownAccount: true}
  - {id: both, category: income.investment, for: person, direction: in, names: [broker], purpose: [dividende]}
  - {id: fallback, category: transfers.incoming, for: person, direction: in, priority: -100}
`)
	holder := NewHolder([]kontor.Account{{IBAN: "DE02120300000000202051", Owner: "Anna Maria Schneider"}})
	withTags := func(t kontor.Transaction) kontor.Transaction {
		t.Purpose = "EREF+NOTPROVIDED MREF+KFZ-4711 CRED+DE98ZZZ09999999999 SVWZ+Beitrag Auto"
		return t
	}
	for _, tc := range []struct {
		name string
		tx   kontor.Transaction
		want string
		rule string
	}{
		{"GVC", withCode(tx("2000", "Arbeitgeber GmbH", "LOHN 01"), kontor.CodeTransaction, "153"), "income.salary", "gvc"},
		{"GVC wrong direction", withCode(tx("-20", "X", ""), kontor.CodeTransaction, "153"), "", ""},
		{"purpose code beats nothing else", withCode(tx("900", "DRV", ""), kontor.CodePurpose, "pens"), "income.pension", "purp"},
		{"PURP tag", tx("900", "DRV", "PURP+PENS SVWZ+Rente"), "income.pension", "purp"},
		{"creditor ID ignores business code", func() kontor.Transaction {
			t := tx("-10", "PayPal", "")
			t.CounterPart.CreditorID = "LU96ABC0000000000000000058"
			return t
		}(), "housing.broadcast_fee", "cred"},
		{"IBAN in any spacing", func() kontor.Transaction {
			t := tx("-800", "Vermieter", "")
			t.CounterPart.IBAN = "de89370400440532013000"
			return t
		}(), "housing.rent", "iban"},
		{"mandate from field", func() kontor.Transaction {
			t := tx("-50", "HUK", "")
			t.MRef = "kfz-0815"
			return t
		}(), "insurance.vehicle", "mref"},
		{"mandate from MREF tag", withTags(tx("-50", "HUK", "")), "insurance.vehicle", "mref"},
		{"name", tx("-12", "REWE Markt GmbH", ""), "groceries.food", "name"},
		{"keyword in purpose only", tx("-12", "Kartenzahlung", "REWE sagt danke"), "", ""},
		{"purpose keyword", tx("-700", "Herr Meier", "MIETE JANUAR"), "housing.rent", "purpose"},
		{"whole words only", tx("-700", "Herr Meier", "Mietesammlung"), "", ""},
		{"open end", tx("-30", "FITNESSSTUDIO XY", ""), "leisure.sports", "word-start"},
		{"open start", tx("-30", "", "Beitrag Wohnungshausrat"), "insurance.household", "word-end"},
		{"open both ends", tx("-30", "", "Onlineshopping"), "shopping.online", "both-ends"},
		{"phrase", tx("-5", "DM-Drogerie Markt", ""), "groceries.drugstore", "phrase"},
		{"phrase needs its words in order", tx("-5", "Drogerie DM", ""), "", ""},
		{"umlauts spelled out", tx("-5", "", "KONTOFUEHRUNGS GEBUEHR"), "fees.bank", "umlaut"},
		{"not", tx("-5", "ARAL", "Gutschein"), "", ""},
		{"without not", tx("-5", "ARAL", "Super E10"), "mobility.fuel", "notword"},
		{"max amount", tx("-19.99", "Steam", ""), "leisure.games", "small"},
		{"min amount", tx("-899", "Steam", ""), "shopping.electronics", "large"},
		{"between the bounds", tx("-20.005", "Steam", ""), "leisure.games", "small"},
		{"own IBAN", func() kontor.Transaction {
			t := tx("-100", "Tagesgeld", "")
			t.CounterPart.IBAN = "DE02 1203 0000 0000 2020 51"
			return t
		}(), "transfers.own_account", "own"},
		{"own name in any order with a title", tx("-100", "Dr. Schneider, Anna Maria", ""), "transfers.own_account", "own"},
		{"part of the owner's name is not the owner", tx("-100", "Anna Schneider", ""), "", ""},
		{"two conditions", tx("12", "Broker AG", "Dividende ACME"), "income.investment", "both"},
		{"only one of two conditions", tx("12", "Broker AG", "Zinsen"), "transfers.incoming", "fallback"},
		{"only the tags' human part is searched", tx("5", "X", "EREF+MIETE-4711 SVWZ+Danke"), "transfers.incoming", "fallback"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := m.Classify(&tc.tx, holder)
			if got.Category != tc.want || got.Rule != tc.rule {
				t.Errorf("got %s by %q, want %s by %q", got.Category, got.Rule, tc.want, tc.rule)
			}
		})
	}
}

func TestScoring(t *testing.T) {
	m := mustMatcher(t, kontor.UserPerson, `
  - {id: keyword, category: income.pension, for: person, direction: in, keywords: [rente]}
  - {id: code, category: income.salary, for: person, direction: in, transactionCodes: ["153"]}
  - {id: boosted, category: income.pension, for: person, direction: in, keywords: [altersrente], priority: 25}
  - {id: first, category: leisure.sports, for: person, keywords: [tie]}
  - {id: second, category: leisure.games, for: person, keywords: [tie]}
`)
	for _, tc := range []struct {
		tx   kontor.Transaction
		rule string
	}{
		{withCode(tx("900", "DRV", "Rente"), kontor.CodeTransaction, "153"), "code"},          // 40 beats 20
		{withCode(tx("900", "DRV", "Altersrente"), kontor.CodeTransaction, "153"), "boosted"}, // 45 beats 40
		{tx("-1", "tie", ""), "first"}, // a tie goes to the rule listed first
	} {
		if got := m.Classify(&tc.tx, nil); got.Rule != tc.rule {
			t.Errorf("%s | %s: rule %q, want %q", tc.tx.CounterPart.Name, tc.tx.Purpose, got.Rule, tc.rule)
		}
	}
}

func TestClientRulesWin(t *testing.T) {
	c, err := WithClientRules("acme", []byte(`version: 1
rules:
  - {id: acme-rewe, category: shopping.general, for: person, keywords: [rewe]}
  - {id: acme-everything, category: other.uncategorized, for: person, direction: out}
  - {id: salary-gvc, category: income.other, for: person, direction: in, transactionCodes: ["153"]}
  - {id: groceries, disabled: true}
  - {id: groceries-names, disabled: true}
`))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.Matcher(kontor.UserPerson)
	for _, tc := range []struct {
		tx        kontor.Transaction
		want      string
		rule      string
		wantScore bool
	}{
		{tx("-10", "REWE Markt GmbH", ""), "shopping.general", "acme-rewe", true},
		{withCode(tx("2000", "Bosch", "Lohn"), kontor.CodeTransaction, "153"), "income.other", "salary-gvc", true},
		// The client's fallback does not hide a specific built-in rule ...
		{tx("-40", "ARAL", "Tankstelle"), "mobility.fuel", "fuel", false},
		// ... and the disabled built-in rule is gone.
		{tx("-4", "Edeka", ""), "other.uncategorized", "acme-everything", false},
	} {
		got := m.Classify(&tc.tx, nil)
		if got.Category != tc.want || got.Rule != tc.rule {
			t.Errorf("%s: got %s by %q, want %s by %q", tc.tx.CounterPart.Name, got.Category, got.Rule, tc.want, tc.rule)
		}
		if tc.wantScore && got.Score < layerBonus {
			t.Errorf("%s: score %d lacks the client layer bonus", tc.tx.CounterPart.Name, got.Score)
		}
	}
}

func TestTags(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.Matcher(kontor.UserPerson)
	x := tx("-40", "ARAL Tankstelle", "")
	x.Tags = []kontor.Tag{
		{Name: "business", Source: "client"},
		{Name: "groceries.food", Source: kontor.TagSourceKontor},
		{Name: TagRecurring, Source: kontor.TagSourceKontor},
		{Name: "leisure.travel", Source: "user"},
	}
	m.Categorize(&x, nil)
	want := []kontor.Tag{
		{Name: "business", Source: "client"},
		{Name: "leisure.travel", Source: "user"},
		{Name: "mobility.fuel", Source: kontor.TagSourceKontor},
	}
	if !slices.Equal(x.Tags, want) {
		t.Errorf("tags %v, want %v", x.Tags, want)
	}
	m.Categorize(&x, nil) // again: still one kontor tag
	if !slices.Equal(x.Tags, want) {
		t.Errorf("after a second run tags %v, want %v", x.Tags, want)
	}
	tax := m.Taxonomy()
	if got := CategoryOf(tax, &x).Name; got != "leisure.travel" {
		t.Errorf("CategoryOf = %s, want the user's leisure.travel", got)
	}
	x.Tags = x.Tags[2:]
	if got := CategoryOf(tax, &x).Name; got != "mobility.fuel" {
		t.Errorf("CategoryOf = %s, want mobility.fuel", got)
	}
	x.Tags = nil
	if got := CategoryOf(tax, &x).Name; got != Uncategorized {
		t.Errorf("CategoryOf untagged = %s", got)
	}
	unknown := tx("-1", "Kiosk 17", "Kartenzahlung girocard")
	if got := m.Categorize(&unknown, nil); got.Category != "" || unknown.Tags[0].Name != Uncategorized {
		t.Errorf("unknown transaction: %+v, tags %v", got, unknown.Tags)
	}
}

func TestUserTypeSelectsTaxonomy(t *testing.T) {
	c, _ := Default()
	salary := withCode(tx("-3100", "Jonas Albers", "Gehalt Januar"), kontor.CodePurpose, "SALA")
	person, _ := c.Matcher(kontor.UserPerson)
	company, _ := c.Matcher(kontor.UserCompany)
	if got := company.Classify(&salary, nil).Category; got != "payroll.wages" {
		t.Errorf("company: %s", got)
	}
	if got := person.Classify(&salary, nil).Category; got == "payroll.wages" {
		t.Errorf("person: %s", got)
	}
	if _, err := c.Matcher("robot"); kontor.ErrorCode(err) != kontor.EINVALID {
		t.Errorf("unknown user type: %v", err)
	}
	accounts := []kontor.Account{{Transactions: []kontor.Transaction{salary}}}
	if err := c.CategorizeAccounts(kontor.UserCompany, accounts); err != nil {
		t.Fatal(err)
	}
	if got := accounts[0].Transactions[0].Tags; len(got) != 1 || got[0].Name != "payroll.wages" {
		t.Errorf("tags %v", got)
	}
}

func TestCategorizeDoesNotAllocate(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop entries")
	}
	c, err := WithClientRules("acme", []byte(`version: 1
rules:
  - {id: acme-mref, category: insurance.vehicle, for: person, mandatePrefixes: [KFZ-]}
  - {id: acme-cred, category: housing.broadcast_fee, for: person, creditorIds: [DE98ZZZ09999999999]}
  - {id: acme-iban, category: housing.rent, for: person, ibans: [DE89370400440532013000]}
`))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := c.Matcher(kontor.UserPerson)
	holder := NewHolder([]kontor.Account{{IBAN: "DE02120300000000202051", Owner: "Anna Schneider"}})
	txs := []kontor.Transaction{
		withCode(tx("2874.31", "Bavaria Logistik GmbH", "LOHN/GEHALT 01/2025 PERS.NR. 00421"), kontor.CodeTransaction, "153"),
		tx("-34.17", "REWE Markt GmbH", "2025-01-02T18:22 Debitk.4 VISA Debit REWE SAGT DANKE. 44981133"),
		tx("-55.08", "Rundfunk ARD ZDF DRadio", "EREF+X MREF+BN-1 CRED+DE98ZZZ09999999999 SVWZ+Rundfunk 01.2025 - 03.2025"),
		tx("-200", "Anna Schneider", "Umbuchung"),
		tx("-412.60", "HUK-COBURG", "Kfz-Versicherung"),
	}
	txs[2].CounterPart.IBAN = "DE02120300000000202051"
	txs[4].MRef = "kfz 4711"
	txs[4].CounterPart.IBAN = "DE89 3704 0044 0532 0130 00"
	for i := range txs {
		m.Categorize(&txs[i], holder) // tags get their room
	}
	allocs := testing.AllocsPerRun(100, func() {
		for i := range txs {
			m.Categorize(&txs[i], holder)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run of %d transactions", allocs, len(txs))
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"REWE Markt GmbH/Köln":    " rewe markt gmbh koeln ",
		"Gebühr für Überweisung":  " gebuehr fuer ueberweisung ",
		"STRASSE Straße":          " strasse strasse ",
		"  1&1 --- Telecom  ":     " 1 1 telecom ",
		"Café Crème, Ñandú, Łódź": " cafe creme nandu lodz ",
		"":                        " ",
		"\xff\xfeA":               " a ",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddPurpose(t *testing.T) {
	var n normalizer
	n.reset()
	ids := addPurpose(&n, "Vorab EREF+E2E-1 KREF+K MREF+M-77 CRED+DE98ZZZ09999999999 PURP+SALA SVWZ+Lohn 01 ABWA+Muster AG IBAN+DE02120300000000202051")
	if got := string(n.finish()); got != " vorab lohn 01 muster ag " {
		t.Errorf("human text %q", got)
	}
	if ids != (sepaIDs{mref: "M-77", cred: "DE98ZZZ09999999999", purp: "SALA"}) {
		t.Errorf("ids %+v", ids)
	}
	n.reset()
	if addPurpose(&n, "Miete+Nebenkosten Mai"); string(n.finish()) != " miete nebenkosten mai " {
		t.Errorf("a '+' that starts no tag: %q", n.buf)
	}
}

// TestAutomatonFindsWhatSearchingFinds compares the automaton with a plain
// substring search on random text over a small alphabet.
func TestAutomatonFindsWhatSearchingFinds(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab c"[r.IntN(4)]
		}
		return string(b)
	}
	for round := 0; round < 50; round++ {
		var patterns []string
		for i := 0; i < 1+r.IntN(20); i++ {
			patterns = append(patterns, word(1+r.IntN(4)))
		}
		a := newAutomaton(patterns)
		text := word(200)
		got := map[uint32]int{}
		for _, p := range a.scan([]byte(text), nil) {
			got[p]++
		}
		for i, p := range patterns {
			want := 0
			for j := 0; j+len(p) <= len(text); j++ {
				if text[j:j+len(p)] == p {
					want++
				}
			}
			if got[uint32(i)] != want {
				t.Fatalf("pattern %q in %q: found %d times, want %d", p, text, got[uint32(i)], want)
			}
		}
	}
}

func TestCountryOf(t *testing.T) {
	for _, tc := range []struct{ iban, bic, want string }{
		{"DE89370400440532013000", "", "DE"},
		{"at61 1904 3002 3457 3201", "", "AT"},
		{"", "ABNANL2AXXX", "NL"},
		{"", "ABNA", ""},
		{"1234", "", ""},
	} {
		if got := CountryOf(tc.iban, tc.bic); got != tc.want {
			t.Errorf("CountryOf(%q, %q) = %q, want %q", tc.iban, tc.bic, got, tc.want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	f.Add("REWE Markt GmbH", "EREF+X MREF+M CRED+DE98ZZZ09999999999 SVWZ+Einkauf", "-12.50", "DE02120300000000202051")
	f.Add("", "+SVWZ+", "0", "")
	f.Add("Ä\xff", "PURP+", "1e3", "xx")
	c, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	m, _ := c.Matcher(kontor.UserPerson)
	holder := NewHolder([]kontor.Account{{IBAN: "DE02120300000000202051", Owner: "Anna Schneider"}})
	tax := m.Taxonomy()
	f.Fuzz(func(t *testing.T, name, purpose, amount, iban string) {
		a, err := kontor.ParseAmount(amount)
		if err != nil {
			return
		}
		x := kontor.Transaction{Amount: a, Purpose: purpose, CounterPart: kontor.CounterPart{Name: name, IBAN: iban, CreditorID: iban}, MRef: purpose}
		got := m.Categorize(&x, holder)
		if got.Category != "" && !tax.Has(got.Category) {
			t.Fatalf("category %q is not in the taxonomy", got.Category)
		}
		if len(x.Tags) != 1 || x.Tags[0].Source != kontor.TagSourceKontor {
			t.Fatalf("tags %v", x.Tags)
		}
	})
}

func FuzzParseRules(f *testing.F) {
	f.Add([]byte("version: 1\nrules:\n  - {id: a, category: income.salary, for: person, keywords: [lohn]}\n"))
	f.Add([]byte("version: 1\nrules: [{id: b, disabled: true}]"))
	f.Add([]byte("{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := ParseRules("fuzz", data)
		if err != nil {
			if kontor.ErrorCode(err) != kontor.EINVALID {
				t.Fatalf("error %v has code %q", err, kontor.ErrorCode(err))
			}
			return
		}
		if _, err := Compile(rs); err != nil {
			t.Fatalf("valid rules do not compile: %v", err)
		}
	})
}

func TestConcurrentUse(t *testing.T) {
	c, _ := Default()
	m, _ := c.Matcher(kontor.UserPerson)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				x := withCode(tx("2000", "Arbeitgeber GmbH", "Gehalt"), kontor.CodeTransaction, "153")
				y := tx("-12", "REWE Markt", "")
				if m.Categorize(&x, nil).Category != "income.salary" || m.Categorize(&y, nil).Category != "groceries.food" {
					t.Error("wrong category under concurrent use")
					return
				}
			}
		}()
	}
	wg.Wait()
}
