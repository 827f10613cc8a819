package analysis

import (
	"fmt"
	"strings"

	"github.com/kontor-dev/kontor"
)

// Problem is one thing wrong with a rule set.
type Problem struct {
	Line    int    `json:"line,omitempty"`   // line in the file, 0 if unknown
	RuleID  string `json:"ruleId,omitempty"` // the rule's ID, if any
	Field   string `json:"field,omitempty"`  // the offending field, if any
	Message string `json:"message"`
}

// String formats the problem as "line 12: rule salary-gvc: category: ...".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.RuleID != "" {
		fmt.Fprintf(&b, "rule %s: ", p.RuleID)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// RulesError lists every problem of a rule set. It unwraps to a
// *kontor.Error with code kontor.EINVALID, whose message is safe to show
// to the API client.
type RulesError struct {
	Source   string    `json:"source"`
	Problems []Problem `json:"problems"`
}

func newRulesError(source string, p ...Problem) *RulesError {
	return &RulesError{Source: source, Problems: p}
}

// Error implements the error interface.
func (e *RulesError) Error() string {
	return "rules " + e.Source + ": " + e.summary()
}

func (e *RulesError) summary() string {
	const shown = 10
	var b strings.Builder
	for i, p := range e.Problems {
		if i == shown {
			fmt.Fprintf(&b, "; and %d more", len(e.Problems)-shown)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Unwrap returns the problem list as a kontor.EINVALID error.
func (e *RulesError) Unwrap() error {
	return kontor.Errorf(kontor.EINVALID, "invalid rules: %s", e.summary())
}

// Validate checks every rule of the set: known fields with valid values,
// unique IDs, categories that exist in the taxonomy of each user type the
// rule is for, well-formed codes, IBANs, creditor IDs, keywords and
// amounts. It returns a *RulesError listing all problems, or nil.
func (rs *RuleSet) Validate() error {
	person, err := TaxonomyFor(kontor.UserPerson)
	if err != nil {
		return err
	}
	company, err := TaxonomyFor(kontor.UserCompany)
	if err != nil {
		return err
	}
	var probs []Problem
	seen := map[string]int{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		add := func(field, format string, args ...any) {
			probs = append(probs, Problem{Line: r.Line, RuleID: r.ID, Field: field, Message: fmt.Sprintf(format, args...)})
		}
		if r.ID == "" {
			add("id", "rule %d has no id", i+1)
		} else if prev, dup := seen[r.ID]; dup {
			add("id", "id used twice (first by rule %d)", prev+1)
		} else {
			seen[r.ID] = i
		}
		if r.Disabled {
			continue // a disabled rule only names the rule it switches off
		}
		checkRuleTarget(r, person, company, add)
		checkRuleConditions(r, add)
	}
	if len(probs) > 0 {
		return newRulesError(rs.Source, probs...)
	}
	return nil
}

type addProblem func(field, format string, args ...any)

func checkRuleTarget(r *Rule, person, company *Taxonomy, add addProblem) {
	switch r.Direction {
	case "", "in", "out":
	default:
		add("direction", "must be in, out or empty, not %q", r.Direction)
	}
	var taxes []*Taxonomy
	switch r.For {
	case "":
		taxes = []*Taxonomy{person, company}
	case "person":
		taxes = []*Taxonomy{person}
	case "company":
		taxes = []*Taxonomy{company}
	default:
		add("for", "must be person, company or empty, not %q", r.For)
	}
	switch {
	case r.Category == "":
		add("category", "missing")
	case !validCategoryName(r.Category):
		add("category", "%q is not of the form group.category", r.Category)
	default:
		for _, t := range taxes {
			if !t.Has(r.Category) {
				add("category", "%q is not a %s category (see TAXONOMY.md)", r.Category, t.UserType)
			}
		}
	}
}

func checkRuleConditions(r *Rule, add addProblem) {
	for _, c := range r.TransactionCodes {
		if len(c) != 3 || !isDigits(c) {
			add("transactionCodes", "%q is not a three-digit GVC", c)
		}
	}
	for _, c := range r.PurposeCodes {
		if len(c) != 4 || !isUpperLetters(c) {
			add("purposeCodes", "%q is not a four-letter upper-case purpose code", c)
		}
	}
	for _, c := range r.CreditorIDs {
		if err := checkCreditorID(compactUpper(c)); err != nil {
			add("creditorIds", "%v", err)
		}
	}
	for _, c := range r.IBANs {
		if err := checkIBAN(compactUpper(c)); err != nil {
			add("ibans", "%v", err)
		}
	}
	for _, p := range r.MandatePrefixes {
		if compactUpper(p) == "" {
			add("mandatePrefixes", "empty prefix")
		}
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"names", r.Names}, {"purpose", r.Purpose}, {"keywords", r.Keywords}, {"not", r.Not}} {
		for _, k := range l.list {
			if _, err := parseKeyword(k); err != nil {
				add(l.field, "%v", err)
			}
		}
	}
	lo, errLo := parseCents(r.MinAmount)
	if errLo != nil {
		add("minAmount", "%v", errLo)
	}
	hi, errHi := parseCents(r.MaxAmount)
	if errHi != nil {
		add("maxAmount", "%v", errHi)
	}
	if errLo == nil && errHi == nil && r.MinAmount != "" && r.MaxAmount != "" && lo > hi {
		add("maxAmount", "%s is below minAmount %s", r.MaxAmount, r.MinAmount)
	}
}

// parseCents parses a non-negative amount bound into cents; "" is 0.
func parseCents(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	a, err := kontor.ParseAmount(s)
	if err != nil {
		return 0, err
	}
	if a.Sign() < 0 {
		return 0, fmt.Errorf("%s: bounds apply to the absolute amount and must not be negative", s)
	}
	c, ok := a.Cents()
	if !ok || !a.Equal(kontor.AmountFromCents(c)) {
		return 0, fmt.Errorf("%s: at most two decimal places", s)
	}
	return c, nil
}
