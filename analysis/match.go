package analysis

import (
	"bytes"
	"strings"

	"github.com/kontor-dev/kontor"
)

// Match is the result of categorising one transaction.
type Match struct {
	// Category is the tag name of the category, or "" when no rule
	// matched.
	Category string `json:"category"`
	// Rule is the ID of the rule that decided, or "".
	Rule string `json:"rule,omitempty"`
	// Score is the winning rule's score.
	Score int `json:"score,omitempty"`
}

// scratch is the per-goroutine working memory of a Matcher, reused from
// one transaction to the next so that matching does not allocate.
type scratch struct {
	nameText    normalizer
	purposeText normalizer
	hits        []uint32
	patGen      []uint32 // per pattern: gen of the transaction it last occurred in
	mark        []uint16 // per rule: condition kinds satisfied
	markGen     []uint32 // per rule: gen mark belongs to
	gen         uint32
	cands       []int32
}

func newScratch(m *Matcher) *scratch {
	return &scratch{
		patGen:  make([]uint32, m.npat),
		mark:    make([]uint16, len(m.rules)),
		markGen: make([]uint32, len(m.rules)),
	}
}

// next starts a new transaction.
func (s *scratch) next() {
	s.gen++
	if s.gen == 0 { // wrapped: forget all stamps
		clear(s.patGen)
		clear(s.markGen)
		s.gen = 1
	}
	s.cands = s.cands[:0]
}

func (s *scratch) markRules(rules []int32, bit uint16) {
	for _, r := range rules {
		s.markRule(r, bit)
	}
}

// markRule records that rule r has a condition of kind bit satisfied.
func (s *scratch) markRule(r int32, bit uint16) {
	if s.markGen[r] != s.gen {
		s.markGen[r] = s.gen
		s.mark[r] = bit
		s.cands = append(s.cands, r)
	} else {
		s.mark[r] |= bit
	}
}

// Classify returns the category of tx without changing it. holder tells
// which counterparts are the user's own accounts; it may be nil.
func (m *Matcher) Classify(tx *kontor.Transaction, holder *Holder) Match {
	s := m.pool.Get().(*scratch)
	match := m.classify(s, tx, holder)
	m.pool.Put(s)
	return match
}

// Categorize classifies tx and records the result as its kontor tag (see
// SetCategory): the category, or Uncategorized when no rule matched.
func (m *Matcher) Categorize(tx *kontor.Transaction, holder *Holder) Match {
	match := m.Classify(tx, holder)
	SetCategory(tx, categoryOrDefault(match.Category))
	return match
}

// CategorizeAccounts categorises every transaction of the accounts, with
// the accounts themselves as the user's own accounts. Transactions without
// room for tags get it from one block shared by all of them, so that
// categorising does not allocate per transaction.
func (m *Matcher) CategorizeAccounts(accounts []kontor.Account) {
	holder := NewHolder(accounts)
	spare := 0
	for i := range accounts {
		for j := range accounts[i].Transactions {
			if cap(accounts[i].Transactions[j].Tags) == 0 {
				spare++
			}
		}
	}
	// Two tags a transaction: its category and TagRecurring.
	block := make([]kontor.Tag, 2*spare)
	s := m.pool.Get().(*scratch)
	for i := range accounts {
		txs := accounts[i].Transactions
		for j := range txs {
			tx := &txs[j]
			if cap(tx.Tags) == 0 {
				tx.Tags, block = block[:0:2], block[2:]
			}
			match := m.classify(s, tx, holder)
			SetCategory(tx, categoryOrDefault(match.Category))
		}
	}
	m.pool.Put(s)
}

// CategorizeTransactions categorises transactions one after the other;
// holder tells which counterparts are the user's own (it may be nil).
func (m *Matcher) CategorizeTransactions(txs []kontor.Transaction, holder *Holder) {
	s := m.pool.Get().(*scratch)
	for i := range txs {
		match := m.classify(s, &txs[i], holder)
		SetCategory(&txs[i], categoryOrDefault(match.Category))
	}
	m.pool.Put(s)
}

// CategorizeAccounts categorises every transaction of a user's accounts
// with the taxonomy of the user type.
func (c *Categorizer) CategorizeAccounts(t kontor.UserType, accounts []kontor.Account) error {
	m, err := c.Matcher(t)
	if err != nil {
		return err
	}
	m.CategorizeAccounts(accounts)
	return nil
}

