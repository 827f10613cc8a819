package analysis

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/kontor-dev/kontor"
)

// Condition kinds of a compiled rule, one bit each.
const (
	condCode uint16 = 1 << iota
	condPurposeCode
	condCreditor
	condIBAN
	condMandate
	condName
	condPurpose
	condKeyword
)

// Score weights of the condition kinds: a rule's score is the sum of the
// weights of the kinds of condition it lists plus its priority, plus
// layerBonus for every merge layer above the default rules. The matching
// rule with the highest score wins; on a tie, the one listed first.
//
// A fallback rule (one without any condition but its direction) gets no
// layer bonus: a client's catch-all must not hide every specific rule.
const (
	weightCreditor    = 50
	weightIBAN        = 45
	weightOwnAccount  = 45
	weightCode        = 40
	weightPurposeCode = 40
	weightMandate     = 35
	weightName        = 30
	weightPurpose     = 20
	weightKeyword     = 20
	weightAmount      = 5
	layerBonus        = 1000
)

// Categorizer categorises transactions with a compiled rule set. It is safe
// for concurrent use.
type Categorizer struct {
	rules   *RuleSet
	person  *Matcher
	company *Matcher
}

// Compile validates the rule set and compiles it into a Categorizer.
func Compile(rs *RuleSet) (*Categorizer, error) {
	if err := rs.Validate(); err != nil {
		return nil, err
	}
	c := &Categorizer{rules: rs}
	var err error
	if c.person, err = compileMatcher(rs, kontor.UserPerson); err != nil {
		return nil, err
	}
	if c.company, err = compileMatcher(rs, kontor.UserCompany); err != nil {
		return nil, err
	}
	return c, nil
}

var defaultCategorizer = sync.OnceValues(func() (*Categorizer, error) {
	rs, err := DefaultRules()
	if err != nil {
		return nil, err
	}
	return Compile(rs)
})

// Default returns the Categorizer of the built-in rules, compiled once.
func Default() (*Categorizer, error) { return defaultCategorizer() }

// ParseClientRules reads an API client's rules file and checks it both on
// its own (see ParseRules) and against the built-in rules: a rule that
// only disables another must name a built-in rule. client names the client
// in error messages.
func ParseClientRules(client string, data []byte) (*RuleSet, error) {
	over, err := ParseRules("client "+client, data)
	if err != nil {
		return nil, err
	}
	base, err := DefaultRules()
	if err != nil {
		return nil, err
	}
	known := make(map[string]bool, len(base.Rules))
	for _, r := range base.Rules {
		known[r.ID] = true
	}
	var probs []Problem
	for _, r := range over.Rules {
		if r.Disabled && !known[r.ID] {
			probs = append(probs, Problem{Line: r.Line, RuleID: r.ID, Field: "disabled",
				Message: "there is no built-in rule with this id to switch off"})
		}
	}
	if len(probs) > 0 {
		return nil, newRulesError(over.Source, probs...)
	}
	return over, nil
}

// WithClientRules returns a Categorizer of the built-in rules with an API
// client's rules file laid over them (see ParseClientRules and Merge).
func WithClientRules(client string, data []byte) (*Categorizer, error) {
	over, err := ParseClientRules(client, data)
	if err != nil {
		return nil, err
	}
	base, err := DefaultRules()
	if err != nil {
		return nil, err
	}
	return Compile(Merge(base, over))
}

// Rules returns the rule set the Categorizer was compiled from.
func (c *Categorizer) Rules() *RuleSet { return c.rules }

// Matcher returns the matcher of one user type.
func (c *Categorizer) Matcher(t kontor.UserType) (*Matcher, error) {
	switch t {
	case kontor.UserPerson:
		return c.person, nil
	case kontor.UserCompany:
		return c.company, nil
	}
	return nil, kontor.Errorf(kontor.EINVALID, "unknown user type %q", t)
}

// compiledRule is a rule ready for matching.
type compiledRule struct {
	id       string
	category string
	need     uint16 // condition kinds that must all be marked
	dir      int8   // +1 in, -1 out, 0 either
	own      int8   // +1 must be own account, -1 must not, 0 either
	amount   bool   // has an amount bound
	minCents int64
	maxCents int64 // -1: no upper bound
	not      []uint32
	score    int32
}

type mandateCond struct {
	prefix []byte
	rule   int32
}

// Matcher holds the compiled rules of one user type.
type Matcher struct {
	userType kontor.UserType
	tax      *Taxonomy
	rules    []compiledRule
	ac       *automaton
	npat     int

	byName, byPurpose, byKeyword [][]int32 // by pattern
	byCode                       [1000][]int32
	byPurposeCode                map[[4]byte][]int32
	byCreditor                   map[string][]int32
	byIBAN                       map[string][]int32
	mandates                     []mandateCond
	always                       []int32 // rules without an indexed condition

	pool sync.Pool // of *scratch
}

