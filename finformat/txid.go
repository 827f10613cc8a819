package finformat

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// TransactionID derives a transaction's ID from its content, so that the
// same transaction gets the same ID on every sync: 24 lowercase hex
// characters (the first 96 bits of a SHA-256), the shape of other Kontor
// IDs.
//
// The content is the account (any stable key of it, such as the IBAN), the
// booking date (day), the amount (numerically: 12.5 and 12.50 are equal), the
// currency, the counterpart IBAN and name, the purpose, the bank reference,
// and occurrence: 0 for the first of several transactions that agree in all
// of these, 1 for the second, and so on. Names and purposes are compared
// with runs of white space collapsed and case ignored. Whether the
// transaction is booked is not part of it.
func TransactionID(account string, b *Booking, occurrence int) string {
	h := sha256.New()
	h.Write([]byte(fingerprint(account, b)))
	h.Write([]byte(strconv.Itoa(occurrence)))
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// fingerprint is the content TransactionID hashes, without the occurrence.
func fingerprint(account string, b *Booking) string {
	parts := []string{
		"kontor-tx-1",
		normKey(account),
		dayKey(b.BookingDate.Time),
		amountKey(b.Amount),
		strings.ToUpper(strings.TrimSpace(b.Currency)),
		normKey(b.CounterPart.IBAN),
		normText(b.CounterPart.Name),
		normText(b.Purpose),
		strings.TrimSpace(b.BankRef),
	}
	var s strings.Builder
	for _, p := range parts {
		// Length-prefixed, so that no two contents give the same string.
		s.WriteString(strconv.Itoa(len(p)))
		s.WriteByte(':')
		s.WriteString(p)
	}
	return s.String()
}

// AssignIDs sets the ID of every booking with [TransactionID], counting
// occurrences of identical content in slice order. Pass all bookings of one
// account from one sync (booked and pending together), so that twins, which
// always share a booking day and thus a sync window, keep their numbers.
func AssignIDs(account string, bs []Booking) {
	seen := map[string]int{}
	for i := range bs {
		fp := fingerprint(account, &bs[i])
		bs[i].ID = TransactionID(account, &bs[i], seen[fp])
		seen[fp]++
	}
}

// PendingMatchWindow is how far apart the value dates of a pending
// transaction and its booking may be: banks book a few business days after
// announcing, and weekends and holidays lie between.
const PendingMatchWindow = 5 * 24 * time.Hour

// MatchPending finds the pending transaction that the booked transaction
// settles, and returns its index in pending, or -1. The rule:
//
//   - same account (AccountID) and currency;
//   - the same amount, numerically;
//   - the same counterpart: equal IBANs when both have one, equal names
//     (white space collapsed, case ignored) otherwise;
//   - the same purpose (white space collapsed, case ignored);
//   - value dates (booking dates when there is no value date) at most
//     [PendingMatchWindow] apart.
//
// Of several candidates the one with the nearest date wins, the first on a
// tie. Entries of pending that are booked are skipped. The caller removes a
// matched pending transaction from further matching and keeps its stored
// ID for the booked transaction, so that the transaction is updated rather
// than duplicated.
func MatchPending(booked kontor.Transaction, pending []kontor.Transaction) int {
	best, bestDist := -1, time.Duration(0)
	for i := range pending {
		p := &pending[i]
		if p.Booked || !samePending(&booked, p) {
			continue
		}
		dist := matchDate(&booked).Sub(matchDate(p))
		if dist < 0 {
			dist = -dist
		}
		if dist > PendingMatchWindow {
			continue
		}
		if best < 0 || dist < bestDist {
			best, bestDist = i, dist
		}
	}
	return best
}

func samePending(b, p *kontor.Transaction) bool {
	if b.AccountID != p.AccountID || !strings.EqualFold(b.Currency, p.Currency) || !b.Amount.Equal(p.Amount) {
		return false
	}
	bi, pi := normKey(b.CounterPart.IBAN), normKey(p.CounterPart.IBAN)
	if bi != "" && pi != "" {
		if bi != pi {
			return false
		}
	} else if normText(b.CounterPart.Name) != normText(p.CounterPart.Name) {
		return false
	}
	return normText(b.Purpose) == normText(p.Purpose)
}

func matchDate(t *kontor.Transaction) time.Time {
	if !t.ValueDate.IsZero() {
		return day(t.ValueDate.Time)
	}
	return day(t.BookingDate.Time)
}

// normKey removes all white space and upper-cases (IBANs, account keys).
func normKey(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// normText collapses white space and upper-cases.
func normText(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), " "))
}

func dayKey(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

func amountKey(a kontor.Amount) string {
	return a.Decimal().Trim(0).String()
}
