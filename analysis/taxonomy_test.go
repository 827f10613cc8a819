package analysis

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor"
)

func TestTaxonomies(t *testing.T) {
	for _, ut := range []kontor.UserType{kontor.UserPerson, kontor.UserCompany} {
		tax, err := TaxonomyFor(ut)
		if err != nil {
			t.Fatal(err)
		}
		if !tax.Has(Uncategorized) {
			t.Errorf("%s taxonomy lacks %s", ut, Uncategorized)
		}
		for i, c := range tax.Categories {
			if c.index != i {
				t.Errorf("%s: index %d, want %d", c.Name, c.index, i)
			}
			if got, ok := tax.Category(c.Name); !ok || got != c {
				t.Errorf("Category(%q) does not return the category", c.Name)
			}
			if c.Kind == KindIncome && c.Group == "income" && !slices.Contains(IncomeKinds, c.IncomeKind) {
				t.Errorf("%s: income kind %q is not one of IncomeKinds", c.Name, c.IncomeKind)
			}
		}
	}
	if _, err := TaxonomyFor("robot"); err == nil {
		t.Error("TaxonomyFor(robot) succeeded")
	}
	person, _ := TaxonomyFor(kontor.UserPerson)
	for name, want := range map[string]string{
		"returned_debit.return": RiskReturnedDebit,
		"returned_debit.fee":    "",
		"gambling.casino":       RiskGambling,
		"collection.court":      RiskCollection,
		"garnishment.seizure":   RiskGarnishment,
	} {
		if c, _ := person.Category(name); c == nil || c.Risk != want {
			t.Errorf("%s: risk %v, want %q", name, c, want)
		}
	}
}

func TestParseTaxonomyErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown field", "person:\n  - group: a\n    colour: red\n", "colour"},
		{"bad group name", "person:\n  - group: A-b\n    kind: expense\n", "bad group name"},
		{"unknown kind", "person:\n  - group: other\n    kind: fun\n    categories:\n      - {name: uncategorized}\n", "unknown kind"},
		{"no uncategorized", "person:\n  - group: a\n    kind: expense\n    categories:\n      - {name: b}\n", "lacks other.uncategorized"},
		{"twice", "person:\n  - group: other\n    kind: expense\n    categories:\n      - {name: uncategorized}\n      - {name: uncategorized}\n", "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseTaxonomies([]byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestTaxonomyDocInStep keeps TAXONOMY.md and taxonomy.yaml in step: the
// categories in the tables of each section are those of the taxonomy.
func TestTaxonomyDocInStep(t *testing.T) {
	f, err := os.Open("TAXONOMY.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	documented := map[kontor.UserType][]string{}
	var section kontor.UserType
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "## Persons":
			section = kontor.UserPerson
		case line == "## Companies":
			section = kontor.UserCompany
		case strings.HasPrefix(line, "## "):
			section = ""
		case section != "" && strings.HasPrefix(line, "| `"):
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "| `"), "`")
			documented[section] = append(documented[section], name)
		}
	}
	for _, ut := range []kontor.UserType{kontor.UserPerson, kontor.UserCompany} {
		tax, _ := TaxonomyFor(ut)
		var names []string
		for _, c := range tax.Categories {
			names = append(names, c.Name)
		}
		if !slices.Equal(documented[ut], names) {
			t.Errorf("TAXONOMY.md lists for %s\n%v\nbut taxonomy.yaml has\n%v", ut, documented[ut], names)
		}
	}
}
