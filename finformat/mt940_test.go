package finformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// TestMT940Golden parses the sample statements and compares statements and
// bookings with the golden files; it also checks that every sample
// balances and survives a generate→parse round trip in ISO-8859-1 and
// UTF-8.
func TestMT940Golden(t *testing.T) {
	for _, path := range files(t, "mt940/*.sta") {
		t.Run(path, func(t *testing.T) {
			data := readFile(t, path)
			stmts, err := ParseMT940(data)
			if err != nil {
				t.Fatal(err)
			}
			booked := !strings.Contains(path, "mt942")
			bookings := MT940Bookings(stmts, booked)
			var details []Details
			for _, s := range stmts {
				for _, e := range s.Entries {
					if e.Info != nil {
						details = append(details, e.Info.Details())
					}
				}
			}
			checkGolden(t, goldenPath(path), map[string]any{"statements": stmts, "details": details, "bookings": bookings})
			for i := range stmts {
				if err := stmts[i].CheckBalance(); err != nil {
					t.Error(err)
				}
			}
			for _, cs := range []Charset{Latin1, UTF8} {
				out, err := GenerateMT940(stmts, GenerateOptions{Charset: cs})
				if err != nil {
					t.Fatal(err)
				}
				back, err := ParseMT940(out)
				if err != nil {
					t.Fatalf("charset %d: %v\n%s", cs, err, out)
				}
				if !reflect.DeepEqual(back, stmts) {
					t.Errorf("charset %d: round trip differs:\n%s", cs, out)
				}
			}
		})
	}
}

