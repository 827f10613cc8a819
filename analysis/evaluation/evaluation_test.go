package evaluation

import (
	"strings"
	"testing"

	"github.com/kontor-dev/kontor/analysis"
)

// TestTargets fails when the built-in rules miss a target on the labelled
// set or on one of the sets held out while the rules were written.
func TestTargets(t *testing.T) {
	c, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"../../testdata/analysis", "../../testdata/analysis/holdout", "../../testdata/analysis/unseen"} {
		t.Run(dir, func(t *testing.T) {
			set, err := Load(dir)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Evaluate(c, set)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := res.Print(&b, true); err != nil {
				t.Fatal(err)
			}
			t.Log("\n" + b.String())
			for _, m := range res.Check(DefaultTargets) {
				t.Error(m)
			}
		})
	}
}

func TestSetIsLargeAndLabelledConsistently(t *testing.T) {
	set, err := Load("../../testdata/analysis")
	if err != nil {
		t.Fatal(err)
	}
	if n := set.Transactions(); n < 600 {
		t.Errorf("%d transactions, want at least 600", n)
	}
	types := map[string]int{}
	for _, u := range set.Users {
		types[string(u.Type)] += len(u.Labels)
		tax, err := analysis.TaxonomyFor(u.Type)
		if err != nil {
			t.Fatal(err)
		}
		contracts := map[string]int{}
		for _, l := range u.Labels {
			if !tax.Has(l.Category) {
				t.Errorf("%s: %q is not a %s category", l.Where, l.Category, u.Type)
			}
			if l.Salary != (l.Category == "income.salary") {
				t.Errorf("%s: salary flag %v for %s", l.Where, l.Salary, l.Category)
			}
			if l.Contract != "" {
				contracts[l.Contract]++
			}
		}
		for name, n := range contracts {
			if n < 2 {
				t.Errorf("user %s: contract %s has %d payment", u.ID, name, n)
			}
		}
	}
	if types["person"] < 300 || types["company"] < 200 {
		t.Errorf("transactions by user type %v", types)
	}
}

func TestEvaluateCountsMistakes(t *testing.T) {
	set, err := Load("../../testdata/analysis")
	if err != nil {
		t.Fatal(err)
	}
	// Rules that call every salary a pension and find nothing else.
	c, err := analysis.Compile(&analysis.RuleSet{Source: "test", Rules: []analysis.Rule{
		{ID: "p", Category: "income.pension", For: "person", Direction: "in", TransactionCodes: []string{"153"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := Evaluate(c, set)
	if err != nil {
		t.Fatal(err)
	}
	if res.SalaryTP != 0 || res.SalaryRecall() != 0 || res.SalaryPrecision() != 1 {
		t.Errorf("salary %d/%d/%d", res.SalaryTP, res.SalaryFP, res.SalaryFN)
	}
	if res.Accuracy() > 0.2 || len(res.Mistakes) != res.Transactions-res.Correct {
		t.Errorf("accuracy %.3f with %d mistakes", res.Accuracy(), len(res.Mistakes))
	}
	if len(res.Check(DefaultTargets)) < 2 {
		t.Errorf("targets met: %v", res.Check(DefaultTargets))
	}
	// The set itself is left alone.
	for _, u := range set.Users {
		for _, a := range u.Accounts {
			for _, tx := range a.Transactions {
				if len(tx.Tags) != 0 {
					t.Fatalf("%s was tagged", tx.ID)
				}
			}
		}
	}
}
