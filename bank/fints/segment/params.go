package segment

import (
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// paramReader reads the parameter group of a Params value.
func (p Params) reader() (vals, *reader) {
	seg := wire.Segment{Header: wire.Header{Type: p.Type, Version: p.Version, Ref: p.Ref}, Elements: []wire.Element{p.Params}}
	r := newReader(seg)
	return r.el(0), r
}

// StatementParams are the parameters of HIKAZS (MT940 transactions).
type StatementParams struct {
	RetentionDays      int
	MaxEntriesAllowed  bool
	AllAccountsAllowed bool // version 5 on
}

// Statement reads p as HIKAZS parameters.
func (p Params) Statement() (StatementParams, error) {
	v, r := p.reader()
	sp := StatementParams{RetentionDays: v.int(0), MaxEntriesAllowed: v.bool(1), AllAccountsAllowed: v.bool(2)}
	return sp, r.done()
}

// Element builds the HIKAZS parameter group for the given version.
func (sp StatementParams) Element(version int) wire.Element {
	e := wire.Element{wire.Num(sp.RetentionDays), wire.Bool(sp.MaxEntriesAllowed)}
	if version >= 5 {
		e = append(e, wire.Bool(sp.AllAccountsAllowed))
	}
	return e
}

// CamtParams are the parameters of HICAZS (camt transactions).
type CamtParams struct {
	RetentionDays      int
	MaxEntriesAllowed  bool
	AllAccountsAllowed bool
	// Formats are the camt descriptors the bank supports.
	Formats []string
}

// Camt reads p as HICAZS parameters.
func (p Params) Camt() (CamtParams, error) {
	v, r := p.reader()
	cp := CamtParams{RetentionDays: v.int(0), MaxEntriesAllowed: v.bool(1), AllAccountsAllowed: v.bool(2), Formats: v.texts(3)}
	return cp, r.done()
}

// Element builds the HICAZS parameter group.
func (cp CamtParams) Element() wire.Element {
	e := wire.Element{wire.Num(cp.RetentionDays), wire.Bool(cp.MaxEntriesAllowed), wire.Bool(cp.AllAccountsAllowed)}
	return append(e, texts(cp.Formats)...)
}

// SEPAParams are the parameters of HISPAS.
type SEPAParams struct {
	SingleAccount     bool
	NationalAccount   bool
	StructuredPurpose bool
	MaxEntriesAllowed bool // version 2 on
	ReservedPurpose   int  // version 3 on
	// Formats are the SEPA (pain) descriptors the bank supports.
	Formats []string
}

// SEPA reads p as HISPAS parameters.
func (p Params) SEPA() (SEPAParams, error) {
	v, r := p.reader()
	sp := SEPAParams{SingleAccount: v.bool(0), NationalAccount: v.bool(1), StructuredPurpose: v.bool(2)}
	next := 3
	if p.Version >= 2 {
		sp.MaxEntriesAllowed = v.bool(3)
		next = 4
	}
	if p.Version >= 3 {
		sp.ReservedPurpose = v.int(4)
		next = 5
	}
	sp.Formats = v.texts(next)
	return sp, r.done()
}

// Element builds the HISPAS parameter group for the given version.
func (sp SEPAParams) Element(version int) wire.Element {
	e := wire.Element{wire.Bool(sp.SingleAccount), wire.Bool(sp.NationalAccount), wire.Bool(sp.StructuredPurpose)}
	if version >= 2 {
		e = append(e, wire.Bool(sp.MaxEntriesAllowed))
	}
	if version >= 3 {
		e = append(e, wire.Num(sp.ReservedPurpose))
	}
	return append(e, texts(sp.Formats)...)
}

// HoldingsParams are the parameters of HIWPDS.
type HoldingsParams struct {
	CurrencySelectable     bool
	PriceQualitySelectable bool
	MaxEntriesAllowed      bool
}

// Holdings reads p as HIWPDS parameters.
func (p Params) Holdings() (HoldingsParams, error) {
	v, r := p.reader()
	hp := HoldingsParams{CurrencySelectable: v.bool(0), PriceQualitySelectable: v.bool(1), MaxEntriesAllowed: v.bool(2)}
	return hp, r.done()
}

// Element builds the HIWPDS parameter group.
func (hp HoldingsParams) Element() wire.Element {
	return wire.Element{wire.Bool(hp.CurrencySelectable), wire.Bool(hp.PriceQualitySelectable), wire.Bool(hp.MaxEntriesAllowed)}
}

// StandingOrderParams are the parameters of HICDBS.
type StandingOrderParams struct {
	MaxEntriesAllowed bool
}

// StandingOrders reads p as HICDBS parameters.
func (p Params) StandingOrders() (StandingOrderParams, error) {
	v, r := p.reader()
	return StandingOrderParams{MaxEntriesAllowed: v.bool(0)}, r.done()
}
