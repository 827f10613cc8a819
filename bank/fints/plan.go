package fints

import (
	"slices"
	"strings"

	"github.com/kontor-dev/kontor/bank/fints/segment"
)

// Default descriptors when the BPD list none the client can use.
const (
	defaultCamt = "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"
	defaultPain = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
)

// plan lists the jobs: the SEPA account list first when the bank offers
// it (the per-account jobs follow once it is in), else the per-account
// jobs for the UPD accounts.
func (c *Client) plan(st *State, b *BPD) error {
	op := st.Op
	op.Planned = true
	upd, err := st.upd()
	if err != nil {
		return err
	}
	for _, u := range upd.Accounts {
		a := Account{
			IBAN: u.Account.IBAN, Number: u.Account.Number, SubAccount: u.Account.SubAccount,
			BankCode: u.Account.BankCode, CustomerID: u.CustomerID, FinTSType: u.Type, Type: kontorAccountType(u.Type),
			Currency: u.Currency, Owner: strings.TrimSpace(u.Owner1 + " " + u.Owner2), Product: u.Product,
		}
		if upd.Usage != segment.UPDJobsOpen {
			for _, j := range u.Jobs {
				a.Jobs = append(a.Jobs, j.Job)
			}
		}
		op.Result.Accounts = append(op.Result.Accounts, a)
	}
	if b.JobVersion("HKSPA") > 0 {
		op.Jobs = append(op.Jobs, Job{Kind: JobAccounts, Account: -1})
		return nil
	}
	c.planAccounts(st, b)
	return nil
}

// planAccounts adds the per-account jobs the request asks for and the bank
// allows. Transactions come as camt.052 when HKCAZ is offered and allowed
// for the account (unless MT940 is requested), else as MT940.
func (c *Client) planAccounts(st *State, b *BPD) {
	op := st.Op
	req := op.Request
	for i, a := range op.Result.Accounts {
		if !selected(a, req.Accounts) {
			continue
		}
		add := func(k JobKind) { op.Jobs = append(op.Jobs, Job{Kind: k, Account: i}) }
		depot := isDepot(a.FinTSType)
		if req.Fetch&FetchBalances != 0 && !depot && offered(b, a, "HKSAL") {
			add(JobBalance)
		}
		if req.Fetch&FetchTransactions != 0 && !depot {
			switch {
			case req.Format != FormatMT940 && offered(b, a, "HKCAZ"):
				add(JobCamt)
			case req.Format != FormatCamt && offered(b, a, "HKKAZ"):
				add(JobMT940)
			}
		}
		if req.Fetch&FetchStandingOrders != 0 && !depot && offered(b, a, "HKCDB") {
			add(JobStandingOrders)
		}
		if req.Fetch&FetchHoldings != 0 && depot && offered(b, a, "HKWPD") {
			add(JobHoldings)
		}
	}
}

// selected reports whether the request's account filter includes a.
func selected(a Account, filter []string) bool {
	if len(filter) == 0 {
		return true
	}
	return slices.Contains(filter, a.IBAN) || (a.Number != "" && slices.Contains(filter, a.Number))
}

// offered reports whether the bank offers job in a version the client
// implements and the UPD allow it for the account.
func offered(b *BPD, a Account, job string) bool {
	if b.JobVersion(job) == 0 {
		return false
	}
	return len(a.Jobs) == 0 || slices.Contains(a.Jobs, job)
}

// camtFormats returns the camt.052 descriptors of HICAZS.
func camtFormats(b *BPD) []string {
	var out []string
	if p, ok := b.params("HKCAZ", b.JobVersion("HKCAZ")); ok {
		if cp, err := p.Camt(); err == nil {
			for _, f := range cp.Formats {
				if strings.Contains(f, "camt.052") {
					out = append(out, f)
				}
			}
		}
	}
	if len(out) == 0 {
		out = []string{defaultCamt}
	}
	return out
}

// painFormats returns the pain.001 descriptors of HISPAS.
func painFormats(b *BPD) []string {
	var out []string
	for _, p := range b.Params["HISPAS"] {
		sp, err := p.SEPA()
		if err != nil {
			continue
		}
		for _, f := range sp.Formats {
			if strings.Contains(f, "pain.001") && !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	if len(out) == 0 {
		out = []string{defaultPain}
	}
	return out
}
