package bankdir

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustDefault(tb testing.TB) *Directory {
	tb.Helper()
	d, err := Default()
	if err != nil {
		tb.Fatalf("embedded bank list: %v", err)
	}
	return d
}

func codes(banks []Bank) []string {
	out := make([]string, len(banks))
	for i, b := range banks {
		out[i] = b.BankCode
	}
	return out
}

func TestEmbeddedListParses(t *testing.T) {
	d := mustDefault(t)
	// The list has 3,645 rows for 1,832 distinct bank codes.
	if got, want := d.Len(), 1832; got != want {
		t.Errorf("Len() = %d, want %d", got, want)
	}
	all := d.All()
	if !slices.IsSortedFunc(all, func(a, b Bank) int { return strings.Compare(a.BankCode, b.BankCode) }) {
		t.Error("All() is not ordered by bank code")
	}
	for _, b := range all {
		if !isBankCode(b.BankCode) || b.Name == "" {
			t.Errorf("bad entry %+v", b)
		}
		if b.BIC != "" && !isBIC(b.BIC) {
			t.Errorf("%s: malformed BIC %q kept", b.BankCode, b.BIC)
		}
		if b.Name == noFinTSName {
			t.Errorf("%s: placeholder used as name", b.BankCode)
		}
	}
}

func TestLookup(t *testing.T) {
	d := mustDefault(t)

	b, ok := d.Lookup("37050198")
	if !ok {
		t.Fatal("Lookup(37050198) found nothing")
	}
	want := Bank{
		BankCode:     "37050198",
		BIC:          "COLSDE33XXX",
		Name:         "Sparkasse KölnBonn",
		Cities:       []string{"Köln"},
		FinTSURL:     "https://banking-rl7.s-fints-pt-rl.de/fints30",
		FinTSVersion: "FinTS V3.0",
		LastChanged:  time.Date(2022, 2, 9, 0, 0, 0, 0, time.UTC),
	}
	if !equalBank(b, want) {
		t.Errorf("Lookup(37050198) =\n %+v\nwant\n %+v", b, want)
	}
	if b.City() != "Köln" || !b.HasFinTS() {
		t.Errorf("City() = %q, HasFinTS() = %v", b.City(), b.HasFinTS())
	}
	if kb := b.Kontor(); kb.BankCode != "37050198" || kb.BIC != "COLSDE33XXX" || kb.Name != "Sparkasse KölnBonn" {
		t.Errorf("Kontor() = %+v", kb)
	}
	if b2, ok := d.Lookup("370 501 98"); !ok || b2.BankCode != "37050198" {
		t.Error("spaces in the bank code are not ignored")
	}

	for _, code := range []string{"", "1234567", "99999999", "3705019x"} {
		if _, ok := d.Lookup(code); ok {
			t.Errorf("Lookup(%q) found a bank", code)
		}
	}
}

func TestLookupMergesBranches(t *testing.T) {
	d := mustDefault(t)

	// 38 rows in 38 cities, the first named "Deutsche Bank Ld Brandenburg".
	b, _ := d.Lookup("12070000")
	if b.Name != "Deutsche Bank Ld Brandenburg" || b.City() != "Potsdam" || len(b.Cities) != 38 {
		t.Errorf("12070000: name %q, city %q, %d cities", b.Name, b.City(), len(b.Cities))
	}
	if !slices.Equal(b.OtherNames, []string{"Deutsche Bank"}) {
		t.Errorf("12070000: OtherNames = %q", b.OtherNames)
	}

	// A row without FinTS support and a placeholder name must not hide
	// the real one.
	b, _ = d.Lookup("23051030")
	if b.Name != "Sparkasse Südholstein" || b.FinTSURL == "" || len(b.OtherNames) != 0 {
		t.Errorf("23051030 = %+v", b)
	}

	// Placeholders in the BIC column become "".
	b, _ = d.Lookup("50761613")
	if b.BIC != "" {
		t.Errorf("50761613: BIC = %q, want empty for placeholder #NV", b.BIC)
	}
	b, _ = d.Lookup("60069235")
	if b.BIC != "" {
		t.Errorf("60069235: BIC = %q, want empty for placeholder 0", b.BIC)
	}

	// No FinTS address.
	b, _ = d.Lookup("10040000")
	if b.HasFinTS() || b.FinTSVersion != "" {
		t.Errorf("10040000 (Commerzbank) = %+v, want no FinTS", b)
	}
	// No date.
	b, _ = d.Lookup("10020200")
	if !b.LastChanged.IsZero() {
		t.Errorf("10020200: LastChanged = %v, want zero", b.LastChanged)
	}
}

