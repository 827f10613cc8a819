package finformat

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
)

func TestMT535Golden(t *testing.T) {
	for _, path := range files(t, "mt535/*.535") {
		t.Run(path, func(t *testing.T) {
			stmts, err := ParseMT535(readFile(t, path))
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, goldenPath(path), map[string]any{"statements": stmts, "securities": MT535Securities(stmts)})
			for _, cs := range []Charset{Latin1, UTF8} {
				out, err := GenerateMT535(stmts, GenerateOptions{Charset: cs})
				if err != nil {
					t.Fatal(err)
				}
				back, err := ParseMT535(out)
				if err != nil {
					t.Fatalf("%v\n%s", err, out)
				}
				if !reflect.DeepEqual(back, stmts) {
					t.Errorf("round trip differs:\n%s", out)
				}
			}
		})
	}
}

func TestMT535Depot(t *testing.T) {
	stmts, err := ParseMT535(readFile(t, "testdata/mt535/depot.535"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stmts) != 1 {
		t.Fatalf("got %d statements", len(stmts))
	}
	s := stmts[0]
	wantString(t, "depot", s.Depot, "10020000/1234567000")
	if want := time.Date(2025, 3, 10, 15, 30, 12, 0, time.UTC); !s.Prepared.Equal(want) {
		t.Errorf("prepared = %v", s.Prepared)
	}
	if s.Total == nil || s.Total.Amount.String() != "17022.27" {
		t.Errorf("total = %+v", s.Total)
	}
	secs := MT535Securities(stmts)
	if len(secs) != 4 {
		t.Fatalf("got %d securities", len(secs))
	}
	db := secs[0]
	want := kontor.Security{
		ISIN: "DE0005140008", Name: "DEUTSCHE BANK AG NAMENS-AKTIEN O.N.", Market: "XETR",
		Quantity: amt("150"), PriceAmount: amt("18.264"), PriceCurrency: "EUR",
		Amount: amt("2739.6"), Currency: "EUR", PurchasePriceAmount: amt("15.3"), PurchasePriceCurrency: "EUR",
	}
	if !reflect.DeepEqual(db, want) {
		t.Errorf("share:\n got %+v\nwant %+v", db, want)
	}
	wantString(t, "WKN", s.Holdings[0].WKN(), "514000")

	bond := secs[1]
	wantString(t, "bond name over two full lines", bond.Name, "BUNDESREP.DEUTSCHLAND ANL.V.2022 (2032)")
	wantString(t, "percentage price", bond.PriceCurrency, "%")
	wantAmount(t, "bond price", bond.PriceAmount, "88.617")
	wantAmount(t, "face amount", bond.Quantity, "5000")
	wantAmount(t, "bond purchase price", bond.PurchasePriceAmount, "94.12")
	wantString(t, "quantity type", s.Holdings[1].QuantityType, "FAMT")
	if s.Holdings[1].AccruedInterest == nil {
		t.Error("accrued interest missing")
	}

	apple := secs[2]
	wantString(t, "price currency", apple.PriceCurrency, "USD")
	wantAmount(t, "exchange rate", apple.ExchangeRate, "1.0829")
	wantString(t, "market value currency", apple.Currency, "EUR")
	wantString(t, "purchase currency", apple.PurchasePriceCurrency, "USD")

	etf := secs[3]
	wantAmount(t, "fractional quantity", etf.Quantity, "14.5326")
	wantString(t, "ETF name", etf.Name, "ISHSIII-CORE MSCI WORLD U.ETF REGISTERED SHS USD (ACC) O.N.")
	// Sub-balance fields (:93C:, :70C:) do not leak into the holding.
	if s.Holdings[0].QuantityType != "UNIT" {
		t.Errorf("quantity type = %q", s.Holdings[0].QuantityType)
	}
}

func TestMT535MarketValueComputed(t *testing.T) {
	data := ":16R:GENL\n:16S:GENL\n:16R:FIN\n:35B:ISIN DE0001102580\n:90A::MRKT//PRCT/88,5\n:93B::AGGR//FAMT/5000,\n:16S:FIN\n:16R:FIN\n:35B:ISIN DE0005140008\n:90B::MRKT//ACTU/EUR2,5\n:93B::AGGR//UNIT/N3,\n:16S:FIN\n-"
	stmts, err := ParseMT535([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	secs := MT535Securities(stmts)
	wantAmount(t, "bond value", secs[0].Amount, "4425.00")
	wantAmount(t, "negative quantity", secs[1].Quantity, "-3")
	wantAmount(t, "share value", secs[1].Amount, "-7.50")
	wantString(t, "share currency", secs[1].Currency, "EUR")
}

func TestMT535Errors(t *testing.T) {
	for _, c := range []struct {
		name, data string
		line       int
		field, msg string
	}{
		{"bad price", ":16R:FIN\n:90B::MRKT//ACTU/EU12,\n:16S:FIN\n-", 2, ":90B:", "currency"},
		{"bad quantity", ":16R:FIN\n:93B::AGGR//UNIT\n:16S:FIN\n-", 2, ":93B:", "quantity"},
		{"bad value", ":16R:FIN\n:19A::HOLD//EUR1.5\n:16S:FIN\n-", 2, ":19A:", "decimal comma"},
		{"bad date", ":16R:GENL\n:98A::STAT//20251301\n:16S:GENL\n-", 2, ":98A:", "does not exist"},
		{"bad date time", ":16R:GENL\n:98C::PREP//2025010199\n:16S:GENL\n-", 2, ":98C:", "YYYYMMDDhhmmss"},
		{"bad rate", ":16R:FIN\n:92B::EXCH//EUR/1,08\n:16S:FIN\n-", 2, ":92B:", "FROM/TO/rate"},
		{"unbalanced", ":16R:FIN\n:16S:GENL\n-", 2, ":16S:", "not started"},
		{"not ended", ":16R:FIN\n:35B:ISIN X\n-", 2, "", "not ended"},
	} {
		_, err := ParseMT535([]byte(c.data))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %v is not a *ParseError", c.name, err)
			continue
		}
		if pe.Line != c.line || pe.Field != c.field || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%s: got %q (line %d, field %q)", c.name, err, pe.Line, pe.Field)
		}
	}
}

// TestMT535FromSecurities builds an MT535 from domain securities, as the
// sandbox bank does, and reads it back.
func TestMT535FromSecurities(t *testing.T) {
	secs := []kontor.Security{
		{ISIN: "US0378331005", Name: "finoOS Security", Market: "NASDAQ", Quantity: amt("40"), Amount: amt("200"), Currency: "EUR",
			PriceAmount: amt("100"), PriceCurrency: "EUR", PurchasePriceAmount: amt("150"), PurchasePriceCurrency: "EUR", ExchangeRate: amt("1.23")},
		{ISIN: "DE0001102580", Name: "BUNDESREPUBLIK DEUTSCHLAND ANLEIHE VON 2022 BIS 2032", Market: "XFRA", Quantity: amt("5000"),
			Amount: amt("4430.85"), Currency: "EUR", PriceAmount: amt("88.617"), PriceCurrency: "%"},
	}
	s, err := NewMT535("10020000/1234567000", secs, time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	out, err := GenerateMT535([]MT535Statement{s}, GenerateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{":90A::MRKT//PRCT/88,617", ":93B::AGGR//FAMT/5000,", ":90B::MRKT//ACTU/EUR100,", ":19A::HOLP//EUR4630,85", ":92B::EXCH//EUR/EUR/1,23"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	back, err := ParseMT535(out)
	if err != nil {
		t.Fatal(err)
	}
	got := MT535Securities(back)
	if !reflect.DeepEqual(got, secs) {
		t.Errorf("round trip:\n got %+v\nwant %+v\n%s", got, secs, out)
	}
}
