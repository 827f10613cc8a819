package finformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

// TestCamtGolden parses the sample documents and compares documents and
// bookings with the golden files; each document also survives a
// generate→parse round trip.
func TestCamtGolden(t *testing.T) {
	for _, path := range files(t, "camt/*.xml") {
		t.Run(path, func(t *testing.T) {
			doc, err := ParseCamt(readFile(t, path))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, goldenPath(path), map[string]any{"document": doc, "bookings": CamtBookings(doc)})
			out, err := GenerateCamt(doc)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseCamt(out)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if !reflect.DeepEqual(back, doc) {
				t.Errorf("round trip differs:\n%s", out)
			}
		})
	}
}

func TestCamt052v02(t *testing.T) {
	doc, err := ParseCamt(readFile(t, "testdata/camt/dkb_camt052_02.xml"))
	if err != nil {
		t.Fatal(err)
	}
	wantString(t, "kind", doc.Kind, "camt.052")
	wantString(t, "version", doc.Version, "camt.052.001.02")
	r := doc.Reports[0]
	wantString(t, "IBAN", r.IBAN, "DE02120300000001020304")
	wantString(t, "servicer", r.ServicerBIC, "BYLADEM1001")
	if want := time.Date(2025, 3, 10, 7, 15, 22, 0, time.UTC); !r.Created.Equal(want) {
		t.Errorf("created = %v, want %v", r.Created, want)
	}
	if len(r.Balances) != 2 || r.Balances[1].Type != "CLBD" {
		t.Fatalf("balances = %+v", r.Balances)
	}
	sum := r.Balances[0].Signed()
	bs := CamtBookings(doc)
	for _, b := range bs {
		sum, _ = sum.Add(b.Amount)
	}
	wantAmount(t, "opening plus entries", sum, r.Balances[1].Signed().String())

	sal := bs[0]
	wantAmount(t, "salary", sal.Amount, "2850.00")
	wantString(t, "salary counterpart", sal.CounterPart.Name, "Müller & Söhne Maschinenbau GmbH")
	wantString(t, "salary IBAN", sal.CounterPart.IBAN, "DE89370400440532013000")
	wantString(t, "salary BIC", sal.CounterPart.BIC, "COBADEFFXXX")
	wantString(t, "salary bank ref", sal.BankRef, "2025030712345678000001")
	wantString(t, "salary EndToEnd", sal.EndToEndRef, "LOHN-2025-03-4711")
	if !reflect.DeepEqual(sal.Codes, []kontor.Code{{Type: "transactionCode", Value: "153"}, {Type: "primanota", Value: "9310"}, {Type: "purposeCode", Value: "SALA"}}) {
		t.Errorf("salary codes = %v", sal.Codes)
	}
	if !sal.Booked {
		t.Error("BOOK entry not booked")
	}

	dd := bs[1]
	wantAmount(t, "direct debit", dd.Amount, "-64.00")
	wantString(t, "direct debit counterpart is the creditor", dd.CounterPart.Name, "Stadtwerke Musterstadt GmbH")
	wantString(t, "creditor ID", dd.CounterPart.CreditorID, "DE98ZZZ09999999999")
	wantString(t, "MRef", dd.MRef, "KD-44556677-001")
	wantString(t, "BIC", dd.CounterPart.BIC, "WELADED1XXX")

	card := bs[2]
	if !card.ValueDate.Time.Equal(d("2025-03-05")) || !card.BookingDate.Time.Equal(d("2025-03-07")) {
		t.Errorf("card dates = %v / %v", card.BookingDate, card.ValueDate)
	}

	// A returned direct debit: CRDT with RvslInd; the counterpart stays
	// the creditor of the original debit.
	ret := bs[3]
	wantAmount(t, "return", ret.Amount, "49.99")
	wantString(t, "return counterpart", ret.CounterPart.Name, "Streaming Beispiel Ltd.")
	wantString(t, "return reason", doc.Reports[0].Entries[3].Details[0].ReturnReason, "MD06")

	tr := bs[4]
	wantString(t, "NOTPROVIDED end-to-end", tr.EndToEndRef, "")
	wantString(t, "Ustrd over two lines", tr.Purpose,
		"Vertrag 55-667788-99 Beitrag Maerz bis Mai 2025 vierteljaehrlich, Versicherungsschein liegt vor. Bitte bei allen Rueckfragen die Vertragsnummer angeben")
	wantString(t, "ultimate creditor", doc.Reports[0].Entries[4].Details[0].UltimateCreditor, "Beispiel Kfz-Schadenservice")
}

