package analysis

import (
	"fmt"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// Period limits a report to whole calendar months. A zero From starts at
// the month of the oldest booked transaction, a zero To ends at the month
// of the newest.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// span is the range of months a report covers and the days balances are
// known for.
type span struct {
	from, to month // inclusive
	oldest   day   // oldest booked transaction
	newest   day   // newest booked transaction
	empty    bool  // no month at all
}

// spanOf returns the months of p, filling in its zero ends from the
// booked transactions of the accounts.
func spanOf(accounts []kontor.Account, p Period) span {
	var s span
	seen := false
	for i := range accounts {
		for j := range accounts[i].Transactions {
			tx := &accounts[i].Transactions[j]
			if !booked(tx) {
				continue
			}
			d := dayOf(tx.BookingDate.Time)
			if !seen || d < s.oldest {
				s.oldest = d
			}
			if !seen || d > s.newest {
				s.newest = d
			}
			seen = true
		}
	}
	switch {
	case !p.From.IsZero():
		s.from = monthOf(p.From)
	case seen:
		s.from = monthOfDay(s.oldest)
	}
	switch {
	case !p.To.IsZero():
		s.to = monthOf(p.To)
	case seen:
		s.to = monthOfDay(s.newest)
	}
	if !seen {
		if p.From.IsZero() || p.To.IsZero() {
			s.empty = true
		}
		s.oldest = s.from.first()
		s.newest = s.to.last()
	}
	s.empty = s.empty || s.to < s.from
	return s
}

// months returns the number of months of the span.
func (s span) months() int {
	if s.empty {
		return 0
	}
	return int(s.to-s.from) + 1
}

// index returns the month index of d in the span, or -1.
func (s span) index(d day) int {
	if s.empty {
		return -1
	}
	m := monthOfDay(d)
	if m < s.from || m > s.to {
		return -1
	}
	return int(m - s.from)
}

// booked reports whether tx counts for reports: booked, dated and of a
// known amount.
func booked(tx *kontor.Transaction) bool {
	return tx.Booked && !tx.BookingDate.IsZero()
}

// isCurrentAccount reports whether overdraft days are counted for an
// account: giro accounts and accounts of unknown type.
func isCurrentAccount(a *kontor.Account) bool {
	return a.Type == "" || strings.Contains(strings.ToUpper(a.Type), "GIRO") ||
		strings.EqualFold(a.Type, "CHECKING") || strings.EqualFold(a.Type, "CURRENT")
}

// isCashAccount reports whether an account holds money the liquidity
// report counts: every account but depots, loans and credit cards.
func isCashAccount(a *kontor.Account) bool {
	switch strings.ToUpper(a.Type) {
	case kontor.AccountDepot, kontor.AccountLoan, kontor.AccountCreditCard:
		return false
	}
	return true
}

// balances are the end-of-day balances of an account from day first on.
type balances struct {
	first day
	end   []kontor.Amount
}

// at returns the balance at the end of day d, which must be in range.
func (b *balances) at(d day) kontor.Amount { return b.end[d-b.first] }

// dailyBalances reconstructs the end-of-day balances of an account from
// day first to day last: the account's balance is taken to be the balance
// at the end of day last or of its newest booked transaction, whichever is
// later, and every booked transaction is taken back out of it, newest
// first. Before its oldest transaction the balance stays what it was then.
func dailyBalances(a *kontor.Account, first, last day) (*balances, error) {
	end := last
	for i := range a.Transactions {
		tx := &a.Transactions[i]
		if booked(tx) {
			end = max(end, dayOf(tx.BookingDate.Time))
		}
	}
	if end < first {
		end = first
	}
	flow := make([]kontor.Amount, end-first+1)
	for i := range a.Transactions {
		tx := &a.Transactions[i]
		if !booked(tx) {
			continue
		}
		d := dayOf(tx.BookingDate.Time)
		if d <= first {
			continue // changes the balance before the first day only
		}
		v, err := flow[d-first].Add(tx.Amount)
		if err != nil {
			return nil, fmt.Errorf("balance of account %s: %w", a.ID, err)
		}
		flow[d-first] = v
	}
	b := &balances{first: first, end: make([]kontor.Amount, last-first+1)}
	bal := a.Balance
	for d := end; d >= first; d-- {
		if d <= last {
			b.end[d-first] = bal
		}
		if d > first {
			var err error
			if bal, err = bal.Sub(flow[d-first]); err != nil {
				return nil, fmt.Errorf("balance of account %s: %w", a.ID, err)
			}
		}
	}
	return b, nil
}

// total accumulates exact amounts and keeps the first error.
type total struct {
	sum kontor.Amount
	err error
}

func (t *total) add(a kontor.Amount) {
	if t.err == nil {
		t.sum, t.err = t.sum.Add(a)
	}
}

// homeCountry returns the country most of the accounts' IBANs are from,
// "DE" if none has one.
func homeCountry(accounts []kontor.Account) string {
	count := map[string]int{}
	best, n := "DE", 0
	for i := range accounts {
		c := CountryOf(accounts[i].IBAN, "")
		if c == "" {
			continue
		}
		count[c]++
		if count[c] > n {
			best, n = c, count[c]
		}
	}
	return best
}
