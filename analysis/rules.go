package analysis

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

//go:embed rules/default.yaml
var defaultRulesYAML []byte

// RuleSet is a list of categorisation rules, as read from a rules file. The
// file format is described in rules/README.md.
type RuleSet struct {
	// Source names where the rules came from, for error messages
	// ("default", "client acme").
	Source string `json:"source"`
	Rules  []Rule `json:"rules"`
}

// Rule maps transactions to a category. All conditions a rule lists must
// hold; within one list of values any value may match. A rule without any
// condition matches every transaction of its direction.
type Rule struct {
	// ID names the rule; a client rule with the ID of a default rule
	// replaces it.
	ID string `yaml:"id" json:"id"`
	// Category is the tag name the rule assigns, e.g. "income.salary".
	Category string `yaml:"category" json:"category"`
	// For is "person", "company" or "" (both).
	For string `yaml:"for,omitempty" json:"for,omitempty"`
	// Direction is "in" (money in), "out" (money out) or "" (either).
	Direction string `yaml:"direction,omitempty" json:"direction,omitempty"`
	// Priority is added to the rule's score; it may be negative.
	Priority int `yaml:"priority,omitempty" json:"priority,omitempty"`
	// Disabled turns the rule off; a client uses it to switch off a
	// default rule by ID.
	Disabled bool `yaml:"disabled,omitempty" json:"disabled,omitempty"`

	// TransactionCodes are GVCs ("153").
	TransactionCodes []string `yaml:"transactionCodes,omitempty" json:"transactionCodes,omitempty"`
	// PurposeCodes are SEPA purpose codes ("SALA").
	PurposeCodes []string `yaml:"purposeCodes,omitempty" json:"purposeCodes,omitempty"`
	// CreditorIDs are SEPA creditor identifiers; the business code
	// (characters 5 to 7) is ignored when comparing.
	CreditorIDs []string `yaml:"creditorIds,omitempty" json:"creditorIds,omitempty"`
	// MandatePrefixes match the start of the mandate reference.
	MandatePrefixes []string `yaml:"mandatePrefixes,omitempty" json:"mandatePrefixes,omitempty"`
	// IBANs match the counterpart's IBAN.
	IBANs []string `yaml:"ibans,omitempty" json:"ibans,omitempty"`
	// Names are keywords matched in the counterpart's name.
	Names []string `yaml:"names,omitempty" json:"names,omitempty"`
	// Purpose are keywords matched in the purpose.
	Purpose []string `yaml:"purpose,omitempty" json:"purpose,omitempty"`
	// Keywords are matched in the counterpart's name or the purpose.
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
	// Not are keywords that must not occur in name or purpose.
	Not []string `yaml:"not,omitempty" json:"not,omitempty"`
	// OwnAccount, when set, requires the counterpart to be (true) or not
	// to be (false) one of the user's own accounts or the account holder.
	OwnAccount *bool `yaml:"ownAccount,omitempty" json:"ownAccount,omitempty"`
	// MinAmount and MaxAmount bound the absolute amount ("18.36").
	MinAmount string `yaml:"minAmount,omitempty" json:"minAmount,omitempty"`
	MaxAmount string `yaml:"maxAmount,omitempty" json:"maxAmount,omitempty"`

	// Line is the rule's line in its file (0 when not read from a file).
	Line int `yaml:"-" json:"line,omitempty"`

	layer int // 0 for the rules of the first set, +1 for each merge
}

// fallback reports whether the rule has no condition but its direction:
// it matches every transaction of its direction and of its user type.
func (r *Rule) fallback() bool {
	return len(r.TransactionCodes) == 0 && len(r.PurposeCodes) == 0 && len(r.CreditorIDs) == 0 &&
		len(r.MandatePrefixes) == 0 && len(r.IBANs) == 0 && len(r.Names) == 0 &&
		len(r.Purpose) == 0 && len(r.Keywords) == 0 && len(r.Not) == 0 &&
		r.OwnAccount == nil && r.MinAmount == "" && r.MaxAmount == ""
}

// rulesFile is the top level of a rules file.
type rulesFile struct {
	Version int    `yaml:"version"`
	Rules   []Rule `yaml:"rules"`
}

// RulesVersion is the rules file format version this package reads.
const RulesVersion = 1

// ParseRules reads a rules file and validates it against the taxonomies.
// source names the file in error messages. Every problem found is reported
// in one *RulesError.
func ParseRules(source string, data []byte) (*RuleSet, error) {
	var f rulesFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, newRulesError(source, Problem{Message: "the file is empty"})
		}
		return nil, newRulesError(source, Problem{Message: yamlMessage(err)})
	}
	if f.Version != RulesVersion {
		return nil, newRulesError(source, Problem{Field: "version",
			Message: fmt.Sprintf("version must be %d, not %d", RulesVersion, f.Version)})
	}
	lines, err := ruleLines(data)
	if err != nil {
		return nil, newRulesError(source, Problem{Message: yamlMessage(err)})
	}
	for i := range f.Rules {
		if i < len(lines) {
			f.Rules[i].Line = lines[i]
		}
	}
	rs := &RuleSet{Source: source, Rules: f.Rules}
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	return rs, nil
}

// ruleLines returns the line of every entry of the rules list.
func ruleLines(data []byte) ([]int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "rules" {
			var lines []int
			for _, n := range top.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines, nil
		}
	}
	return nil, nil
}

// yamlMessage turns a YAML error into a message for the author of the
// file: without the library's prefix and without Go type names.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, m := range te.Errors {
			msgs[i] = cleanYAMLMessage(m)
		}
		return strings.Join(msgs, "; ")
	}
	return cleanYAMLMessage(err.Error())
}

func cleanYAMLMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "yaml: ")
	for _, r := range []struct{ old, new string }{
		{" in type analysis.Rule", " in a rule"},
		{" in type analysis.rulesFile", " at the top level"},
		{" into analysis.Rule", " into a rule"},
		{" into []analysis.Rule", " into the list of rules"},
		{" into []string", " into a list"},
	} {
		msg = strings.ReplaceAll(msg, r.old, r.new)
	}
	return msg
}

var defaultRules = sync.OnceValues(func() (*RuleSet, error) {
	return ParseRules("default", defaultRulesYAML)
})

// DefaultRules returns Kontor's built-in rule set. The caller must not
// modify it; Merge returns a new set.
func DefaultRules() (*RuleSet, error) {
	rs, err := defaultRules()
	if err != nil {
		return nil, fmt.Errorf("built-in rules: %w", err)
	}
	return rs, nil
}

// Merge returns the rules of base with the rules of over laid on top: a
// rule of over replaces the rule of base with the same ID (a disabled one
// removes it), and every rule of over beats every rule of base whenever
// both match. The sets are not modified.
func Merge(base, over *RuleSet) *RuleSet {
	layer := 0
	for _, r := range base.Rules {
		layer = max(layer, r.layer)
	}
	replaced := make(map[string]bool, len(over.Rules))
	out := &RuleSet{Source: base.Source + "+" + over.Source}
	for _, r := range over.Rules {
		replaced[r.ID] = true
		r.layer = layer + 1
		out.Rules = append(out.Rules, r)
	}
	for _, r := range base.Rules {
		if !replaced[r.ID] {
			out.Rules = append(out.Rules, r)
		}
	}
	return out
}