func categoryOrDefault(c string) string {
	if c == "" {
		return Uncategorized
	}
	return c
}

func (m *Matcher) classify(s *scratch, tx *kontor.Transaction, holder *Holder) Match {
	s.next()

	// Texts: the counterpart name and the human parts of the purpose.
	s.nameText.reset()
	s.nameText.add(tx.CounterPart.Name)
	name := s.nameText.finish()
	s.purposeText.reset()
	ids := addPurpose(&s.purposeText, tx.Purpose)
	purpose := s.purposeText.finish()

	s.hits = m.ac.scan(name, s.hits[:0])
	for _, p := range s.hits {
		s.patGen[p] = s.gen
		s.markRules(m.byName[p], condName)
		s.markRules(m.byKeyword[p], condKeyword)
	}
	s.hits = m.ac.scan(purpose, s.hits[:0])
	for _, p := range s.hits {
		s.patGen[p] = s.gen
		s.markRules(m.byPurpose[p], condPurpose)
		s.markRules(m.byKeyword[p], condKeyword)
	}

	// Codes.
	for i := range tx.Codes {
		c := &tx.Codes[i]
		switch c.Type {
		case kontor.CodeTransaction:
			if n, ok := gvcNumber(c.Value); ok {
				s.markRules(m.byCode[n], condCode)
			}
		case kontor.CodePurpose:
			m.markPurposeCode(s, c.Value)
		}
	}
	if ids.purp != "" {
		m.markPurposeCode(s, ids.purp)
	}

	// Identifiers. The buffers are reused; map look-ups with string(b)
	// do not allocate.
	var buf [64]byte
	cred := tx.CounterPart.CreditorID
	if cred == "" {
		cred = ids.cred
	}
	if cred != "" && len(m.byCreditor) > 0 {
		k := appendCreditorKey(buf[:0], cred)
		s.markRules(m.byCreditor[string(k)], condCreditor)
	}
	if tx.CounterPart.IBAN != "" && len(m.byIBAN) > 0 {
		k := appendCompactUpper(buf[:0], tx.CounterPart.IBAN)
		s.markRules(m.byIBAN[string(k)], condIBAN)
	}
	mref := tx.MRef
	if mref == "" {
		mref = ids.mref
	}
	if mref != "" && len(m.mandates) > 0 {
		k := appendCompactUpper(buf[:0], mref)
		for _, mc := range m.mandates {
			if bytes.HasPrefix(k, mc.prefix) {
				s.markRule(mc.rule, condMandate)
			}
		}
	}

	// Decide.
	sign := tx.Amount.Sign()
	ownKnown, own := false, false
	centsKnown, cents := false, int64(0)
	best := int32(-1)
	consider := func(r int32, mark uint16) {
		cr := &m.rules[r]
		if cr.need&mark != cr.need {
			return
		}
		if cr.dir != 0 && int(cr.dir) != sign {
			return
		}
		if best >= 0 && (cr.score < m.rules[best].score || cr.score == m.rules[best].score && r > best) {
			return // cannot win
		}
		for _, p := range cr.not {
			if s.patGen[p] == s.gen {
				return
			}
		}
		if cr.amount {
			if !centsKnown {
				centsKnown = true
				cents, _ = tx.Amount.Abs().Cents()
			}
			if cents < cr.minCents || cr.maxCents >= 0 && cents > cr.maxCents {
				return
			}
		}
		if cr.own != 0 {
			if !ownKnown {
				ownKnown = true
				own = holder.owns(tx, name, buf[:0])
			}
			if own != (cr.own > 0) {
				return
			}
		}
		best = r
	}
	for _, r := range s.cands {
		consider(r, s.mark[r])
	}
	for _, r := range m.always {
		consider(r, 0)
	}
	if best < 0 {
		return Match{}
	}
	cr := &m.rules[best]
	return Match{Category: cr.category, Rule: cr.id, Score: int(cr.score)}
}

func (m *Matcher) markPurposeCode(s *scratch, v string) {
	if len(v) != 4 {
		return
	}
	var k [4]byte
	for i := 0; i < 4; i++ {
		c := v[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		k[i] = c
	}
	s.markRules(m.byPurposeCode[k], condPurposeCode)
}

// gvcNumber parses a Geschäftsvorfallcode ("153", "53").
func gvcNumber(v string) (int, bool) {
	v = strings.TrimSpace(v)
	if len(v) == 0 || len(v) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
