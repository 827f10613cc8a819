package finformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
)

// FuzzParseMT940 checks that the MT940 parser never panics, that its
// errors are ParseErrors, and that whatever it reads, GenerateMT940 writes
// back so that it reads the same (in UTF-8 always, in ISO-8859-1 when the
// text allows). Each booking is also rebuilt from its domain transaction
// with NewEntry and read back.
func FuzzParseMT940(f *testing.F) {
	f.Add([]byte(":20:STARTUMSE\r\n:25:10020000/1234567890\r\n:28C:0\r\n:60F:C250301EUR100,\r\n:61:2503010301DR12,5NDDTNONREF//X1\r\n/OCMT/EUR12,5/\r\n:86:105?00LASTSCHRIFT?20EREF+A?21MREF+M1?22CRED+DE98ZZZ09999999999?23SVWZ+Abo?32Firma\r\n:62F:C250301EUR87,5\r\n-\r\n"))
	f.Add([]byte(":20:X@@:13D:2501011200+0100@@:34F:EUR0,@@:61:250101C1,NTRF@@:86:Freitext@@:90C:1EUR1,@@-"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stmts, err := ParseMT940(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		bookings := MT940Bookings(stmts, true)
		for i := range stmts {
			_ = stmts[i].CheckBalance()
		}
		out, err := GenerateMT940(stmts, GenerateOptions{Charset: UTF8})
		if err != nil {
			t.Fatalf("generating what was parsed: %v", err)
		}
		back, err := ParseMT940(out)
		if err != nil {
			t.Fatalf("parsing what was generated: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(stmts, back) {
			t.Fatalf("round trip differs\nfirst:  %#v\nsecond: %#v\ngenerated:\n%q", stmts, back, out)
		}
		latin, err := GenerateMT940(stmts, GenerateOptions{Charset: Latin1})
		if err != nil {
			t.Fatalf("generating ISO-8859-1: %v", err)
		}
		if latin1Only(stmts) && !utf8.Valid(latin) {
			back, err := ParseMT940(latin)
			if err != nil || !reflect.DeepEqual(stmts, back) {
				t.Fatalf("ISO-8859-1 round trip differs (%v)\n%q", err, latin)
			}
		}
		for i, b := range bookings {
			if i == 8 {
				break
			}
			checkEntryRoundTrip(t, b)
		}
	})
}

// latin1Only reports whether the statements' generated text fits
// ISO-8859-1.
func latin1Only(stmts []Statement) bool {
	out, err := GenerateMT940(stmts, GenerateOptions{Charset: UTF8})
	if err != nil {
		return false
	}
	for _, r := range string(out) {
		if r > 0xFF {
			return false
		}
	}
	return true
}

// checkEntryRoundTrip rebuilds a booking's transaction as an MT940 entry
// and checks that it reads back the same, where the transaction carries
// nothing the builder cleans.
func checkEntryRoundTrip(t *testing.T, b Booking) {
	t.Helper()
	tx := b.Transaction
	for _, s := range []string{tx.Purpose, tx.MRef, tx.CounterPart.Name, tx.CounterPart.IBAN, tx.CounterPart.BIC, tx.CounterPart.CreditorID, codeOf(tx.Codes, kontor.CodePrimanota), codeOf(tx.Codes, kontor.CodePurpose)} {
		if clean(s) != s {
			return
		}
	}
	if !isCurrency(tx.Currency) || codeOf(tx.Codes, kontor.CodeTransaction) == "" {
		return
	}
	s := Statement{Reference: "X", Entries: []Entry{NewEntry(tx)}, Opening: &Balance{Mark: "C", Date: tx.ValueDate.Time, Currency: tx.Currency}}
	out, err := GenerateMT940([]Statement{s}, GenerateOptions{Charset: UTF8})
	if err != nil {
		t.Fatalf("generating entry for %+v: %v", tx, err)
	}
	stmts, err := ParseMT940(out)
	if err != nil {
		t.Fatalf("parsing generated entry: %v\n%q", err, out)
	}
	got := MT940Bookings(stmts, tx.Booked)
	if len(got) != 1 {
		t.Fatalf("got %d bookings from %q", len(got), out)
	}
	g := got[0].Transaction
	g.Amount, tx.Amount = kontor.Amount{}, kontor.Amount{}
	if !got[0].Amount.Equal(b.Amount) {
		t.Fatalf("amount %s became %s", b.Amount, got[0].Amount)
	}
	if !reflect.DeepEqual(g, tx) {
		t.Fatalf("entry round trip differs\nwant %+v\ngot  %+v\n%q", tx, g, out)
	}
}

// FuzzParseCamt checks that the camt parser never panics, that its errors
// are ParseErrors, and that GenerateCamt writes whatever it reads so that
// it reads the same.
func FuzzParseCamt(f *testing.F) {
	f.Add([]byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt><GrpHdr><MsgId>1</MsgId></GrpHdr><Rpt><Id>1</Id><Acct><Id><IBAN>DE02120300000001020304</IBAN></Id></Acct><Ntry><Amt Ccy="EUR">1.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-03-07</Dt></BookgDt><BkTxCd><Prtry><Cd>NDDT+105+9248</Cd></Prtry></BkTxCd><NtryDtls><TxDtls><Refs><MndtId>M</MndtId></Refs><RltdPties><Cdtr><Pty><Nm>X</Nm><Id><PrvtId><Othr><Id>DE98ZZZ09999999999</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id></Pty></Cdtr></RltdPties><RmtInf><Ustrd>Abo</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Rpt></BkToCstmrAcctRpt></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ParseCamt(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		_ = CamtBookings(doc)
		out, err := GenerateCamt(doc)
		if err != nil {
			t.Fatalf("generating what was parsed: %v", err)
		}
		back, err := ParseCamt(out)
		if err != nil {
			t.Fatalf("parsing what was generated: %v\n%s", err, out)
		}
		want := *doc
		if want.Version == "" {
			want.Version = want.Kind + ".001.02"
		}
		if !reflect.DeepEqual(&want, back) {
			t.Fatalf("round trip differs\nfirst:  %+v\nsecond: %+v\n%s", &want, back, out)
		}
	})
}

// FuzzParseMT535 checks that the MT535 parser never panics, that its
// errors are ParseErrors, that GenerateMT535 writes whatever it reads so
// that it reads the same, and that securities rebuilt with NewMT535 read
// back the same.
func FuzzParseMT535(f *testing.F) {
	f.Add([]byte(":16R:GENL\r\n:97A::SAFE//10020000/1\r\n:16S:GENL\r\n:16R:FIN\r\n:35B:ISIN DE0005140008\r\n/DE/514000\r\nDEUTSCHE BANK AG\r\n:90B::MRKT//ACTU/EUR18,2\r\n:93B::AGGR//UNIT/10,\r\n:19A::HOLD//EUR182,\r\n:70E::HOLD//1STK\r\n215,3+EUR\r\n:16S:FIN\r\n-\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		stmts, err := ParseMT535(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		secs := MT535Securities(stmts)
		out, err := GenerateMT535(stmts, GenerateOptions{Charset: UTF8})
		if err != nil {
			t.Fatalf("generating what was parsed: %v", err)
		}
		back, err := ParseMT535(out)
		if err != nil {
			t.Fatalf("parsing what was generated: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(stmts, back) {
			t.Fatalf("round trip differs\nfirst:  %#v\nsecond: %#v\n%q", stmts, back, out)
		}
		checkSecuritiesRoundTrip(t, secs)
	})
}

// checkSecuritiesRoundTrip rebuilds securities as an MT535 and checks that
// they read back the same, where they carry nothing the builder cleans or
// cannot express.
func checkSecuritiesRoundTrip(t *testing.T, secs []kontor.Security) {
	t.Helper()
	var want []kontor.Security
	for _, s := range secs {
		if clean(s.ISIN) != s.ISIN || strings.ContainsAny(s.ISIN, " ") || clean(s.Name) != s.Name || strings.Join(strings.Fields(s.Name), " ") != s.Name || strings.Contains(s.Name, "@@") ||
			clean(s.Market) != s.Market || strings.Contains(s.Market, "/") || clean(s.PurchasePriceCurrency) != s.PurchasePriceCurrency ||
			strings.ContainsAny(s.PurchasePriceCurrency, "+") || !isCurrency(s.Currency) || (s.PriceCurrency != "%" && !isCurrency(s.PriceCurrency)) ||
			s.PurchasePriceAmount.Sign() < 0 || (!s.ExchangeRate.IsZero() && s.ExchangeRate.Sign() < 0) || (s.PurchasePriceAmount.IsZero() && s.PurchasePriceCurrency != "") {
			continue
		}
		if s.ExchangeRate.Sign() > 0 && s.PriceCurrency == "%" {
			continue
		}
		want = append(want, s)
	}
	st, err := NewMT535("10020000/1", want, time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	if err != nil {
		return // sums that do not fit
	}
	out, err := GenerateMT535([]MT535Statement{st}, GenerateOptions{Charset: UTF8})
	if err != nil {
		t.Fatalf("generating securities %+v: %v", want, err)
	}
	back, err := ParseMT535(out)
	if err != nil {
		t.Fatalf("parsing generated securities: %v\n%s", err, out)
	}
	got := MT535Securities(back)
	if len(got) != len(want) {
		t.Fatalf("got %d securities, want %d", len(got), len(want))
	}
	for i := range got {
		if !sameSecurity(got[i], want[i]) {
			t.Fatalf("security round trip differs\n got %+v\nwant %+v\n%s", got[i], want[i], out)
		}
	}
}

// FuzzParsePain001 checks that the pain.001 parser never panics, that its
// errors are ParseErrors, that GeneratePain001 writes whatever it reads so
// that it reads the same, and that a standing order read from HICDB data
// survives HICDBFromStandingOrder and StandingOrderFromHICDB.
func FuzzParsePain001(f *testing.F) {
	f.Add([]byte(`<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr><MsgId>1</MsgId><NbOfTxs>1</NbOfTxs><CtrlSum>1.5</CtrlSum></GrpHdr><PmtInf><PmtInfId>1</PmtInfId><PmtMtd>TRF</PmtMtd><ReqdExctnDt>1999-01-01</ReqdExctnDt><CdtTrfTxInf><PmtId><EndToEndId>NOTPROVIDED</EndToEndId></PmtId><Amt><InstdAmt Ccy="EUR">1.5</InstdAmt></Amt><Cdtr><Nm>X</Nm></Cdtr><RmtInf><Ustrd>Taschengeld</Ustrd></RmtInf></CdtTrfTxInf></PmtInf></CstmrCdtTrfInitn></Document>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePain001(data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			return
		}
		out, err := GeneratePain001(p)
		if err != nil {
			t.Fatalf("generating what was parsed: %v", err)
		}
		back, err := ParsePain001(out)
		if err != nil {
			t.Fatalf("parsing what was generated: %v\n%s", err, out)
		}
		want := *p
		if want.Version == "" {
			want.Version = "pain.001.001.03"
		}
		if !reflect.DeepEqual(&want, back) {
			t.Fatalf("round trip differs\nfirst:  %+v\nsecond: %+v\n%s", &want, back, out)
		}
		sched := StandingOrderSchedule{FirstExecution: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), Unit: "M", Turnus: 3, ExecutionDay: 2}
		so, pain, err := StandingOrderFromHICDB("42", sched, data)
		if err != nil || pain == nil || so.Currency == "" {
			return
		}
		tr := pain.Payments[0].Transfers[0]
		for i := range pain.Payments {
			if len(pain.Payments[i].Transfers) > 0 {
				tr = pain.Payments[i].Transfers[0]
				break
			}
		}
		sched2, xmlOut, err := HICDBFromStandingOrder(so, Party{Name: "Debtor", IBAN: "DE02120300000001020304"},
			Party{Name: tr.CreditorName, IBAN: tr.CreditorIBAN, BIC: tr.CreditorBIC}, "pain.001.001.09", time.Now())
		if err != nil {
			t.Fatalf("HICDB from %+v: %v", so, err)
		}
		so2, _, err := StandingOrderFromHICDB("42", sched2, xmlOut)
		if err != nil {
			t.Fatalf("standing order from generated HICDB: %v\n%s", err, xmlOut)
		}
		if !reflect.DeepEqual(so, so2) {
			t.Fatalf("standing order round trip differs\n got %+v\nwant %+v\n%s", so2, so, xmlOut)
		}
	})
}

// sameSecurity compares securities with amounts compared numerically: a
// zero purchase price or exchange rate is not written, so 0.00 reads back
// as 0.
func sameSecurity(a, b kontor.Security) bool {
	for _, p := range [][2]kontor.Amount{{a.Amount, b.Amount}, {a.PriceAmount, b.PriceAmount}, {a.PurchasePriceAmount, b.PurchasePriceAmount},
		{a.ExchangeRate, b.ExchangeRate}, {a.Quantity, b.Quantity}} {
		if !p[0].Equal(p[1]) {
			return false
		}
	}
	a.Amount, a.PriceAmount, a.PurchasePriceAmount, a.ExchangeRate, a.Quantity = b.Amount, b.PriceAmount, b.PurchasePriceAmount, b.ExchangeRate, b.Quantity
	return a == b
}
