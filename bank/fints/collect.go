package fints

import (
	"fmt"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// maxPages bounds touchdown paging of one job.
const maxPages = 1000

// collect takes the data of one answer for the job in progress, records
// a job error, and either keeps the job for its next page (3040) or moves
// on to the next job.
func (c *Client) collect(st *State, r *response) error {
	op := st.Op
	j := op.Jobs[op.Next]
	var acc *Account
	if j.Account >= 0 && j.Account < len(op.Result.Accounts) {
		acc = &op.Result.Accounts[j.Account]
	}
	if errs := jobErrors(r); len(errs) > 0 {
		je := JobError{Job: string(j.Kind), Codes: errs}
		if acc != nil {
			acc.Errors = append(acc.Errors, je)
		} else {
			op.Result.Errors = append(op.Result.Errors, je)
		}
		return c.jobDone(st)
	}
	var err error
	switch j.Kind {
	case JobAccounts:
		err = collectAccounts(op, r)
	case JobBalance:
		err = collectBalance(acc, r)
	case JobMT940:
		err = collectMT940(acc, r)
	case JobCamt:
		err = collectCamt(acc, r)
	case JobHoldings:
		err = collectHoldings(acc, r)
	case JobStandingOrders:
		err = collectStandingOrders(acc, r)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrProtocol, j.Kind, err)
	}
	if rc, ok := r.find(codeTouchdown); ok && len(rc.Params) > 0 && rc.Params[0] != "" {
		op.Pages++
		if op.Pages >= maxPages {
			return protocolError("%s: more than %d pages", j.Kind, maxPages)
		}
		if rc.Params[0] == op.Touchdown {
			return protocolError("%s: the bank repeated touchdown point", j.Kind)
		}
		op.Touchdown = rc.Params[0]
		return nil
	}
	return c.jobDone(st)
}

// jobDone moves to the next job; after the SEPA account list it plans the
// per-account jobs.
func (c *Client) jobDone(st *State) error {
	op := st.Op
	kind := op.Jobs[op.Next].Kind
	op.nextJob()
	if kind != JobAccounts {
		return nil
	}
	b, err := st.bpd()
	if err != nil {
		return err
	}
	c.planAccounts(st, b)
	return nil
}

// nextJob moves to the next job.
func (op *Operation) nextJob() {
	op.Next++
	op.Touchdown, op.Pages = "", 0
}

// jobErrors returns the job's error codes, without 9050, which only says
// that details are in HIRMS.
func jobErrors(r *response) []wire.ReturnCode {
	var out []wire.ReturnCode
	for _, c := range r.errorCodes() {
		if c.Code != codePartlyFaulty {
			out = append(out, c)
		}
	}
	return out
}

func collectAccounts(op *Operation, r *response) error {
	for _, s := range r.msg.FindAll("HISPA") {
		h, err := segment.DecodeHISPA(s)
		if err != nil {
			return err
		}
		for _, sa := range h.Accounts {
			mergeSEPA(op, sa)
		}
	}
	return nil
}

// mergeSEPA adds IBAN and BIC from HISPA to the matching account, or adds
// the account when the UPD lack it.
func mergeSEPA(op *Operation, sa segment.SEPAAccount) {
	for i := range op.Result.Accounts {
		a := &op.Result.Accounts[i]
		same := (sa.Account.IBAN != "" && a.IBAN == sa.Account.IBAN) ||
			(a.Number != "" && a.Number == sa.Account.Number && a.SubAccount == sa.Account.SubAccount)
		if same {
			a.IBAN = firstNonEmpty(a.IBAN, sa.Account.IBAN)
			a.BIC = firstNonEmpty(sa.Account.BIC, a.BIC)
			a.SEPA = sa.SEPA
			return
		}
	}
	op.Result.Accounts = append(op.Result.Accounts, Account{
		IBAN: sa.Account.IBAN, BIC: sa.Account.BIC, Number: sa.Account.Number, SubAccount: sa.Account.SubAccount,
		BankCode: sa.Account.BankCode, SEPA: sa.SEPA,
	})
}

func collectBalance(acc *Account, r *response) error {
	s, ok := r.msg.Find("HISAL")
	if !ok || acc == nil {
		return nil
	}
	h, err := segment.DecodeHISAL(s)
	if err != nil {
		return err
	}
	bal := &Balance{Booked: h.Booked.Amount, Currency: firstNonEmpty(h.Booked.Currency, h.Currency), Date: h.Booked.Date}
	if h.Pending != nil {
		bal.Pending = &h.Pending.Amount
	}
	bal.CreditLine = moneyAmount(h.CreditLine)
	bal.Available = moneyAmount(h.Available)
	acc.Balance = bal
	if acc.Currency == "" {
		acc.Currency = bal.Currency
	}
	return nil
}

func moneyAmount(m *segment.Money) *kontor.Amount {
	if m == nil {
		return nil
	}
	a := m.Amount
	return &a
}

func statements(acc *Account, f StatementFormat) *Statements {
	if acc.Statements == nil {
		acc.Statements = &Statements{Format: f}
	}
	return acc.Statements
}

func collectMT940(acc *Account, r *response) error {
	if acc == nil {
		return nil
	}
	sm := statements(acc, FormatMT940)
	for _, s := range r.msg.FindAll("HIKAZ") {
		h, err := segment.DecodeHIKAZ(s)
		if err != nil {
			return err
		}
		sm.MT940 = append(sm.MT940, h.Booked...)
		sm.MT942 = append(sm.MT942, h.Pending...)
	}
	return nil
}

func collectCamt(acc *Account, r *response) error {
	if acc == nil {
		return nil
	}
	sm := statements(acc, FormatCamt)
	for _, s := range r.msg.FindAll("HICAZ") {
		h, err := segment.DecodeHICAZ(s)
		if err != nil {
			return err
		}
		sm.CamtFormat = firstNonEmpty(sm.CamtFormat, h.Format)
		sm.Camt = append(sm.Camt, h.Booked...)
		if len(h.Pending) > 0 {
			sm.CamtPending = append(sm.CamtPending, h.Pending)
		}
	}
	return nil
}

func collectHoldings(acc *Account, r *response) error {
	if acc == nil {
		return nil
	}
	for _, s := range r.msg.FindAll("HIWPD") {
		h, err := segment.DecodeHIWPD(s)
		if err != nil {
			return err
		}
		acc.Holdings = append(acc.Holdings, h.Holdings...)
	}
	return nil
}

func collectStandingOrders(acc *Account, r *response) error {
	if acc == nil {
		return nil
	}
	for _, s := range r.msg.FindAll("HICDB") {
		h, err := segment.DecodeHICDB(s)
		if err != nil {
			return err
		}
		acc.StandingOrders = append(acc.StandingOrders, StandingOrder{
			OrderID: h.OrderID, Format: h.Format, Pain: h.Pain,
			FirstExecution: h.Schedule.FirstExecution, Unit: h.Schedule.Unit, Interval: h.Schedule.Interval,
			Day: h.Schedule.Day, LastExecution: h.Schedule.LastExecution,
		})
	}
	return nil
}