func TestMT940Sparkasse(t *testing.T) {
	stmts, err := ParseMT940(readFile(t, "testdata/mt940/sparkasse.sta"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 2 {
		t.Fatalf("got %d statements, want 2", len(stmts))
	}
	s := stmts[0]
	wantString(t, "reference", s.Reference, "STARTUMSE")
	bank, acct := s.BankAndAccount()
	wantString(t, "bank", bank, "10050000")
	wantString(t, "account", acct, "0123456789")
	wantString(t, "number", s.Number, "00001/001")
	wantAmount(t, "opening", s.Opening.Signed(), "1204.17")
	wantAmount(t, "closing", s.Closing.Signed(), "2364.27")

	// Value date 31 Dec 2024, entry date 0102: booked 2 Jan 2025.
	e := s.Entries[0]
	if !e.ValueDate.Equal(d("2024-12-31")) || !e.EntryDate.Equal(d("2025-01-02")) {
		t.Errorf("dates across the year end: value %v entry %v", e.ValueDate, e.EntryDate)
	}
	wantString(t, "mark", e.Mark, "D")
	wantString(t, "funds code", e.FundsCode, "R")
	wantString(t, "type", e.TypeCode, "NDDT")

	bs := MT940Bookings(stmts, true)
	if len(bs) != 10 {
		t.Fatalf("got %d bookings, want 10", len(bs))
	}
	byGVC := map[string]Booking{}
	for _, b := range bs {
		byGVC[codeOf(b.Codes, kontor.CodeTransaction)] = b
	}

	salary := byGVC["153"]
	wantAmount(t, "salary", salary.Amount, "2850.00")
	wantString(t, "salary purpose", salary.Purpose, "Lohn/Gehalt Maerz 2025 Personalnr. 4711")
	wantString(t, "salary name", salary.CounterPart.Name, "Müller & Söhne Maschinenbau GmbH")
	wantString(t, "salary IBAN", salary.CounterPart.IBAN, "DE89370400440532013000")
	wantString(t, "salary BIC", salary.CounterPart.BIC, "COBADEFFXXX")
	wantString(t, "salary EREF", salary.EndToEndRef, "LOHN-2025-03-4711")
	if !reflect.DeepEqual(salary.Codes, []kontor.Code{{Type: "transactionCode", Value: "153"}, {Type: "primanota", Value: "9310"}}) {
		t.Errorf("salary codes = %v", salary.Codes)
	}

	dd := bs[3]
	wantAmount(t, "direct debit", dd.Amount, "-64.00")
	wantString(t, "MRef", dd.MRef, "KD-44556677-001")
	wantString(t, "creditor ID", dd.CounterPart.CreditorID, "DE98ZZZ09999999999")
	wantString(t, "direct debit purpose", dd.Purpose, "Abschlag Strom Maerz 2025 Vertragskonto 445566")
	wantString(t, "direct debit name", dd.CounterPart.Name, "Stadtwerke Musterstadt GmbH")

	card := byGVC["106"]
	wantString(t, "card purpose", card.Purpose, "2025-03-05T09.14 Debitk.1 2027-12")
	wantString(t, "card name", card.CounterPart.Name, "REWE Markt GmbH Zweigniederlassung Süd")

	wantString(t, "standing order purpose", byGVC["152"].Purpose, "Taschengeld")
	wantString(t, "transfer purpose", byGVC["116"].Purpose, "Miete Maerz 2025 Whg. 3.OG links")
	wantAmount(t, "transfer", byGVC["116"].Amount, "-450.00")
	wantString(t, "credit name (Latin-1)", byGVC["166"].CounterPart.Name, "Jörg Weiß")

	ret := byGVC["109"]
	wantAmount(t, "returned debit", ret.Amount, "64.00")
	info := stmts[1].Entries[6].Info.Details()
	wantString(t, "RREF", info.SEPA.ReturnRef, "RT2503140000112")
	wantString(t, "?34", info.TextKeyExt, "901")

	fee := byGVC["805"]
	wantAmount(t, "fee", fee.Amount, "-7.95")
	wantString(t, "fee purpose (untagged lines)", fee.Purpose, "Abrechnung 31.03.2025 siehe Anlage Kontoführung 7,95 EUR")
	if fee.CounterPart != (kontor.CounterPart{}) {
		t.Errorf("fee counterpart = %+v, want none", fee.CounterPart)
	}
}

func TestMT940Volksbank(t *testing.T) {
	stmts, err := ParseMT940(readFile(t, "testdata/mt940/volksbank.sta"))
	if err != nil {
		t.Fatal(err)
	}
	s := stmts[0]
	wantString(t, "related reference", s.RelatedReference, "NONREF")
	wantAmount(t, "opening", s.Opening.Signed(), "-312.40")
	if !reflect.DeepEqual(s.Info, []string{"Kontostand bestaetigt"}) {
		t.Errorf("statement info = %q", s.Info)
	}
	bs := MT940Bookings(stmts, true)
	sal := bs[0]
	wantString(t, "bank reference", sal.BankRef, "4711000123")
	wantString(t, "purpose code", codeOf(sal.Codes, kontor.CodePurpose), "SALA")
	d := s.Entries[0].Info.Details()
	wantString(t, "KREF", d.SEPA.CustomerRef, "BATCH-0402-7")
	wantString(t, "ABWA", d.SEPA.UltimateOriginator, "Beispiel Holding AG")
	wantString(t, "salary purpose", sal.Purpose, "Gehalt April 2025 Mitarbeiter 0042 einschliesslich Fahrtkostenzuschuss")

	// A purpose over all 14 lines, ?20–?29 and ?60–?62.
	rent := bs[1]
	if !strings.HasSuffix(rent.Purpose, "mit Garten, Garage 3, Keller 7") || !strings.HasPrefix(rent.Purpose, "Miete April Wohnung Hauptstrasse 12") {
		t.Errorf("long purpose = %q", rent.Purpose)
	}
	// RD: reversal of a debit brings money in.
	wantString(t, "mark", s.Entries[3].Mark, "RD")
	wantAmount(t, "reversal", bs[3].Amount, "49.99")
	wantAmount(t, "debit", bs[2].Amount, "-49.99")
}

func TestMT940DKB(t *testing.T) {
	stmts, err := ParseMT940(readFile(t, "testdata/mt940/dkb.sta"))
	if err != nil {
		t.Fatal(err)
	}
	bs := MT940Bookings(stmts, true)
	if len(bs) != 3 {
		t.Fatalf("got %d bookings, want 3 (the zero-amount continuation merged)", len(bs))
	}
	// "?3" CRLF "1DE...": subfields broken across lines.
	wantString(t, "IBAN across a line break", bs[0].CounterPart.IBAN, "DE02100500000054540402")
	wantString(t, "purpose with DATUM and TAN", bs[0].Purpose, "DATUM 06.05.2025, 14.21 UHR 1.TAN 123456 Buchbestellung 9912")
	// Unstructured :86:.
	wantString(t, "unstructured purpose", bs[1].Purpose, "Barauszahlung Geldautomat Filiale Hauptbahnhof Musterstadt am 07.05.2025 Karte 1")
	wantString(t, "unstructured GVC", codeOf(bs[1].Codes, kontor.CodeTransaction), "999")
	// Zero-amount continuation of an over-long purpose.
	wantString(t, "merged purpose", bs[2].Purpose,
		"Kfz-Versicherung Vertrag 55-667788-99 Beitrag Mai bis Juli 2025 vierteljaehrlich, Versicherungsschein liegt vor")
	wantAmount(t, "merged amount", bs[2].Amount, "-99.00")
}

func TestMT942(t *testing.T) {
	stmts, err := ParseMT940(readFile(t, "testdata/mt940/ing_mt942.sta"))
	if err != nil {
		t.Fatal(err)
	}
	s := stmts[0]
	if !s.IsMT942() {
		t.Error("IsMT942 = false")
	}
	if want := time.Date(2025, 6, 2, 9, 5, 0, 0, time.UTC); !s.Created.Equal(want) {
		t.Errorf("created = %v, want %v", s.Created, want)
	}
	if len(s.FloorLimits) != 2 || s.FloorLimits[0].Mark != "D" || s.FloorLimits[1].Mark != "C" {
		t.Errorf("floor limits = %+v", s.FloorLimits)
	}
	if s.Debits == nil || s.Debits.Count != 1 || s.Debits.Amount.String() != "42.10" || s.Credits.Amount.String() != "500.00" {
		t.Errorf("summaries = %+v %+v", s.Debits, s.Credits)
	}
	bs := MT940Bookings(stmts, false)
	for _, b := range bs {
		if b.Booked {
			t.Error("MT942 booking marked booked")
		}
		if b.Currency != "EUR" {
			t.Errorf("currency = %q, want EUR from :34F:", b.Currency)
		}
		if !b.BookingDate.Time.Equal(d("2025-06-03")) {
			t.Errorf("booking date without entry date = %v, want the value date", b.BookingDate)
		}
	}
	wantAmount(t, "card", bs[0].Amount, "-42.10")
}

func TestMT940LineEndingsAndTerminators(t *testing.T) {
	body := []string{":20:STARTUMSE", ":25:10020000/12345", ":28C:0", ":60F:C250101EUR0,", ":61:250102C5,NTRFNONREF", ":86:166?00GUTSCHRIFT?20SVWZ+Test", ":62F:C250102EUR5,", "-"}
	want, err := ParseMT940([]byte(strings.Join(body, "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"LF":            strings.Join(body, "\n"),
		"CR":            strings.Join(body, "\r"),
		"@@":            strings.Join(body, "@@"),
		"leading CRLF":  "\r\n\r\n" + strings.Join(body, "\r\n"),
		"no terminator": strings.Join(body[:len(body)-1], "\r\n"),
		"trailing":      strings.Join(body, "\r\n") + "\r\n\r\n",
		"swift header":  "{1:F01BANKDEFFAXXX0000000000}{2:I940BANKDEFFXXXXN}{4:\r\n" + strings.Join(body[:len(body)-1], "\r\n") + "\r\n-}",
		"UTF-8 BOM":     "\xEF\xBB\xBF" + strings.Join(body, "\n"),
	} {
		got, err := ParseMT940([]byte(data))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v", name, got)
		}
	}
}

func TestMT940MultipleStatements(t *testing.T) {
	// Two :20: blocks without a "-" between them, then a third after one.
	data := ":20:A\n:60F:C250101EUR1,\n:62F:C250101EUR1,\n:20:B\n:60F:C250102EUR1,\n:62F:C250102EUR1,\n-\n:20:C\n:60F:C250103EUR1,\n-\n"
	stmts, err := ParseMT940([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	var refs []string
	for _, s := range stmts {
		refs = append(refs, s.Reference)
	}
	if strings.Join(refs, ",") != "A,B,C" {
		t.Errorf("references = %v", refs)
	}
}

func TestMT940Encoding(t *testing.T) {
	latin := []byte(":20:X\n:61:250101C1,NTRFNONREF\n:86:166?32M\xfcller Stra\xdfe\n-")
	utf := []byte(":20:X\n:61:250101C1,NTRFNONREF\n:86:166?32Müller Straße\n-")
	for name, data := range map[string][]byte{"ISO-8859-1": latin, "UTF-8": utf} {
		stmts, err := ParseMT940(data)
		if err != nil {
			t.Fatal(err)
		}
		wantString(t, name, stmts[0].Entries[0].Info.Details().Name, "Müller Straße")
	}
	stmts, _ := ParseMT940(latin)
	out, err := GenerateMT940(stmts, GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "M\xfcller Stra\xdfe") {
		t.Errorf("ISO-8859-1 output = %q", out)
	}
	out, err = GenerateMT940(stmts, GenerateOptions{Charset: ASCII})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "Mueller Strasse") {
		t.Errorf("ASCII output = %q", out)
	}
}

func TestEntryDateYears(t *testing.T) {
	for _, c := range []struct {
		line  string
		value string
		entry string
	}{
		{"2412310102D1,NMSC", "2024-12-31", "2025-01-02"},
		{"2501021231D1,NMSC", "2025-01-02", "2024-12-31"},
		{"2503100310D1,NMSC", "2025-03-10", "2025-03-10"},
		{"2402290301D1,NMSC", "2024-02-29", "2024-03-01"},
		{"9912310103C1,NMSC", "1999-12-31", "2000-01-03"},
		{"7912310102C1,NMSC", "2079-12-31", "2080-01-02"},
		{"800101C1,NMSC", "1980-01-01", ""},
	} {
		e, err := parseEntryLine(c.line)
		if err != nil {
			t.Errorf("%s: %v", c.line, err)
			continue
		}
		if got := e.ValueDate.Format(time.DateOnly); got != c.value {
			t.Errorf("%s: value date %s, want %s", c.line, got, c.value)
		}
		got := ""
		if !e.EntryDate.IsZero() {
			got = e.EntryDate.Format(time.DateOnly)
		}
		if got != c.entry {
			t.Errorf("%s: entry date %s, want %s", c.line, got, c.entry)
		}
	}
}

func TestEntryLine(t *testing.T) {
	for _, c := range []struct {
		line string
		want Entry
	}{
		{"2503100310DR12,00NDDTNONREF//55555", Entry{Mark: "D", FundsCode: "R", Amount: amt("12.00"), TypeCode: "NDDT", CustomerRef: "NONREF", BankRef: "55555"}},
		{"2503100310RC12,NTRFKREF 1", Entry{Mark: "RC", Amount: amt("12"), TypeCode: "NTRF", CustomerRef: "KREF 1"}},
		{"2503100310RDR0,5NMSC//B", Entry{Mark: "RD", FundsCode: "R", Amount: amt("0.5"), TypeCode: "NMSC", BankRef: "B"}},
		{"250310C1234567,89N153", Entry{Mark: "C", Amount: amt("1234567.89"), TypeCode: "N153"}},
	} {
		got, err := parseEntryLine(c.line)
		if err != nil {
			t.Errorf("%s: %v", c.line, err)
			continue
		}
		got.ValueDate, got.EntryDate = time.Time{}, time.Time{}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.line, got, c.want)
		}
	}
	e, _ := parseEntryLine("2503100310RC12,NTRF")
	wantAmount(t, "RC signed", e.Signed(), "-12")
}

func TestMT940Errors(t *testing.T) {
	for _, c := range []struct {
		name, data string
		line       int
		field      string
		msg        string
	}{
		{"amount with dot", ":20:X\n:61:250101C12.00NTRF\n-", 2, ":61:", "transaction type"},
		{"bad mark", ":20:X\n:25:1/2\n:61:250101X12,00NTRF\n-", 3, ":61:", "credit/debit mark"},
		{"no type", ":20:X\n:61:250101C12,00\n-", 2, ":61:", "transaction type missing"},
		{"bad date", ":20:X\n:61:251301C12,00NTRF\n-", 2, ":61:", "does not exist"},
		{"bad entry date", ":20:X\n:61:2501011301C12,00NTRF\n-", 2, ":61:", "entry date"},
		{"bad balance", ":20:X\n:60F:C2501EUR1,\n-", 2, ":60F:", "balance"},
		{"bad currency", ":20:X\n:62F:C250101eur1,\n-", 2, ":62F:", "currency"},
		{"too many decimals", ":20:X\n:60F:C250101EUR1,00000000000000000001\n-", 2, ":60F:", "decimal places"},
		{"bad summary", ":20:X\n:90D:EUR1,\n-", 2, ":90D:", "summary"},
		{"bad creation time", ":20:X\n:13D:2501012599+0100\n-", 2, ":13D:", "time of day"},
		{"text outside a field", "hello\n:20:X\n-", 1, "", "outside a field"},
	} {
		_, err := ParseMT940([]byte(c.data))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not a *ParseError", c.name, err)
			continue
		}
		if pe.Line != c.line || pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %q (line %d, field %q), want line %d, field %q, containing %q", c.name, err, pe.Line, pe.Field, c.line, c.field, c.msg)
		}
	}
}

