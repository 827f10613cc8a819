package bankdir

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string][2]string{
		"Sparkasse KölnBonn":     {"sparkasse koelnbonn", "sparkasse kolnbonn"},
		"Groß-Gerauer Volksbank": {"gross gerauer volksbank", "gross gerauer volksbank"},
		"  Bad  Tölz (Oberbay) ": {"bad toelz oberbay", "bad tolz oberbay"},
		"ÄÖÜ äöü ß":              {"aeoeue aeoeue ss", "aou aou ss"},
		"Crédit Agricole":        {"credit agricole", "credit agricole"},
		"--/--":                  {"", ""},
		"":                       {"", ""},
	} {
		if got := fold(in); got != want[0] {
			t.Errorf("fold(%q) = %q, want %q", in, got, want[0])
		}
		if got := foldPlain(in); got != want[1] {
			t.Errorf("foldPlain(%q) = %q, want %q", in, got, want[1])
		}
	}
}

func TestSearchRanking(t *testing.T) {
	d := mustDefault(t)
	for _, tc := range []struct {
		query string
		first []string // the results must start with these codes
		has   []string // and contain these somewhere
	}{
		// Exact bank code and exact BIC come first.
		{query: "37050198", first: []string{"37050198"}},
		{query: "370 501 98", first: []string{"37050198"}},
		{query: "COLSDE33XXX", first: []string{"37050198"}},
		{query: "colsde33", first: []string{"37050198"}},
		// A code prefix finds every code that starts with it.
		{query: "3705", has: []string{"37050198", "37050299"}},
		// BIC prefix.
		{query: "COKSDE", first: []string{"37050299"}},
		// Name prefix before other name matches: "Sparkasse KölnBonn"
		// starts with "spark", "Kreissparkasse Köln" only contains it.
		{query: "spark köln", first: []string{"37050198", "37050299"}},
		{query: "sparkasse kölnbonn", first: []string{"37050198"}},
		{query: "ING", first: []string{"50010517"}},
		{query: "dkb", first: []string{"12030000"}},
		// City.
		{query: "Potsdam deutsche", has: []string{"12070000"}},
		// Other names of a bank code are searched too.
		{query: "skg bank", first: []string{"12030000"}},
	} {
		got := codes(d.Search(tc.query, 0))
		if len(got) < len(tc.first) || !slices.Equal(got[:len(tc.first)], tc.first) {
			t.Errorf("Search(%q) starts %v, want %v", tc.query, head(got, 5), tc.first)
		}
		for _, c := range tc.has {
			if !slices.Contains(got, c) {
				t.Errorf("Search(%q) = %v, want %s among them", tc.query, head(got, 10), c)
			}
		}
	}
}

func TestSearchRankOrder(t *testing.T) {
	d := mustDefault(t)
	// Every result one of whose names starts with the query word comes
	// before every result that only contains it elsewhere.
	startsWith := func(b Bank, w string) bool {
		for _, n := range append([]string{b.Name}, b.OtherNames...) {
			if strings.HasPrefix(fold(n), w) {
				return true
			}
		}
		return false
	}
	res := d.Search("volksbank", 0)
	var prefix []string
	seenOther := false
	for _, b := range res {
		if !startsWith(b, "volksbank") {
			seenOther = true
			continue
		}
		if seenOther {
			t.Fatalf("%s %q ranked after a bank whose names do not start with the query", b.BankCode, b.Name)
		}
		prefix = append(prefix, fold(b.Name)+"\x00"+b.BankCode)
	}
	if len(prefix) == 0 || !seenOther {
		t.Fatalf("want both kinds of results, got %d prefix matches of %d", len(prefix), len(res))
	}
	// Within a rank, names are in order.
	if !slices.IsSorted(prefix) {
		t.Error("name-prefix results are not ordered by name")
	}
}

func TestSearchUmlauts(t *testing.T) {
	d := mustDefault(t)
	want := codes(d.Search("Köln", 0))
	if len(want) == 0 {
		t.Fatal("Search(Köln) found nothing")
	}
	for _, q := range []string{"köln", "KÖLN", "koeln", "Koln", "KOELN"} {
		if got := codes(d.Search(q, 0)); !slices.Equal(got, want) {
			t.Errorf("Search(%q) differs from Search(Köln): %d vs %d results", q, len(got), len(want))
		}
	}
	gg := codes(d.Search("Groß-Gerau", 0))
	for _, q := range []string{"gross gerau", "GROSS-GERAU", "groß gerau"} {
		if got := codes(d.Search(q, 0)); !slices.Equal(got, gg) {
			t.Errorf("Search(%q) = %v, want %v", q, head(got, 5), head(gg, 5))
		}
	}
	if len(gg) == 0 || gg[0] != "50892500" { // Groß-Gerauer Volksbank
		t.Errorf("Search(Groß-Gerau) = %v", head(gg, 5))
	}
	if got := codes(d.Search("Südholstein", 0)); !slices.Contains(got, "23051030") {
		t.Errorf("Search(Südholstein) = %v", got)
	}
	if got := codes(d.Search("sudholstein", 0)); !slices.Contains(got, "23051030") {
		t.Errorf("Search(sudholstein) = %v", got)
	}
}

func TestSearchLimit(t *testing.T) {
	d := mustDefault(t)
	for _, q := range []string{"sparkasse", "spark", "volksbank", "deutsche bank", "köln", "bank", "3", "berlin", "GENODE"} {
		all := d.Search(q, 0)
		if len(all) < 5 {
			t.Errorf("Search(%q) found only %d", q, len(all))
			continue
		}
		if neg := d.Search(q, -1); len(neg) != len(all) {
			t.Errorf("Search(%q, -1) = %d results, want all %d", q, len(neg), len(all))
		}
		for _, n := range []int{1, 3, 10, len(all), len(all) + 5} {
			got := d.Search(q, n)
			if want := all[:min(n, len(all))]; !slices.Equal(codes(got), codes(want)) {
				t.Errorf("Search(%q, %d) is not the first %d of the full result", q, n, n)
			}
		}
	}
}

func TestSearchEmpty(t *testing.T) {
	d := mustDefault(t)
	for _, q := range []string{"", "   ", "--", "?!"} {
		if got := d.Search(q, 10); got != nil {
			t.Errorf("Search(%q) = %v, want nil", q, codes(got))
		}
	}
	if got := d.Search("xyzzyqq", 10); len(got) != 0 {
		t.Errorf("Search(xyzzyqq) = %v", codes(got))
	}
	// Every word must match.
	if got := d.Search("sparkasse xyzzyqq", 10); len(got) != 0 {
		t.Errorf("Search(sparkasse xyzzyqq) = %v", codes(got))
	}
}

func TestSearchDeterministic(t *testing.T) {
	d := mustDefault(t)
	first := codes(d.Search("bank", 0))
	for range 5 {
		if got := codes(d.Search("bank", 0)); !slices.Equal(got, first) {
			t.Fatal("Search results differ between calls")
		}
	}
}

func head(s []string, n int) []string { return s[:min(n, len(s))] }

func BenchmarkSearch(b *testing.B) {
	d := mustDefault(b)
	for _, q := range []string{"spark köln", "volksbank", "37050198", "3705", "GENODEF1", "xyz"} {
		b.Run(q, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d.Search(q, 20)
			}
		})
	}
}

func BenchmarkLookup(b *testing.B) {
	d := mustDefault(b)
	b.ReportAllocs()
	for b.Loop() {
		d.Lookup("37050198")
	}
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(embeddedCSV)); err != nil {
			b.Fatal(err)
		}
	}
}
