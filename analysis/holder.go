package analysis

import (
	"bytes"
	"strings"

	"github.com/kontor-dev/kontor"
)

// Holder describes whose accounts are analysed, so that rules can tell
// transfers between the user's own accounts (condition ownAccount) from
// payments to others: a counterpart is the user's own when its IBAN is
// one of the user's accounts or its name is the name of an account owner.
type Holder struct {
	ibans  map[string]bool
	owners [][]byte // each owner's name words, " anna schneider " style, split
}

// NewHolder returns the holder of the accounts.
func NewHolder(accounts []kontor.Account) *Holder {
	h := &Holder{ibans: map[string]bool{}}
	seen := map[string]bool{}
	for _, a := range accounts {
		if a.IBAN != "" {
			h.ibans[compactUpper(a.IBAN)] = true
		}
		owner := strings.TrimSpace(normalize(a.Owner))
		if owner == "" || seen[owner] {
			continue
		}
		seen[owner] = true
		h.owners = append(h.owners, []byte(owner))
	}
	return h
}

// owns reports whether the counterpart of tx is the holder; name is the
// counterpart name in normal form and buf a spare buffer.
func (h *Holder) owns(tx *kontor.Transaction, name, buf []byte) bool {
	if h == nil {
		return false
	}
	if tx.CounterPart.IBAN != "" && h.ibans[string(appendCompactUpper(buf, tx.CounterPart.IBAN))] {
		return true
	}
	for _, owner := range h.owners {
		if nameIsOwner(name, owner) {
			return true
		}
	}
	return false
}

// nameIsOwner reports whether the normalised counterpart name (" a b ")
// consists of the owner's words, in any order, plus at most one more word
// such as a title. Owners of a single word never match.
func nameIsOwner(name, owner []byte) bool {
	words := 0
	rest := owner
	for len(rest) > 0 {
		w, r, _ := bytes.Cut(rest, []byte{' '})
		rest = r
		if len(w) == 0 {
			continue
		}
		words++
		if !containsWord(name, w) {
			return false
		}
	}
	if words < 2 {
		return false
	}
	nameWords := bytes.Count(name, []byte{' '}) - 1
	return nameWords <= words+1
}

// containsWord reports whether the normalised text holds w as a word.
func containsWord(text, w []byte) bool {
	for i := 0; ; {
		j := bytes.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		if j > 0 && text[j-1] == ' ' && j+len(w) < len(text) && text[j+len(w)] == ' ' {
			return true
		}
		i = j + 1
	}
}