func TestSEPATags(t *testing.T) {
	for _, c := range []struct {
		name string
		info string
		want SEPA
	}{
		{"tags each in a subfield, values split", "105?20EREF+E2E-1?21MREF+M-1?22CRED+DE98ZZZ09999999999?23SVWZ+Rechnung 4711 vom 01.0?243.2025",
			SEPA{EndToEndRef: "E2E-1", MandateRef: "M-1", CreditorID: "DE98ZZZ09999999999", Remittance: "Rechnung 4711 vom 01.03.2025"}},
		{"free text before tags", "166?20Lohn Maerz?21SVWZ+Lohn",
			SEPA{Free: "Lohn Maerz", Remittance: "Lohn"}},
		{"tags after a space inside a line", "166?20EREF+X SVWZ+Miete Mai",
			SEPA{EndToEndRef: "X", Remittance: "Miete Mai"}},
		{"tag-like text inside a word", "166?20SVWZ+ABCEREF+X",
			SEPA{Remittance: "ABCEREF+X"}},
		{"all tags", "105?20EREF+1?21KREF+2?22MREF+3?23CRED+4?24DEBT+5?25COAM+6?26OAMT+7?27SVWZ+8?28ABWA+9?29ABWE+10?60IBAN+11?61BIC+12?62PURP+13?63BREF+14 RREF+15",
			SEPA{EndToEndRef: "1", CustomerRef: "2", MandateRef: "3", CreditorID: "4", DebtorID: "5", CompensationAmount: "6", OriginalAmount: "7", Remittance: "8", UltimateOriginator: "9", UltimateBeneficiary: "10", IBAN: "11", BIC: "12", PurposeCode: "13", BankRef: "14", ReturnRef: "15"}},
		{"no tags", "805?20Entgelt?21Kontofuehrung", SEPA{Free: "Entgelt Kontofuehrung"}},
	} {
		in := parseInfo([]string{c.info})
		got := in.Details().SEPA
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", c.name, got, c.want)
		}
	}
}

