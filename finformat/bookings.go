package finformat

import (
	"strings"

	"github.com/kontor-dev/kontor"
)

// Booking is a transaction read from a statement: the domain transaction
// and the references the statement carries beside it, which
// [TransactionID] uses.
type Booking struct {
	kontor.Transaction
	// BankRef is the bank's own reference: the :61: bank reference (after
	// "//") in MT940, AcctSvcrRef in camt.
	BankRef string `json:"bankRef,omitempty"`
	// EndToEndRef is the SEPA end-to-end reference, "" when the originator
	// gave none ("NOTPROVIDED").
	EndToEndRef string `json:"endToEndRef,omitempty"`
}

// MT940Bookings converts statement entries to transactions, in order.
// booked is true for MT940 (HIKAZ booked part) and false for MT942
// (pending). Transaction IDs are left empty; see [AssignIDs].
//
// Mapping: amount signed by the mark (D and RC negative); booking date the
// entry date, or the value date when the entry has none; currency the
// statement's; Purpose the SVWZ+ text, or the purpose text before the first
// SEPA tag when there is no SVWZ+ (the whole purpose when it has no tags);
// MRef MREF+; counterpart name ?32/?33, IBAN ?31 (or IBAN+), BIC ?30 (or
// BIC+), creditor ID CRED+; Codes the GVC as "transactionCode", the
// primanota (?10) as "primanota" and PURP+ as "purposeCode".
//
// A zero-amount entry that repeats the previous entry's dates, references,
// GVC and primanota is the continuation of an over-long purpose (seen at
// some Sparkassen) and is merged into its predecessor.
func MT940Bookings(stmts []Statement, booked bool) []Booking {
	var out []Booking
	for si := range stmts {
		s := &stmts[si]
		currency := s.Currency()
		var prev *Entry
		var merged Entry
		flush := func() {
			if prev != nil {
				out = append(out, entryBooking(prev, currency, booked))
			}
		}
		for i := range s.Entries {
			e := &s.Entries[i]
			if prev != nil && isContinuation(prev, e) {
				merged = *prev
				info := *prev.Info
				info.Subfields = append(append([]Subfield(nil), prev.Info.Subfields...), purposeSubfields(e.Info)...)
				merged.Info = &info
				prev = &merged
				continue
			}
			flush()
			prev = e
		}
		flush()
	}
	return out
}

// isContinuation reports whether e continues prev's purpose.
func isContinuation(prev, e *Entry) bool {
	if !e.Amount.IsZero() || prev.Info == nil || e.Info == nil || !prev.Info.Structured() || !e.Info.Structured() {
		return false
	}
	if !e.ValueDate.Equal(prev.ValueDate) || !e.EntryDate.Equal(prev.EntryDate) ||
		e.CustomerRef != prev.CustomerRef || e.BankRef != prev.BankRef || e.Info.GVC != prev.Info.GVC {
		return false
	}
	return e.Info.Details().Primanota == prev.Info.Details().Primanota
}

func purposeSubfields(in *Info) []Subfield {
	var out []Subfield
	for _, sf := range in.Subfields {
		if isPurposeCode(sf.Code) {
			out = append(out, sf)
		}
	}
	return out
}

func entryBooking(e *Entry, currency string, booked bool) Booking {
	var d Details
	if e.Info != nil {
		d = e.Info.Details()
	}
	bookingDate := e.EntryDate
	if bookingDate.IsZero() {
		bookingDate = e.ValueDate
	}
	tx := kontor.Transaction{
		BookingDate: timestamp(bookingDate),
		ValueDate:   timestamp(e.ValueDate),
		Currency:    currency,
		MRef:        d.SEPA.MandateRef,
		Purpose:     purposeOf(&d.SEPA),
		Booked:      booked,
		Amount:      e.Signed(),
		CounterPart: kontor.CounterPart{
			BIC:        firstOf(looksLikeBIC, d.BankID, d.SEPA.BIC),
			IBAN:       firstOf(looksLikeIBAN, d.AccountID, d.SEPA.IBAN),
			CreditorID: d.SEPA.CreditorID,
			Name:       d.Name,
		},
		Tags:  []kontor.Tag{},
		Codes: codes(d.GVC, d.Primanota, d.SEPA.PurposeCode),
	}
	eref := d.SEPA.EndToEndRef
	if strings.EqualFold(eref, "NOTPROVIDED") {
		eref = ""
	}
	return Booking{Transaction: tx, BankRef: e.BankRef, EndToEndRef: eref}
}

// purposeOf returns the purpose a person reads: SVWZ+ or the untagged text.
func purposeOf(s *SEPA) string {
	if s.Remittance != "" {
		return s.Remittance
	}
	return s.Free
}

// codes builds a transaction's codes.
func codes(gvc, primanota, purposeCode string) []kontor.Code {
	out := []kontor.Code{}
	if gvc != "" {
		out = append(out, kontor.Code{Type: kontor.CodeTransaction, Value: gvc})
	}
	if primanota != "" {
		out = append(out, kontor.Code{Type: kontor.CodePrimanota, Value: primanota})
	}
	if purposeCode != "" {
		out = append(out, kontor.Code{Type: kontor.CodePurpose, Value: purposeCode})
	}
	return out
}

// codeOf returns the value of the first code of the type.
func codeOf(cs []kontor.Code, typ string) string {
	for _, c := range cs {
		if c.Type == typ {
			return c.Value
		}
	}
	return ""
}

func firstOf(ok func(string) bool, vs ...string) string {
	for _, v := range vs {
		if ok(v) {
			return v
		}
	}
	return ""
}

// looksLikeIBAN reports whether s has the shape of an IBAN: country letters,
// check digits and 11 to 30 letters or digits.
func looksLikeIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !isUpper(s[0]) || !isUpper(s[1]) || !isDigit(s[2]) || !isDigit(s[3]) {
		return false
	}
	for i := 4; i < len(s); i++ {
		if !isDigit(s[i]) && !isUpper(s[i]) {
			return false
		}
	}
	return true
}

// looksLikeBIC reports whether s has the shape of a BIC: four letters of
// bank, two of country, two of location and an optional branch of three.
func looksLikeBIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch {
		case i < 6 && !isUpper(s[i]):
			return false
		case i >= 6 && !isUpper(s[i]) && !isDigit(s[i]):
			return false
		}
	}
	return true
}