func TestCamt052v08(t *testing.T) {
	doc, err := ParseCamt(readFile(t, "testdata/camt/volksbank_camt052_08.xml"))
	if err != nil {
		t.Fatal(err)
	}
	wantString(t, "version", doc.Version, "camt.052.001.08")
	r := doc.Reports[0]
	wantString(t, "BICFI", r.ServicerBIC, "GENODEF1S10")
	bs := CamtBookings(doc)
	wantString(t, "Pty/Nm", bs[0].CounterPart.Name, "Beispiel Logistik GmbH")
	wantString(t, "BICFI agent", bs[0].CounterPart.BIC, "DRESDEFF300")
	wantString(t, "Sts/Cd", r.Entries[0].Status, "BOOK")
	wantString(t, "ultimate debtor", r.Entries[0].Details[0].UltimateDebtor, "Beispiel Holding AG")
	wantAmount(t, "TxDtls/Amt", *r.Entries[0].Details[0].Amount, "3120.55")
	// BookgDt/DtTm becomes a day.
	if !bs[1].BookingDate.Time.Equal(d("2025-04-03")) {
		t.Errorf("booking date from DtTm = %v", bs[1].BookingDate)
	}
	if r.Entries[1].BookingDate.Hour() != 4 {
		t.Errorf("entry booking time = %v, want 04:12 UTC", r.Entries[1].BookingDate)
	}
	// A batch entry: one transaction; the GVC comes from the TxDtls.
	if len(r.Entries[2].Details) != 2 {
		t.Errorf("batch details = %d", len(r.Entries[2].Details))
	}
	wantString(t, "batch GVC", codeOf(bs[2].Codes, kontor.CodeTransaction), "166")
	wantString(t, "batch purpose", bs[2].Purpose, "Sammelbuchung Erstattung Teil 1")

	pending, err := ParseCamt(readFile(t, "testdata/camt/volksbank_camt052_08_pending.xml"))
	if err != nil {
		t.Fatal(err)
	}
	pb := CamtBookings(pending)
	if len(pb) != 1 || pb[0].Booked {
		t.Fatalf("pending bookings = %+v", pb)
	}
	if !pb[0].BookingDate.Time.Equal(d("2025-04-05")) {
		t.Errorf("pending booking date = %v, want the value date", pb[0].BookingDate)
	}
	wantString(t, "pending GVC", codeOf(pb[0].Codes, kontor.CodeTransaction), "106")
}

func TestCamt053Latin1(t *testing.T) {
	doc, err := ParseCamt(readFile(t, "testdata/camt/sparkasse_camt053_02.xml"))
	if err != nil {
		t.Fatal(err)
	}
	wantString(t, "kind", doc.Kind, "camt.053")
	wantString(t, "owner (ISO-8859-1)", doc.Reports[0].Owner, "Jörg Weiß")
	bs := CamtBookings(doc)
	wantString(t, "structured reference as purpose", bs[1].Purpose, "RF18539007547034")
	wantString(t, "Ustrd lines", bs[2].Purpose, "Abrechnung 31.03.2025 Kontoführung 7,95 EUR")
	wantString(t, "fee GVC", codeOf(bs[2].Codes, kontor.CodeTransaction), "805")
	if bs[2].CounterPart != (kontor.CounterPart{}) {
		t.Errorf("fee counterpart = %+v", bs[2].CounterPart)
	}
}

// TestCamtNamespaces parses the same content without a namespace, with a
// prefix and with another version.
func TestCamtNamespaces(t *testing.T) {
	want, err := ParseCamt(readFile(t, "testdata/camt/dkb_camt052_02.xml"))
	if err != nil {
		t.Fatal(err)
	}
	src := string(readFile(t, "testdata/camt/dkb_camt052_02.xml"))
	for name, doc := range map[string]string{
		"none":   strings.Replace(src, `xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"`, "", 1),
		"prefix": prefixed(src),
	} {
		got, err := ParseCamt([]byte(doc))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got.Version = want.Version
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: documents differ", name)
		}
	}
}

// prefixed rewrites a document to use the prefix "c" for its namespace.
func prefixed(src string) string {
	src = strings.Replace(src, `xmlns="`, `xmlns:c="`, 1)
	src = strings.ReplaceAll(src, "</", "</c:")
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		b.WriteByte(src[i])
		if src[i] == '<' && i+1 < len(src) && src[i+1] != '/' && src[i+1] != '?' {
			b.WriteString("c:")
		}
	}
	return b.String()
}

