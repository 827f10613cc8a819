package bankdir

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
)

// Search ranks.
const (
	rankExact      = iota // the query is the bank code or the BIC
	rankNamePrefix        // all words in the name, the first starts it
	rankName              // all words in the name
	rankOther             // words in the city, code, BIC, or inside name words
	numRanks
)

// minInfix is the shortest query word that may match inside a name word
// ("spark" in "Kreissparkasse") rather than only at its start.
const minInfix = 4

// entry is one bank of a snapshot.
type entry struct {
	bank    Bank
	sortKey string // folded name, NUL, bank code: the output order
}

func newEntry(b Bank) *entry {
	return &entry{bank: b, sortKey: fold(b.Name) + "\x00" + b.BankCode}
}

// variants folds s both ways and returns its words, each word once.
func variants(s string) []string {
	full, plain := tokens(fold(s)), tokens(foldPlain(s))
	out := full
	for i, p := range plain {
		if i >= len(full) || p != full[i] {
			out = append(out, p)
		}
	}
	return out
}

// snapshot is an immutable index of the directory. Entries are numbered by
// their position in entries, which is also the output order within a rank;
// sets of entries are bitsets over these numbers.
type snapshot struct {
	entries     []*entry // by folded name, then bank code
	byCodeOrder []*entry // by bank code
	byCode      map[string]*entry
	byBIC       map[string][]*entry // 11-character upper-case BIC → by bank code

	nameTerms []postings // words of all names, sorted
	infixes   []suffix   // proper suffixes of name words, sorted
	cityTerms []postings // words of all cities, sorted
	codes     []postings // bank codes, sorted
	bics      []postings // lower-case BICs (11 and, for "…XXX", 8 characters), sorted
}

// postings lists the entries in which an indexed text occurs.
type postings struct {
	text    string
	entries []int32
	firsts  []int32 // for name words: entries one of whose names starts with it
}

// suffix is a proper suffix of an indexed name word.
type suffix struct {
	text string
	term int32 // index into nameTerms
}

func buildSnapshot(entries []*entry) *snapshot {
	s := &snapshot{
		entries:     slices.Clone(entries),
		byCodeOrder: slices.Clone(entries),
		byCode:      make(map[string]*entry, len(entries)),
		byBIC:       map[string][]*entry{},
	}
	slices.SortFunc(s.entries, func(a, b *entry) int { return cmp.Compare(a.sortKey, b.sortKey) })
	slices.SortFunc(s.byCodeOrder, func(a, b *entry) int { return cmp.Compare(a.bank.BankCode, b.bank.BankCode) })
	for _, e := range s.byCodeOrder {
		s.byCode[e.bank.BankCode] = e
		if k, ok := bicKey(e.bank.BIC); ok {
			s.byBIC[k] = append(s.byBIC[k], e)
		}
	}

	names := map[string]*postings{}
	cities := map[string]*postings{}
	codes := map[string]*postings{}
	bics := map[string]*postings{}
	add := func(m map[string]*postings, text string, i int32, first bool) {
		p := m[text]
		if p == nil {
			p = &postings{text: text}
			m[text] = p
		}
		if n := len(p.entries); n == 0 || p.entries[n-1] != i {
			p.entries = append(p.entries, i)
		}
		if n := len(p.firsts); first && (n == 0 || p.firsts[n-1] != i) {
			p.firsts = append(p.firsts, i)
		}
	}
	for i, e := range s.entries {
		i := int32(i)
		for _, name := range append([]string{e.bank.Name}, e.bank.OtherNames...) {
			full, plain := tokens(fold(name)), tokens(foldPlain(name))
			for k, w := range full {
				add(names, w, i, k == 0)
			}
			for k, w := range plain {
				add(names, w, i, k == 0)
			}
		}
		for _, c := range e.bank.Cities {
			for _, w := range variants(c) {
				add(cities, w, i, false)
			}
		}
		add(codes, e.bank.BankCode, i, false)
		if k, ok := bicKey(e.bank.BIC); ok {
			k = strings.ToLower(k)
			add(bics, k, i, false)
			if strings.HasSuffix(k, "xxx") {
				add(bics, k[:8], i, false)
			}
		}
	}
	s.nameTerms = sortedPostings(names)
	s.cityTerms = sortedPostings(cities)
	s.codes = sortedPostings(codes)
	s.bics = sortedPostings(bics)
	for t, p := range s.nameTerms {
		for k := 1; k+minInfix <= len(p.text); k++ {
			s.infixes = append(s.infixes, suffix{text: p.text[k:], term: int32(t)})
		}
	}
	slices.SortFunc(s.infixes, func(a, b suffix) int { return strings.Compare(a.text, b.text) })
	return s
}

