package segment

import "github.com/kontor-dev/kontor/bank/fints/wire"

// UPD usage values of HIUPA.
const (
	// UPDJobsListed: jobs not listed in an account's HIUPD are blocked.
	UPDJobsListed = 0
	// UPDJobsOpen: the UPD make no statement about unlisted jobs.
	UPDJobsOpen = 1
)

// HIUPA is the head of the user parameter data (version 4).
type HIUPA struct {
	Ref       int
	UserID    string
	Version   int // UPD version; 0 means valid for this dialog only
	Usage     int
	UserName  string
	Extension string
}

// Segment builds the HIUPA segment.
func (h HIUPA) Segment() wire.Segment {
	s := wire.NewSegment("HIUPA", 4)
	s.Header.Ref = h.Ref
	s.Add(wire.Text(h.UserID))
	s.Add(wire.Num(h.Version))
	s.Add(wire.Num(h.Usage))
	s.Add(wire.Text(h.UserName))
	s.Add(wire.Text(h.Extension))
	return s
}

// DecodeHIUPA reads an HIUPA segment.
func DecodeHIUPA(s wire.Segment) (HIUPA, error) {
	if err := checkType(s, "HIUPA"); err != nil {
		return HIUPA{}, err
	}
	r := newReader(s)
	h := HIUPA{
		Ref:       s.Header.Ref,
		UserID:    r.el(0).text(0),
		Version:   r.el(1).int(0),
		Usage:     r.el(2).int(0),
		UserName:  r.el(3).text(0),
		Extension: r.el(4).val(0).String(),
	}
	return h, r.done()
}

// AllowedJob is one entry of an account's allowed jobs in HIUPD.
type AllowedJob struct {
	Job           string
	MinSignatures int
	// LimitType, Limit and LimitDays describe an optional job limit.
	LimitType string
	Limit     *Money
	LimitDays int
}

// HIUPD describes one account of the user (version 6).
type HIUPD struct {
	Ref        int
	Account    Account // KTV parts; IBAN from its own element
	CustomerID string
	// Type is the FinTS account type: 1–9 giro, 10–19 savings, 20–29
	// fixed-term, 30–39 depot, 40–49 loan, 50–59 credit card, …
	Type      int
	Currency  string
	Owner1    string
	Owner2    string
	Product   string
	Limit     *AccountLimit
	Jobs      []AllowedJob
	Extension string
}

// AccountLimit is the account limit group of HIUPD.
type AccountLimit struct {
	Type  string
	Money Money
	Days  int
}

// updJobsAt is the element index of the first allowed job in HIUPD v6,
// and updMaxJobs the number of allowed-job elements before the extension.
const (
	updJobsAt  = 9
	updMaxJobs = 999
)

// Allows reports whether job is listed among the account's allowed jobs.
func (h HIUPD) Allows(job string) bool {
	for _, j := range h.Jobs {
		if j.Job == job {
			return true
		}
	}
	return false
}

// Segment builds the HIUPD segment. The extension, when set, is written
// after the full run of 999 allowed-job elements, as banks do.
func (h HIUPD) Segment() wire.Segment {
	s := wire.NewSegment("HIUPD", 6)
	s.Header.Ref = h.Ref
	s.Add(h.Account.ktv()...)
	s.Add(wire.Text(h.Account.IBAN))
	s.Add(wire.Text(h.CustomerID))
	s.Add(optNum(h.Type))
	s.Add(wire.Text(h.Currency))
	s.Add(wire.Text(h.Owner1))
	s.Add(wire.Text(h.Owner2))
	s.Add(wire.Text(h.Product))
	if h.Limit != nil {
		s.Add(wire.Text(h.Limit.Type), wire.Amount(h.Limit.Money.Amount), wire.Text(h.Limit.Money.Currency), optNum(h.Limit.Days))
	} else {
		s.Add()
	}
	for _, j := range h.Jobs {
		vs := []wire.Value{wire.Text(j.Job), wire.Num(j.MinSignatures)}
		if j.Limit != nil {
			vs = append(vs, wire.Text(j.LimitType), wire.Amount(j.Limit.Amount), wire.Text(j.Limit.Currency), optNum(j.LimitDays))
		}
		s.Add(vs...)
	}
	if h.Extension != "" {
		for range updMaxJobs - len(h.Jobs) {
			s.Add()
		}
		s.Add(wire.Text(h.Extension))
	}
	return s
}

// DecodeHIUPD reads an HIUPD segment of version 6. Over-long values are
// kept as they are.
func DecodeHIUPD(s wire.Segment) (HIUPD, error) {
	if err := checkType(s, "HIUPD"); err != nil {
		return HIUPD{}, err
	}
	if s.Header.Version != 6 {
		return HIUPD{}, decodeErr(s, errUnsupportedVersion)
	}
	r := newReader(s)
	h := HIUPD{
		Ref:        s.Header.Ref,
		Account:    readKTV(r.el(0)),
		CustomerID: r.el(2).text(0),
		Type:       r.el(3).int(0),
		Currency:   r.el(4).text(0),
		Owner1:     r.el(5).text(0),
		Owner2:     r.el(6).text(0),
		Product:    r.el(7).text(0),
	}
	h.Account.IBAN = r.el(1).text(0)
	if l := r.el(8); !l.e.IsEmpty() {
		h.Limit = &AccountLimit{Type: l.text(0), Money: Money{Amount: l.amount(1), Currency: l.text(2)}, Days: l.int(3)}
	}
	end := min(len(s.Elements), updJobsAt+updMaxJobs)
	for i := updJobsAt; i < end; i++ {
		v := r.el(i)
		if v.e.IsEmpty() {
			continue
		}
		if len(v.e) == 1 && len(v.e[0].Data) > 0 && v.e[0].Data[0] == '{' {
			// A JSON extension right after the jobs, without padding.
			h.Extension = v.val(0).String()
			break
		}
		j := AllowedJob{Job: v.text(0), MinSignatures: v.int(1), LimitType: v.text(2), Limit: readMoney(v.sub(3, 2)), LimitDays: v.int(5)}
		h.Jobs = append(h.Jobs, j)
	}
	if len(s.Elements) > end {
		h.Extension = s.Value(end, 0).String()
	}
	return h, r.done()
}