func TestCamtErrors(t *testing.T) {
	for _, c := range []struct {
		name, doc, field, msg string
	}{
		{"not XML", "hello", "", "no XML element"},
		{"broken XML", "<Document><BkToCstmrAcctRpt>", "", "malformed XML"},
		{"empty", "", "", "no XML element"},
		{"wrong root", "<Foo/>", "Foo", "root element"},
		{"no message", "<Document><Other/></Document>", "Document", "BkToCstmrAcctRpt"},
		{"bad amount", "<Document><BkToCstmrAcctRpt><Rpt><Ntry><Amt Ccy='EUR'>1,5</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry></Rpt></BkToCstmrAcctRpt></Document>", "Rpt[1]/Ntry[1]/Amt", "decimal point"},
		{"negative amount", "<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy='EUR'>-1</Amt><CdtDbtInd>CRDT</CdtDbtInd></Ntry></Stmt></BkToCstmrStmt></Document>", "Stmt[1]/Ntry[1]/Amt", "decimal point"},
		{"bad indicator", "<Document><BkToCstmrAcctRpt><Rpt><Ntry><Amt Ccy='EUR'>1</Amt><CdtDbtInd>CR</CdtDbtInd></Ntry></Rpt></BkToCstmrAcctRpt></Document>", "Rpt[1]/Ntry[1]/CdtDbtInd", "CRDT or DBIT"},
		{"bad date", "<Document><BkToCstmrAcctRpt><Rpt><Ntry><Amt Ccy='EUR'>1</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-13-01</Dt></BookgDt></Ntry></Rpt></BkToCstmrAcctRpt></Document>", "Rpt[1]/Ntry[1]/BookgDt", "YYYY-MM-DD"},
		{"bad balance", "<Document><BkToCstmrAcctRpt><Rpt><Bal><Amt>x</Amt></Bal></Rpt></BkToCstmrAcctRpt></Document>", "Rpt[1]/Bal[1]/Amt", "decimal point"},
		{"unknown encoding", "<?xml version='1.0' encoding='EBCDIC'?><Document/>", "", "unsupported encoding"},
	} {
		_, err := ParseCamt([]byte(c.doc))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not a *ParseError", c.name, err)
			continue
		}
		if pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %q (field %q), want field %q containing %q", c.name, err, pe.Field, c.field, c.msg)
		}
	}
}

// TestCamtFromTransactions builds camt reports from domain transactions in
// both layouts, as the sandbox bank does, and reads them back.
func TestCamtFromTransactions(t *testing.T) {
	txs := sampleTransactions()
	acct := AccountRef{IBAN: "DE29100200000001234567", BIC: "FINODEB1XXX", Owner: "Max Mustermann"}
	created := time.Date(2025, 3, 12, 10, 0, 0, 0, time.UTC)
	for _, version := range []string{"camt.052.001.02", "camt.052.001.08", "camt.053.001.02"} {
		docs, err := NewCamtReports(acct, version, amt("1000.00"), txs, created)
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) != 3 {
			t.Fatalf("%s: got %d documents, want one per day", version, len(docs))
		}
		var got []Booking
		for i := range docs {
			out, err := GenerateCamt(&docs[i])
			if err != nil {
				t.Fatal(err)
			}
			if version == "camt.052.001.08" && (!strings.Contains(string(out), "<BICFI>") || !strings.Contains(string(out), "<Pty>")) {
				t.Errorf("%s layout not used:\n%s", version, out)
			}
			back, err := ParseCamt(out)
			if err != nil {
				t.Fatalf("%s: %v\n%s", version, err, out)
			}
			wantString(t, "version", back.Version, version)
			r := back.Reports[0]
			sum := r.Balances[0].Signed()
			for _, e := range r.Entries {
				sum, _ = sum.Add(e.Signed())
			}
			wantAmount(t, "closing balance", r.Balances[1].Signed(), sum.String())
			got = append(got, CamtBookings(back)...)
		}
		i := 0
		for _, want := range txs {
			if !want.Booked {
				continue
			}
			b := got[i]
			i++
			wantString(t, "bank reference", b.BankRef, want.ID)
			want.ID = ""
			if want.ValueDate.IsZero() {
				want.ValueDate = want.BookingDate
			}
			if !reflect.DeepEqual(b.Transaction, want) {
				t.Errorf("%s: transaction %d:\n got %+v\nwant %+v", version, i, b.Transaction, want)
			}
		}
	}
	p, err := NewCamtPending(acct, "camt.052.001.08", txs, created)
	if err != nil {
		t.Fatal(err)
	}
	out, err := GenerateCamt(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseCamt(out)
	if err != nil {
		t.Fatal(err)
	}
	pb := CamtBookings(back)
	if len(pb) != 1 || pb[0].Booked || pb[0].Purpose != "Online-Bestellung 4711" {
		t.Errorf("pending = %+v", pb)
	}
}
