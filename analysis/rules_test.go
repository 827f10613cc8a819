package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/kontor-dev/kontor"
)

func TestDefaultRules(t *testing.T) {
	rs, err := DefaultRules()
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.Rules) < 100 {
		t.Errorf("only %d built-in rules", len(rs.Rules))
	}
	for _, r := range rs.Rules {
		if r.Line == 0 {
			t.Errorf("rule %s has no line", r.ID)
		}
	}
	if _, err := Default(); err != nil {
		t.Fatal(err)
	}
}

func TestParseRulesErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want []string // substrings of the error
	}{
		{"empty", "", []string{"the file is empty"}},
		{"not yaml", "version: [1", []string{"rules test:"}},
		{"version", "version: 2\nrules: []\n", []string{"version: version must be 1, not 2"}},
		{"unknown field", "version: 1\nrules:\n  - id: a\n    category: income.salary\n    colour: red\n",
			[]string{"field colour not found in a rule"}},
		{"no id", "version: 1\nrules:\n  - category: income.salary\n", []string{"line 3: id: rule 1 has no id"}},
		{"duplicate id", "version: 1\nrules:\n  - {id: a, category: income.salary}\n  - {id: a, category: income.salary}\n",
			[]string{"line 4: rule a: id: id used twice (first by rule 1)"}},
		{"unknown category", "version: 1\nrules:\n  - {id: a, category: income.salry}\n",
			[]string{`rule a: category: "income.salry" is not a person category`, "is not a company category"}},
		{"person-only category for both", "version: 1\nrules:\n  - {id: a, category: housing.rent}\n",
			[]string{`"housing.rent" is not a company category`}},
		{"bad category form", "version: 1\nrules:\n  - {id: a, category: salary}\n",
			[]string{`"salary" is not of the form group.category`}},
		{"bad for and direction", "version: 1\nrules:\n  - {id: a, category: income.salary, for: robot, direction: up}\n",
			[]string{`for: must be person, company or empty, not "robot"`, `direction: must be in, out or empty, not "up"`}},
		{"bad codes", "version: 1\nrules:\n  - {id: a, category: income.salary, for: person, transactionCodes: [\"15\"], purposeCodes: [sala]}\n",
			[]string{`"15" is not a three-digit GVC`, `"sala" is not a four-letter upper-case purpose code`}},
		{"bad identifiers", "version: 1\nrules:\n  - {id: a, category: income.salary, for: person, ibans: [DE00370400440532013000], creditorIds: [DE00ZZZ00000012345]}\n",
			[]string{"ibans: IBAN \"DE00370400440532013000\": check digits do not match", "creditorIds: creditor ID"}},
		{"bad keywords", "version: 1\nrules:\n  - {id: a, category: income.salary, for: person, keywords: [\"a\", \"lo*hn\"]}\n",
			[]string{`keyword "a": needs at least two letters or digits`, `keyword "lo*hn": '*' is allowed only at the start or the end`}},
		{"bad amounts", "version: 1\nrules:\n  - {id: a, category: income.salary, for: person, minAmount: \"-1\", maxAmount: \"1.234\"}\n",
			[]string{"minAmount: -1: bounds apply to the absolute amount", "maxAmount: 1.234: at most two decimal places"}},
		{"min above max", "version: 1\nrules:\n  - {id: a, category: income.salary, for: person, minAmount: \"10\", maxAmount: \"5\"}\n",
			[]string{"maxAmount: 5 is below minAmount 10"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules("test", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\nlacks %q", err, w)
				}
			}
			var re *RulesError
			if !errors.As(err, &re) || len(re.Problems) == 0 {
				t.Errorf("error %T is not a *RulesError with problems", err)
			}
			if kontor.ErrorCode(err) != kontor.EINVALID {
				t.Errorf("error code %q, want %q", kontor.ErrorCode(err), kontor.EINVALID)
			}
			if msg := kontor.ErrorMessage(err); !strings.HasPrefix(msg, "invalid rules: ") {
				t.Errorf("client message %q", msg)
			}
		})
	}
}

func TestRulesErrorListsEveryProblem(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nrules:\n")
	for i := 0; i < 12; i++ {
		b.WriteString("  - {id: r" + string(rune('a'+i)) + ", category: nope.nope}\n")
	}
	_, err := ParseRules("test", []byte(b.String()))
	var re *RulesError
	if !errors.As(err, &re) {
		t.Fatal(err)
	}
	if len(re.Problems) != 24 { // each rule misses in both taxonomies
		t.Errorf("%d problems, want 24", len(re.Problems))
	}
	if !strings.Contains(err.Error(), "and 14 more") {
		t.Errorf("error %q does not say how many more", err)
	}
}

func TestParseClientRules(t *testing.T) {
	_, err := ParseClientRules("acme", []byte("version: 1\nrules:\n  - {id: no-such-rule, disabled: true}\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3: rule no-such-rule: disabled: there is no built-in rule") {
		t.Errorf("error %v", err)
	}
	rs, err := ParseClientRules("acme", []byte("version: 1\nrules:\n  - {id: salary-gvc, disabled: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if rs.Source != "client acme" {
		t.Errorf("source %q", rs.Source)
	}
}

func TestMerge(t *testing.T) {
	base := &RuleSet{Source: "base", Rules: []Rule{
		{ID: "a", Category: "income.salary"},
		{ID: "b", Category: "income.pension"},
		{ID: "c", Category: "income.other"},
	}}
	over := &RuleSet{Source: "over", Rules: []Rule{
		{ID: "b", Category: "income.rental"},
		{ID: "c", Disabled: true},
		{ID: "d", Category: "income.loan"},
	}}
	m := Merge(base, over)
	var got []string
	for _, r := range m.Rules {
		got = append(got, r.ID+":"+r.Category)
		if want := map[string]int{"a": 0, "b": 1, "c": 1, "d": 1}[r.ID]; r.layer != want {
			t.Errorf("rule %s: layer %d, want %d", r.ID, r.layer, want)
		}
	}
	if want := "b:income.rental c: d:income.loan a:income.salary"; strings.Join(got, " ") != want {
		t.Errorf("merged %q, want %q", strings.Join(got, " "), want)
	}
	if m.Source != "base+over" {
		t.Errorf("source %q", m.Source)
	}
	if base.Rules[1].Category != "income.pension" || over.Rules[0].layer != 0 {
		t.Error("Merge modified its arguments")
	}
	// A second merge goes on top of the first.
	m2 := Merge(m, &RuleSet{Source: "top", Rules: []Rule{{ID: "e", Category: "income.other"}}})
	if m2.Rules[0].layer != 2 {
		t.Errorf("layer of a second merge %d, want 2", m2.Rules[0].layer)
	}
}

func TestYAMLMessagesHideGoTypes(t *testing.T) {
	_, err := ParseRules("t", []byte("version: 1\nrules:\n  - id: a\n    keywords: lohn\n"))
	if err == nil || strings.Contains(err.Error(), "analysis.") || strings.Contains(err.Error(), "[]string") {
		t.Errorf("error %v", err)
	}
}
