package segment

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// HKSAL asks for an account balance (versions 5–8; the account is a KTV
// up to version 6 and a KTI from version 7).
type HKSAL struct {
	Version     int
	Account     Account
	AllAccounts bool
	MaxEntries  int
	Touchdown   string
}

// Segment builds the HKSAL segment.
func (h HKSAL) Segment() wire.Segment {
	s := wire.NewSegment("HKSAL", h.Version)
	s.Add(h.Account.account(h.Version, 7)...)
	s.Add(wire.Bool(h.AllAccounts))
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKSAL reads an HKSAL segment.
func DecodeHKSAL(s wire.Segment) (HKSAL, error) {
	if err := checkType(s, "HKSAL"); err != nil {
		return HKSAL{}, err
	}
	r := newReader(s)
	h := HKSAL{
		Version:     s.Header.Version,
		Account:     readAccount(r.el(0), s.Header.Version, 7),
		AllAccounts: r.el(1).bool(0),
		MaxEntries:  r.el(2).int(0),
		Touchdown:   r.el(3).val(0).String(),
	}
	return h, r.done()
}

// HISAL is a balance answer (versions 5–8). Balances are signed: a debit
// balance is negative.
type HISAL struct {
	Version    int
	Ref        int
	Account    Account
	Product    string
	Currency   string
	Booked     Balance
	Pending    *Balance
	CreditLine *Money
	Available  *Money
	Used       *Money
	Overdraft  *Money // version 6 on
	BookedAt   time.Time
	Due        time.Time
}

// Segment builds the HISAL segment.
func (h HISAL) Segment() wire.Segment {
	s := wire.NewSegment("HISAL", h.Version)
	s.Header.Ref = h.Ref
	s.Add(h.Account.account(h.Version, 7)...)
	s.Add(wire.Text(h.Product))
	s.Add(wire.Text(h.Currency))
	s.Add(h.Booked.values()...)
	s.Add(balanceValues(h.Pending)...)
	s.Add(moneyValues(h.CreditLine)...)
	s.Add(moneyValues(h.Available)...)
	s.Add(moneyValues(h.Used)...)
	if h.Version <= 5 {
		s.Add(optDate(h.BookedAt))
		s.Add(optClock(h.BookedAt))
	} else {
		s.Add(moneyValues(h.Overdraft)...)
		s.Add(optDate(h.BookedAt), optClock(h.BookedAt))
	}
	s.Add(optDate(h.Due))
	return s
}

// DecodeHISAL reads an HISAL segment.
func DecodeHISAL(s wire.Segment) (HISAL, error) {
	if err := checkType(s, "HISAL"); err != nil {
		return HISAL{}, err
	}
	r := newReader(s)
	v := s.Header.Version
	h := HISAL{
		Version:    v,
		Ref:        s.Header.Ref,
		Account:    readAccount(r.el(0), v, 7),
		Product:    r.el(1).text(0),
		Currency:   r.el(2).text(0),
		Pending:    readBalance(r.el(4)),
		CreditLine: readMoney(r.el(5)),
		Available:  readMoney(r.el(6)),
		Used:       readMoney(r.el(7)),
	}
	r.el(3).need(1)
	if b := readBalance(r.el(3)); b != nil {
		h.Booked = *b
	}
	if v <= 5 {
		h.BookedAt = joinDateTime(r.el(8), r.el(9))
		h.Due = r.el(10).date(0)
	} else {
		h.Overdraft = readMoney(r.el(8))
		h.BookedAt = r.el(9).dateTime(0)
		h.Due = r.el(10).date(0)
	}
	return h, r.done()
}

// joinDateTime reads a date and a time kept in two separate elements.
func joinDateTime(date, clock vals) time.Time {
	if date.empty(0) {
		return time.Time{}
	}
	t, err := wire.DateTime(date.val(0), clock.val(0), nil)
	if err != nil {
		date.fail(0, err)
	}
	return t
}

// optClock returns the tim value of t, or Empty for the zero time.
func optClock(t time.Time) wire.Value {
	if t.IsZero() {
		return wire.Empty
	}
	return wire.Time(t)
}