// Taxonomy returns the taxonomy the matcher's categories belong to.
func (m *Matcher) Taxonomy() *Taxonomy { return m.tax }

func compileMatcher(rs *RuleSet, ut kontor.UserType) (*Matcher, error) {
	tax, err := TaxonomyFor(ut)
	if err != nil {
		return nil, err
	}
	m := &Matcher{
		userType:      ut,
		tax:           tax,
		byPurposeCode: map[[4]byte][]int32{},
		byCreditor:    map[string][]int32{},
		byIBAN:        map[string][]int32{},
	}
	patIndex := map[string]uint32{}
	var patterns []string
	pattern := func(k string) (uint32, error) {
		p, err := parseKeyword(k)
		if err != nil {
			return 0, err
		}
		id, ok := patIndex[p]
		if !ok {
			id = uint32(len(patterns))
			patIndex[p] = id
			patterns = append(patterns, p)
			m.byName = append(m.byName, nil)
			m.byPurpose = append(m.byPurpose, nil)
			m.byKeyword = append(m.byKeyword, nil)
		}
		return id, nil
	}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		if r.Disabled || (r.For != "" && r.For != string(ut)) {
			continue
		}
		idx := int32(len(m.rules))
		cr, err := m.compileRule(r, idx, pattern)
		if err != nil {
			return nil, fmt.Errorf("rules %s: rule %s: %w", rs.Source, r.ID, err)
		}
		if cr.need == 0 {
			m.always = append(m.always, idx)
		}
		m.rules = append(m.rules, cr)
	}
	m.npat = len(patterns)
	m.ac = newAutomaton(patterns)
	m.pool.New = func() any { return newScratch(m) }
	return m, nil
}

func (m *Matcher) compileRule(r *Rule, idx int32, pattern func(string) (uint32, error)) (compiledRule, error) {
	cr := compiledRule{id: r.ID, category: r.Category, score: int32(r.Priority)}
	if !r.fallback() {
		cr.score += int32(layerBonus * r.layer)
	}
	switch r.Direction {
	case "in":
		cr.dir = 1
	case "out":
		cr.dir = -1
	}
	if r.OwnAccount != nil {
		cr.own = -1
		if *r.OwnAccount {
			cr.own = 1
			cr.score += weightOwnAccount
		}
	}
	need := func(bit uint16, weight int32, n int) {
		if n > 0 {
			cr.need |= bit
			cr.score += weight
		}
	}
	need(condCode, weightCode, len(r.TransactionCodes))
	for _, c := range r.TransactionCodes {
		n, err := strconv.Atoi(c)
		if err != nil || n < 0 || n >= len(m.byCode) {
			return cr, fmt.Errorf("transaction code %q", c)
		}
		m.byCode[n] = append(m.byCode[n], idx)
	}
	need(condPurposeCode, weightPurposeCode, len(r.PurposeCodes))
	for _, c := range r.PurposeCodes {
		k := [4]byte([]byte(strings.ToUpper(c)))
		m.byPurposeCode[k] = append(m.byPurposeCode[k], idx)
	}
	need(condCreditor, weightCreditor, len(r.CreditorIDs))
	for _, c := range r.CreditorIDs {
		k := creditorKey(c)
		m.byCreditor[k] = append(m.byCreditor[k], idx)
	}
	need(condIBAN, weightIBAN, len(r.IBANs))
	for _, c := range r.IBANs {
		k := compactUpper(c)
		m.byIBAN[k] = append(m.byIBAN[k], idx)
	}
	need(condMandate, weightMandate, len(r.MandatePrefixes))
	for _, p := range r.MandatePrefixes {
		m.mandates = append(m.mandates, mandateCond{prefix: []byte(compactUpper(p)), rule: idx})
	}
	for _, l := range []struct {
		bit    uint16
		weight int32
		words  []string
		index  *[][]int32
	}{
		{condName, weightName, r.Names, &m.byName},
		{condPurpose, weightPurpose, r.Purpose, &m.byPurpose},
		{condKeyword, weightKeyword, r.Keywords, &m.byKeyword},
	} {
		need(l.bit, l.weight, len(l.words))
		for _, k := range l.words {
			p, err := pattern(k)
			if err != nil {
				return cr, err
			}
			(*l.index)[p] = append((*l.index)[p], idx)
		}
	}
	for _, k := range r.Not {
		p, err := pattern(k)
		if err != nil {
			return cr, err
		}
		cr.not = append(cr.not, p)
	}
	if r.MinAmount != "" || r.MaxAmount != "" {
		cr.amount = true
		cr.score += weightAmount
		cr.minCents, _ = parseCents(r.MinAmount)
		cr.maxCents = -1
		if r.MaxAmount != "" {
			cr.maxCents, _ = parseCents(r.MaxAmount)
		}
	}
	return cr, nil
}
