package segment

import "github.com/kontor-dev/kontor/bank/fints/wire"

// HKSPA asks for the SEPA account list (versions 1–3). No accounts means
// all accounts of the user.
type HKSPA struct {
	Version  int
	Accounts []Account
	// MaxEntries and Touchdown are used from version 2 on.
	MaxEntries int
	Touchdown  string
}

// Segment builds the HKSPA segment.
func (h HKSPA) Segment() wire.Segment {
	s := wire.NewSegment("HKSPA", h.Version)
	if h.Version <= 1 {
		for _, a := range h.Accounts {
			s.Add(a.ktv()...)
		}
		return s
	}
	if len(h.Accounts) > 0 {
		s.Add(h.Accounts[0].ktv()...)
	} else {
		s.Add()
	}
	s.Add(optNum(h.MaxEntries))
	s.Add(wire.Text(h.Touchdown))
	return s
}

// DecodeHKSPA reads an HKSPA segment.
func DecodeHKSPA(s wire.Segment) (HKSPA, error) {
	if err := checkType(s, "HKSPA"); err != nil {
		return HKSPA{}, err
	}
	r := newReader(s)
	h := HKSPA{Version: s.Header.Version}
	last := len(s.Elements)
	if h.Version >= 2 {
		last = min(last, 1)
		h.MaxEntries = r.el(1).int(0)
		h.Touchdown = r.el(2).val(0).String()
	}
	for i := range last {
		if v := r.el(i); !v.e.IsEmpty() {
			h.Accounts = append(h.Accounts, readKTV(v))
		}
	}
	return h, r.done()
}

// SEPAAccount is one entry (KTZ) of HISPA.
type SEPAAccount struct {
	// SEPA reports whether the account takes part in SEPA payments;
	// depots come back as false.
	SEPA    bool
	Account Account
}

// HISPA is the SEPA account list (versions 1–3).
type HISPA struct {
	Version  int
	Ref      int
	Accounts []SEPAAccount
}

// Segment builds the HISPA segment.
func (h HISPA) Segment() wire.Segment {
	s := wire.NewSegment("HISPA", h.Version)
	s.Header.Ref = h.Ref
	for _, a := range h.Accounts {
		s.Add(append([]wire.Value{wire.Bool(a.SEPA)}, a.Account.kti()...)...)
	}
	return s
}

// DecodeHISPA reads an HISPA segment.
func DecodeHISPA(s wire.Segment) (HISPA, error) {
	if err := checkType(s, "HISPA"); err != nil {
		return HISPA{}, err
	}
	r := newReader(s)
	h := HISPA{Version: s.Header.Version, Ref: s.Header.Ref}
	for i := range s.Elements {
		v := r.el(i)
		if v.e.IsEmpty() {
			continue
		}
		h.Accounts = append(h.Accounts, SEPAAccount{SEPA: v.bool(0), Account: readKTI(v.sub(1, ktiLen))})
	}
	return h, r.done()
}