func TestNewInfoRoundTrip(t *testing.T) {
	long := strings.Repeat("Rechnung 12345 ", 30)
	for _, d := range []Details{
		{GVC: "153", BookingText: "LOHN GEHALT", Primanota: "9310", BankID: "COBADEFFXXX", AccountID: "DE89370400440532013000",
			Name: "Müller & Söhne Maschinenbau GmbH und Co. KG Niederlassung Nord", TextKeyExt: "000",
			SEPA: SEPA{EndToEndRef: "E", MandateRef: "M", CreditorID: "DE98ZZZ09999999999", Remittance: "Lohn Maerz 2025", PurposeCode: "SALA", UltimateOriginator: "Holding"}},
		{GVC: "116", SEPA: SEPA{Remittance: strings.TrimSpace(long)}},
		{GVC: "116", SEPA: SEPA{Remittance: "x" + strings.Repeat("a", 26) + "EREF+tricky", Free: "frei"}},
		{GVC: "805", SEPA: SEPA{Free: "Abrechnung"}},
	} {
		info := NewInfo(d)
		got := info.Details()
		got.Purpose = ""
		if !reflect.DeepEqual(got, d) {
			t.Errorf("NewInfo round trip:\n got %+v\nwant %+v\ninfo %+v", got, d, info)
		}
		for _, sf := range info.Subfields {
			if isPurposeCode(sf.Code) && sf.Code != "63" && len([]rune(sf.Value)) > purposeWidth+1 {
				t.Errorf("subfield ?%s has %d characters", sf.Code, len([]rune(sf.Value)))
			}
		}
	}
}

