package fintsbank

import (
	"fmt"
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/sandbox"
	"github.com/kontor-dev/kontor/finformat"
)

// dataCache keeps the generated data of the most recently used logins and
// days, so that the many dialogs of one client (and the many pages of a
// large history) do not regenerate it.
type dataCache struct {
	mu    sync.Mutex
	max   int
	order []string
	items map[string]*cacheItem
}

type cacheItem struct {
	once sync.Once
	data []sandbox.AccountData
}

func newDataCache(max int) *dataCache {
	return &dataCache{max: max, items: map[string]*cacheItem{}}
}

// get returns sandbox.Generate(login, asOf), generating it at most once
// per login and day while it stays in the cache. The result is shared:
// callers must not modify it.
func (c *dataCache) get(login string, asOf time.Time) []sandbox.AccountData {
	key := login + "|" + asOf.UTC().Format(time.DateOnly)
	c.mu.Lock()
	it, ok := c.items[key]
	if !ok {
		it = &cacheItem{}
		c.items[key] = it
		c.order = append(c.order, key)
		if len(c.order) > c.max {
			delete(c.items, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.mu.Unlock()
	it.once.Do(func() { it.data = sandbox.Generate(login, asOf) })
	return it.data
}

// inRange returns the booked transactions of txs with a booking day in
// [from, to] (zero bounds are open) and the booked balance before them.
func inRange(a sandbox.AccountData, from, to time.Time) (kontor.Amount, []kontor.Transaction, error) {
	opening := a.OpeningBalance
	var out []kontor.Transaction
	for _, tx := range a.Transactions {
		if !tx.Booked {
			continue
		}
		d := dayOf(tx.BookingDate.Time)
		if !from.IsZero() && d.Before(from) {
			var err error
			if opening, err = opening.Add(tx.Amount); err != nil {
				return kontor.Amount{}, nil, fmt.Errorf("opening balance: %w", err)
			}
			continue
		}
		if !to.IsZero() && d.After(to) {
			continue
		}
		out = append(out, tx)
	}
	return opening, out, nil
}

// pending returns the pending transactions of an account.
func pending(a sandbox.AccountData) []kontor.Transaction {
	var out []kontor.Transaction
	for _, tx := range a.Transactions {
		if !tx.Booked {
			out = append(out, tx)
		}
	}
	return out
}

// dayOf returns the calendar day of t in UTC at midnight.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// accountRef describes an account for the statement generators.
func accountRef(a kontor.Account) finformat.AccountRef {
	ref := finformat.AccountRef{BankCode: sandbox.BankCode, Number: a.Number, IBAN: a.IBAN, Currency: a.Currency, Owner: a.Owner}
	if a.IBAN != "" {
		ref.BIC = sandbox.BIC
	}
	return ref
}

// listing is the full answer of a paged transaction job, built once per
// dialog and served page by page.
type listing struct {
	// units are the statements (MT940) or documents (camt) in order, with
	// the number of entries of each.
	mt940   []finformat.Statement
	camt    []finformat.CamtDocument
	entries []int
	// pending is the MT942 or camt document of pending transactions; nil
	// when there are none (or the range ends before today).
	pending []byte
}

// units returns the number of pageable units.
func (l *listing) units() int { return len(l.entries) }

// maxCamtDocuments is how many camt documents one HICAZ may carry: the
// booked element repeats at most 99 times.
const maxCamtDocuments = 99

// page returns the units [start, end) of the page starting at start: as
// many whole units as fit maxEntries, at least one, and for camt at most
// maxCamtDocuments.
func (l *listing) page(start, maxEntries int) (end int) {
	n := 0
	end = start
	for end < len(l.entries) {
		if end > start && n+l.entries[end] > maxEntries {
			break
		}
		if l.camt != nil && end-start >= maxCamtDocuments {
			break
		}
		n += l.entries[end]
		end++
	}
	return end
}

// mt940Listing builds the MT940 statements (one per booking day) of an
// account's booked transactions in [from, to], and the MT942 of its
// pending ones when the range reaches today.
func mt940Listing(a sandbox.AccountData, from, to, now time.Time) (*listing, error) {
	opening, txs, err := inRange(a, from, to)
	if err != nil {
		return nil, err
	}
	ref := accountRef(a.Account)
	stmts, err := finformat.NewMT940Statements(ref, opening, txs)
	if err != nil {
		return nil, err
	}
	l := &listing{mt940: stmts}
	for _, s := range stmts {
		l.entries = append(l.entries, len(s.Entries))
	}
	if p := pending(a); len(p) > 0 && (to.IsZero() || !to.Before(dayOf(now))) {
		s, err := finformat.NewMT942Statement(ref, p, now)
		if err != nil {
			return nil, err
		}
		if l.pending, err = finformat.GenerateMT940([]finformat.Statement{s}, finformat.GenerateOptions{}); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// camtListing builds the camt.052 documents (one per booking day) of an
// account's booked transactions in [from, to], and one of its pending
// ones when the range reaches today.
func camtListing(a sandbox.AccountData, version string, from, to, now time.Time) (*listing, error) {
	opening, txs, err := inRange(a, from, to)
	if err != nil {
		return nil, err
	}
	ref := accountRef(a.Account)
	docs, err := finformat.NewCamtReports(ref, version, opening, txs, now)
	if err != nil {
		return nil, err
	}
	l := &listing{camt: docs}
	for _, d := range docs {
		n := 0
		for _, r := range d.Reports {
			n += len(r.Entries)
		}
		l.entries = append(l.entries, n)
	}
	if p := pending(a); len(p) > 0 && (to.IsZero() || !to.Before(dayOf(now))) {
		doc, err := finformat.NewCamtPending(ref, version, p, now)
		if err != nil {
			return nil, err
		}
		if l.pending, err = finformat.GenerateCamt(doc); err != nil {
			return nil, err
		}
	}
	return l, nil
}