func sortedPostings(m map[string]*postings) []postings {
	out := make([]postings, 0, len(m))
	for _, p := range m {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b postings) int { return strings.Compare(a.text, b.text) })
	return out
}

// prefixRange returns the range of sorted texts that start with w.
func prefixRange[T any](items []T, text func(T) string, w string) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(items, w, func(it T, w string) int { return strings.Compare(text(it), w) })
	hi = lo
	for hi < len(items) && strings.HasPrefix(text(items[hi]), w) {
		hi++
	}
	return lo, hi
}

func postingsText(p postings) string { return p.text }
func suffixText(s suffix) string     { return s.text }

// bitset is a set of entry numbers.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) addAll(is []int32) {
	for _, i := range is {
		b[i>>6] |= 1 << (uint(i) & 63)
	}
}

func (b bitset) has(i int) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// Search finds banks by name, city, bank code or BIC and returns at most
// limit of them, the best first; limit ≤ 0 means no limit. An empty query
// (or one without letters and digits) finds nothing.
//
// The query is split into words, and every word must match: at the start
// of a word of the bank's name or city, at the start of its bank code or
// BIC, or, for words of four or more characters, anywhere inside a word of
// the name. Case does not matter, nor do umlauts: "köln", "koeln" and
// "koln" all find "Köln", and "ß" equals "ss".
//
// Ranking: a query that is exactly a bank code or BIC comes first; then
// banks whose name starts with the first word and holds all the others;
// then banks whose name holds all words; then all other matches. Within a
// rank, banks are ordered by name, then bank code, so the order is always
// the same.
func (d *Directory) Search(query string, limit int) []Bank {
	q := fold(query)
	words := tokens(q)
	if len(words) == 0 {
		return nil
	}
	s := d.snap.Load()
	n := len(s.entries)

	var exact []*entry
	compact := strings.ReplaceAll(q, " ", "")
	if e, ok := s.byCode[compact]; ok {
		exact = append(exact, e)
	}
	if k, ok := bicKey(compact); ok {
		for _, e := range s.byBIC[k] {
			if !slices.Contains(exact, e) {
				exact = append(exact, e)
			}
		}
	}

	// all: every word matches somewhere; inName: every word starts a
	// name word; first: the first word starts a name.
	all, inName, first := newBitset(n), newBitset(n), newBitset(n)
	name, other := newBitset(n), newBitset(n)
	for wi, w := range words {
		clear(name)
		clear(other)
		lo, hi := prefixRange(s.nameTerms, postingsText, w)
		for _, p := range s.nameTerms[lo:hi] {
			name.addAll(p.entries)
			if wi == 0 {
				first.addAll(p.firsts)
			}
		}
		if len(w) >= minInfix {
			lo, hi := prefixRange(s.infixes, suffixText, w)
			for _, sf := range s.infixes[lo:hi] {
				other.addAll(s.nameTerms[sf.term].entries)
			}
		}
		for _, list := range [][]postings{s.cityTerms, s.codes, s.bics} {
			lo, hi := prefixRange(list, postingsText, w)
			for _, p := range list[lo:hi] {
				other.addAll(p.entries)
			}
		}
		for k := range all {
			if wi == 0 {
				all[k], inName[k] = name[k]|other[k], name[k]
				continue
			}
			all[k] &= name[k] | other[k]
			inName[k] &= name[k]
		}
	}

	out := make([]Bank, 0, min(max(limit, 0), 64))
	full := func() bool { return limit > 0 && len(out) >= limit }
	for _, e := range exact {
		if full() {
			return out
		}
		out = append(out, e.bank.clone())
	}
	for r := rankNamePrefix; r < numRanks; r++ {
		for k, word := range all {
			for word != 0 {
				bit := bits.TrailingZeros64(word)
				word &^= 1 << bit
				i := k*64 + bit
				var got int
				switch {
				case !inName.has(i):
					got = rankOther
				case first.has(i):
					got = rankNamePrefix
				default:
					got = rankName
				}
				if got != r || len(exact) > 0 && slices.Contains(exact, s.entries[i]) {
					continue
				}
				if full() {
					return out
				}
				out = append(out, s.entries[i].bank.clone())
			}
		}
	}
	return out
}