// TestMT940FromTransactions builds statements from domain transactions, as
// the sandbox bank does, and reads them back.
func TestMT940FromTransactions(t *testing.T) {
	txs := sampleTransactions()
	acct := AccountRef{BankCode: "10020000", Number: "1234567890", IBAN: "DE29100200000001234567", BIC: "FINODEB1XXX"}
	stmts, err := NewMT940Statements(acct, amt("1000.00"), txs)
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 3 {
		t.Fatalf("got %d statements, want one per booking day (3)", len(stmts))
	}
	for i := range stmts {
		if err := stmts[i].CheckBalance(); err != nil {
			t.Error(err)
		}
	}
	wantAmount(t, "final balance", stmts[2].Closing.Signed(), "3305.53")
	out, err := GenerateMT940(stmts, GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMT940(out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := MT940Bookings(back, true)
	var booked []kontor.Transaction
	for _, tx := range txs {
		if tx.Booked {
			booked = append(booked, tx)
		}
	}
	if len(got) != len(booked) {
		t.Fatalf("got %d bookings, want %d", len(got), len(booked))
	}
	for i, b := range got {
		want := booked[i]
		if b.BankRef != bankRef(want.ID) {
			t.Errorf("bank reference %q, want %q", b.BankRef, bankRef(want.ID))
		}
		want.ID = ""
		if want.ValueDate.IsZero() {
			want.ValueDate = want.BookingDate
		}
		if !reflect.DeepEqual(b.Transaction, want) {
			t.Errorf("transaction %d:\n got %+v\nwant %+v", i, b.Transaction, want)
		}
	}

	p, err := NewMT942Statement(acct, txs, time.Date(2025, 3, 12, 10, 30, 15, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out, err = GenerateMT940([]Statement{p}, GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	back, err = ParseMT940(out)
	if err != nil {
		t.Fatal(err)
	}
	pending := MT940Bookings(back, false)
	if len(pending) != 1 || pending[0].Purpose != "Online-Bestellung 4711" || pending[0].Booked {
		t.Errorf("pending = %+v", pending)
	}
	if back[0].Debits.Count != 1 || back[0].Debits.Amount.String() != "19.99" || back[0].Credits.Count != 0 {
		t.Errorf("MT942 sums = %+v %+v", back[0].Debits, back[0].Credits)
	}
}

func sampleTransactions() []kontor.Transaction {
	tx := func(id, booking, value, amount, gvc, purpose string) kontor.Transaction {
		t := kontor.Transaction{
			ID: id, BookingDate: tsd(booking), Currency: "EUR", Purpose: purpose, Booked: true, Amount: amt(amount),
			Tags: []kontor.Tag{}, Codes: []kontor.Code{{Type: kontor.CodeTransaction, Value: gvc}},
		}
		if value != "" {
			t.ValueDate = tsd(value)
		}
		return t
	}
	salary := tx("5ecd4d9bb9e14800012d99e1", "2025-03-03", "2025-03-03", "2850.00", "153", "Lohn/Gehalt Maerz 2025")
	salary.CounterPart = kontor.CounterPart{Name: "Müller & Söhne Maschinenbau GmbH", IBAN: "DE89370400440532013000", BIC: "COBADEFFXXX"}
	salary.Codes = append(salary.Codes, kontor.Code{Type: kontor.CodePurpose, Value: "SALA"})
	dd := tx("5ecd4d9bb9e14800012d99e2", "2025-03-03", "2025-03-04", "-64.00", "105", "Abschlag Strom Maerz 2025 Vertragskonto 445566")
	dd.MRef = "KD-44556677-001"
	dd.CounterPart = kontor.CounterPart{Name: "Stadtwerke Musterstadt GmbH", IBAN: "DE02120300000000202051", BIC: "WELADED1XXX", CreditorID: "DE98ZZZ09999999999"}
	dd.Codes = append(dd.Codes, kontor.Code{Type: kontor.CodePrimanota, Value: "9248"})
	card := tx("5ecd4d9bb9e14800012d99e3", "2025-03-05", "", "-23.47", "106", "2025-03-05T09.14 Debitk.1 2027-12")
	card.CounterPart = kontor.CounterPart{Name: "REWE Markt GmbH Zweigniederlassung Süd"}
	long := tx("5ecd4d9bb9e14800012d99e4", "2025-03-10", "2025-03-10", "-450.00", "116",
		"Miete Maerz 2025 Wohnung 3.OG links, Hauptstrasse 12, 12345 Musterstadt, Nebenkostenvorauszahlung enthalten, bitte Abrechnung 2024 bis Ende Mai zusenden")
	long.CounterPart = kontor.CounterPart{Name: "Hausverwaltung Beispiel KG", IBAN: "DE44500105175407324931"}
	fee := tx("5ecd4d9bb9e14800012d99e5", "2025-03-10", "2025-03-10", "-7.00", "805", "Kontofuehrung")
	pending := tx("5ecd4d9bb9e14800012d99e6", "2025-03-12", "2025-03-12", "-19.99", "106", "Online-Bestellung 4711")
	pending.Booked = false
	pending.CounterPart = kontor.CounterPart{Name: "Versandhandel Beispiel"}
	return []kontor.Transaction{salary, dd, card, long, fee, pending}
}

func TestGenerateMT940Errors(t *testing.T) {
	ok := Statement{Reference: "X", Entries: []Entry{{ValueDate: d("2025-01-01"), Mark: "C", Amount: amt("1"), TypeCode: "NTRF"}}}
	for name, mutate := range map[string]func(*Statement){
		"negative amount": func(s *Statement) { s.Entries[0].Amount = amt("-1") },
		"bad mark":        func(s *Statement) { s.Entries[0].Mark = "X" },
		"year 2100":       func(s *Statement) { s.Entries[0].ValueDate = d("2100-01-01") },
		"far entry date":  func(s *Statement) { s.Entries[0].EntryDate = d("2025-09-01") },
		"bad type":        func(s *Statement) { s.Entries[0].TypeCode = "NTRFX" },
		"ref with //":     func(s *Statement) { s.Entries[0].CustomerRef = "A//B" },
		"bad GVC":         func(s *Statement) { s.Entries[0].Info = &Info{GVC: "12"} },
		"marker in value": func(s *Statement) {
			s.Entries[0].Info = &Info{GVC: "166", Subfields: []Subfield{{Code: "20", Value: "a?21b"}}}
		},
		"bad balance": func(s *Statement) { s.Opening = &Balance{Mark: "C", Date: d("2025-01-01"), Currency: "eur"} },
		"line break":  func(s *Statement) { s.Reference = "a\nb" },
	} {
		s := ok
		s.Entries = []Entry{ok.Entries[0]}
		mutate(&s)
		if _, err := GenerateMT940([]Statement{s}, GenerateOptions{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := GenerateMT940([]Statement{ok}, GenerateOptions{}); err != nil {
		t.Errorf("valid statement: %v", err)
	}
}

func TestWrap(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("a", 64) + ":61:x",
		strings.Repeat("a", 65) + "-",
		strings.Repeat("a", 30) + "@@" + strings.Repeat("b", 40),
		strings.Repeat("@", 10),
		strings.Repeat("a", 65) + "{1:F01",
	} {
		lines := wrap(s, 65)
		if strings.Join(lines, "") != s {
			t.Errorf("wrap(%q) lost text: %q", s, lines)
		}
		for i, l := range lines {
			if strings.Contains(l, "@@") || (i > 0 && !isContinuationSafe(l)) || len([]rune(l)) > 65 {
				t.Errorf("wrap(%q): unsafe line %q", s, l)
			}
		}
	}
}
