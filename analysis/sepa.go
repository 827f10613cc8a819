package analysis

import "strings"

// Purposes taken from MT940 often still hold the SEPA tags of the
// structured :86: field, e.g.
//
//	EREF+NOTPROVIDED MREF+KV-0815 CRED+DE12ZZZ00000012345 SVWZ+Beitrag 01/2026
//
// Only the human parts (the text before the first tag, SVWZ+, ABWA+,
// ABWE+) are matched against keywords; mandate reference, creditor ID and
// purpose code are taken from their tags when the transaction's own fields
// are empty.

// sepaTag identifies a SEPA tag.
type sepaTag uint8

const (
	tagNone  sepaTag = iota
	tagHuman         // SVWZ, ABWA, ABWE: remittance text and ultimate parties
	tagMRef
	tagCred
	tagPurp
	tagOther // references and amounts: EREF, KREF, DEBT, COAM, OAMT, IBAN, BIC, RREF, BREF
)

// tagBefore returns the tag that ends with the '+' at purpose[plus] and the
// tag's length.
func tagBefore(purpose string, plus int) (sepaTag, int) {
	if plus >= 4 {
		switch purpose[plus-4 : plus] {
		case "SVWZ", "ABWA", "ABWE":
			return tagHuman, 4
		case "MREF":
			return tagMRef, 4
		case "CRED":
			return tagCred, 4
		case "PURP":
			return tagPurp, 4
		case "EREF", "KREF", "DEBT", "COAM", "OAMT", "IBAN", "RREF", "BREF":
			return tagOther, 4
		}
	}
	if plus >= 3 && purpose[plus-3:plus] == "BIC" {
		return tagOther, 3
	}
	return tagNone, 0
}

// sepaIDs are the identifiers found in the tags of a purpose; they are
// substrings of it.
type sepaIDs struct {
	mref, cred, purp string
}

// addPurpose appends the human parts of purpose to n and returns the
// identifiers found in its tags.
func addPurpose(n *normalizer, purpose string) (ids sepaIDs) {
	if strings.IndexByte(purpose, '+') < 0 {
		n.add(purpose)
		return ids
	}
	cur, start := tagHuman, 0 // text before the first tag is human
	emit := func(end int) {
		v := purpose[start:end]
		switch cur {
		case tagHuman:
			n.add(v)
		case tagMRef:
			ids.mref = strings.TrimSpace(v)
		case tagCred:
			ids.cred = strings.TrimSpace(v)
		case tagPurp:
			ids.purp = strings.TrimSpace(v)
		}
	}
	for i := 0; i < len(purpose); i++ {
		if purpose[i] != '+' {
			continue
		}
		tag, l := tagBefore(purpose, i)
		if tag == tagNone || i-l < start {
			continue
		}
		emit(i - l)
		cur, start = tag, i+1
	}
	emit(len(purpose))
	return ids
}