func TestResultsAreCopies(t *testing.T) {
	d := mustDefault(t)
	b, _ := d.Lookup("12070000")
	b.Cities[0] = "changed"
	b.OtherNames[0] = "changed"
	again, _ := d.Lookup("12070000")
	if again.Cities[0] != "Potsdam" || again.OtherNames[0] != "Deutsche Bank" {
		t.Error("changing a returned bank changed the directory")
	}
	res := d.Search("Deutsche Bank Ld Brandenburg", 1)
	res[0].Cities[0] = "changed"
	if again, _ := d.Lookup("12070000"); again.Cities[0] != "Potsdam" {
		t.Error("changing a search result changed the directory")
	}
}

func TestByBIC(t *testing.T) {
	d := mustDefault(t)

	got := d.ByBIC("pbnkdeff") // 8 characters, lower case
	if len(got) < 10 {
		t.Fatalf("ByBIC(pbnkdeff) = %d banks, want the Postbank codes", len(got))
	}
	if !slices.IsSorted(codes(got)) {
		t.Errorf("ByBIC not ordered by bank code: %v", codes(got))
	}
	for _, b := range got {
		if b.BIC != "PBNKDEFFXXX" {
			t.Errorf("ByBIC(pbnkdeff) returned %s with BIC %s", b.BankCode, b.BIC)
		}
	}
	if !slices.Equal(codes(d.ByBIC("PBNKDEFFXXX")), codes(got)) {
		t.Error("8- and 11-character BIC differ")
	}

	// The list gives this BIC with 8 characters only.
	if got := codes(d.ByBIC("LAREDEFFXXX")); !slices.Equal(got, []string{"50020500"}) {
		t.Errorf("ByBIC(LAREDEFFXXX) = %v", got)
	}
	if got := codes(d.ByBIC(" colsde33xxx ")); !slices.Equal(got, []string{"37050198"}) {
		t.Errorf("ByBIC(colsde33xxx) = %v", got)
	}
	for _, bic := range []string{"", "#NV", "0", "COLSDE3", "NOPEDEFF999"} {
		if got := d.ByBIC(bic); len(got) != 0 {
			t.Errorf("ByBIC(%q) = %v, want none", bic, codes(got))
		}
	}
}

func TestRegister(t *testing.T) {
	d := mustDefault(t)
	n := d.Len()
	sandbox := Bank{BankCode: "10020000", BIC: "FINODEF1XXX", Name: "fino Bank", Cities: []string{"Berlin"}, FinTSURL: "http://127.0.0.1:8080/fints", FinTSVersion: "FinTS V3.0"}

	// A private directory, so that the default one stays as it is.
	priv, err := Parse(strings.NewReader(string(embeddedCSV)))
	if err != nil {
		t.Fatal(err)
	}
	if err := priv.Register(sandbox); err != nil {
		t.Fatalf("Register: %v", err)
	}
	if priv.Len() != n+1 {
		t.Errorf("Len after Register = %d, want %d", priv.Len(), n+1)
	}
	b, ok := priv.Lookup("10020000")
	if !ok || !equalBank(b, sandbox) {
		t.Errorf("Lookup after Register = %+v, %v", b, ok)
	}
	if got := priv.Search("fino", 5); len(got) == 0 || got[0].BankCode != "10020000" {
		t.Errorf("Search(fino) = %v", codes(got))
	}
	if got := priv.Search("10020000", 5); len(got) == 0 || got[0].BankCode != "10020000" {
		t.Errorf("Search(10020000) = %v", codes(got))
	}
	if got := codes(priv.ByBIC("FINODEF1")); !slices.Equal(got, []string{"10020000"}) {
		t.Errorf("ByBIC(FINODEF1) = %v", got)
	}
	if _, ok := d.Lookup("10020000"); ok {
		t.Error("registering in one directory changed the default one")
	}

	// Registering again replaces.
	sandbox.FinTSURL = "https://sandbox.example/fints"
	if err := priv.Register(sandbox); err != nil {
		t.Fatal(err)
	}
	if b, _ := priv.Lookup("10020000"); b.FinTSURL != sandbox.FinTSURL || priv.Len() != n+1 {
		t.Errorf("re-Register did not replace: %+v, Len %d", b, priv.Len())
	}
	// Registering can also override a listed bank.
	if err := priv.Register(Bank{BankCode: "37050198", Name: "Testkasse"}); err != nil {
		t.Fatal(err)
	}
	if b, _ := priv.Lookup("37050198"); b.Name != "Testkasse" || priv.Len() != n+1 {
		t.Errorf("override = %+v", b)
	}

	for _, bad := range []Bank{
		{BankCode: "1002000", Name: "short code"},
		{BankCode: "1002000a", Name: "letter in code"},
		{BankCode: "10020000"},
		{BankCode: "10020000", Name: "x", BIC: "FINO"},
		{BankCode: "10020000", Name: "x", FinTSURL: "ftp://host/fints"},
		{BankCode: "10020000", Name: "x", FinTSURL: "/fints"},
		{BankCode: "10020000", Name: "x", FinTSURL: "http://%zz"},
	} {
		if err := priv.Register(bad); err == nil {
			t.Errorf("Register(%+v) succeeded", bad)
		}
	}
}

