package segment

import (
	"time"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// HKCDB asks for the SEPA standing orders of an account (version 1).
type HKCDB struct {
	Version int
	Account Account
	// Formats are the pain.001 descriptors the client accepts.
	Formats    []string
	OrderID    string
	MaxEntries int
	Touchdown  string
}

// Segment builds the HKCDB segment.
func (h HKCDB) Segment() wire.Segment {
	s := wire.NewSegment("HKCDB", h.Version)
	s.Add(h.Account.kti()...)
	s.Add(texts(h.Formats)...)
	s.Add(wire.Text(h.OrderID))
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKCDB reads an HKCDB segment.
func DecodeHKCDB(s wire.Segment) (HKCDB, error) {
	if err := checkType(s, "HKCDB"); err != nil {
		return HKCDB{}, err
	}
	r := newReader(s)
	h := HKCDB{
		Version:    s.Header.Version,
		Account:    readKTI(r.el(0)),
		Formats:    r.el(1).texts(0),
		OrderID:    r.el(2).text(0),
		MaxEntries: r.el(3).int(0),
		Touchdown:  r.el(4).val(0).String(),
	}
	return h, r.done()
}

// Schedule is the standing-order details group of HICDB.
type Schedule struct {
	FirstExecution time.Time
	// Unit is "M" (monthly) or "W" (weekly).
	Unit string
	// Interval counts units between executions (1, 3, 6, 12, …).
	Interval int
	// Day is the execution day: 1–30 (monthly) or 1–7 (weekly); 97–99
	// are month-end variants.
	Day           int
	LastExecution time.Time
}

// HICDB is one standing order (version 1). Amount, creditor and purpose
// live only inside the pain.001 document.
type HICDB struct {
	Version  int
	Ref      int
	Account  Account
	Format   string
	Pain     []byte
	OrderID  string
	Schedule Schedule
	// CanChange, CanSuspend and CanDelete are the bank's permissions.
	CanChange, CanSuspend, CanDelete bool
}

// Segment builds the HICDB segment.
func (h HICDB) Segment() wire.Segment {
	s := wire.NewSegment("HICDB", h.Version)
	s.Header.Ref = h.Ref
	s.Add(h.Account.kti()...)
	s.Add(wire.Text(h.Format))
	s.Add(wire.Binary(h.Pain))
	s.Add(wire.Text(h.OrderID))
	sc := h.Schedule
	s.Add(optDate(sc.FirstExecution), wire.Text(sc.Unit), optNum(sc.Interval), optNum(sc.Day), optDate(sc.LastExecution))
	s.Add() // suspension
	s.Add(wire.Bool(h.CanChange))
	s.Add(wire.Bool(h.CanSuspend))
	s.Add(wire.Bool(h.CanDelete))
	return s
}

// DecodeHICDB reads an HICDB segment.
func DecodeHICDB(s wire.Segment) (HICDB, error) {
	if err := checkType(s, "HICDB"); err != nil {
		return HICDB{}, err
	}
	r := newReader(s)
	d := r.el(4)
	h := HICDB{
		Version: s.Header.Version,
		Ref:     s.Header.Ref,
		Account: readKTI(r.el(0)),
		Format:  r.el(1).text(0),
		Pain:    r.el(2).bin(0),
		OrderID: r.el(3).val(0).String(),
		Schedule: Schedule{
			FirstExecution: d.date(0),
			Unit:           d.text(1),
			Interval:       d.int(2),
			Day:            d.int(3),
			LastExecution:  d.date(4),
		},
		CanChange:  r.el(6).bool(0),
		CanSuspend: r.el(7).bool(0),
		CanDelete:  r.el(8).bool(0),
	}
	return h, r.done()
}