func TestNew(t *testing.T) {
	d, err := New(
		Bank{BankCode: "10000001", Name: "Erste Testbank", BIC: "TESTDEFF"},
		Bank{BankCode: "10000002", Name: "Zweite Testbank", BIC: "TESTDEFFXXX"},
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := codes(d.ByBIC("testdeff")); !slices.Equal(got, []string{"10000001", "10000002"}) {
		t.Errorf("ByBIC = %v", got)
	}
	if _, err := New(Bank{BankCode: "1"}); err == nil {
		t.Error("New with a bad bank succeeded")
	}
}

func TestParseErrors(t *testing.T) {
	const header = "bank_code,bic,name,city,fints_url,fints_version,last_changed\n"
	for name, in := range map[string]string{
		"empty":          "",
		"missing column": "bank_code,bic,name,city,fints_url,fints_version\n",
		"bad code":       header + "1234,ABCDDEFFXXX,Bank,City,,,\n",
		"bad date":       header + "12345678,ABCDDEFFXXX,Bank,City,,,2022-02-09\n",
		"bad quoting":    header + "12345678,\"ABCD,Bank,City,,,\n",
	} {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: Parse succeeded", name)
		}
	}
	// Column order and extra columns do not matter; a BOM is skipped.
	d, err := Parse(strings.NewReader("\ufeffname,extra,bank_code,city,bic,last_changed,fints_url,fints_version\nTestbank,x,12345678,Ort,ABCDDEFF,01.02.2003,,\n"))
	if err != nil {
		t.Fatal(err)
	}
	if b, ok := d.Lookup("12345678"); !ok || b.Name != "Testbank" || b.BIC != "ABCDDEFF" || b.LastChanged.Year() != 2003 {
		t.Errorf("Lookup = %+v, %v", b, ok)
	}
}

func TestPackageFunctions(t *testing.T) {
	if _, ok := Lookup("37050198"); !ok {
		t.Error("Lookup")
	}
	if len(ByBIC("COLSDE33")) != 1 {
		t.Error("ByBIC")
	}
	if got := Search("Sparkasse KölnBonn", 1); len(got) != 1 || got[0].BankCode != "37050198" {
		t.Errorf("Search = %v", codes(got))
	}
	// 99999991 is not a bank code in the list.
	if err := Register(Bank{BankCode: "99999991", Name: "Kontor Testbank"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := Lookup("99999991"); !ok || Len() < 1833 {
		t.Error("Register on the default directory had no effect")
	}
}

func TestConcurrentUse(t *testing.T) {
	d, err := Parse(strings.NewReader(string(embeddedCSV)))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				if i%2 == 0 {
					code := fmt.Sprintf("999%02d%03d", i, j)
					if err := d.Register(Bank{BankCode: code, Name: "Parallelbank " + code}); err != nil {
						t.Error(err)
					}
				} else {
					if len(d.Search("sparkasse", 10)) != 10 {
						t.Error("search during register lost results")
					}
				}
			}
		})
	}
	wg.Wait()
	if got := len(d.Search("parallelbank", 0)); got != 10 {
		t.Errorf("found %d registered banks, want 10", got)
	}
}

func equalBank(a, b Bank) bool {
	return a.BankCode == b.BankCode && a.BIC == b.BIC && a.Name == b.Name &&
		slices.Equal(a.OtherNames, b.OtherNames) && slices.Equal(a.Cities, b.Cities) &&
		a.FinTSURL == b.FinTSURL && a.FinTSVersion == b.FinTSVersion && a.LastChanged.Equal(b.LastChanged)
}
