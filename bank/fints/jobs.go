package fints

import (
	"context"
	"fmt"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// defaultHistory is how far back transactions go when Request.From is
// zero: banks serve about 90 days without a TAN.
const defaultHistory = 90 * 24 * time.Hour

// runJobs plans the jobs (on first entry) and runs them one per message,
// following touchdowns, until all are done or one pauses for SCA.
func (c *Client) runJobs(ctx context.Context, st *State, pin wire.Secret) (*Step, error) {
	op := st.Op
	b, err := st.bpd()
	if err != nil {
		return nil, err
	}
	if !op.Planned {
		if err := c.plan(st, b); err != nil {
			return nil, err
		}
	}
	for op.Next < len(op.Jobs) {
		seg, ok := c.jobSegment(st, b, op.Next)
		if !ok {
			op.Next++
			continue
		}
		typ := seg.Header.Type
		segs := []wire.Segment{seg}
		if op.Dialog.TANVersion > 0 && b.NeedsTAN(typ) {
			segs = append(segs, hktanStart(op.Dialog, typ))
		}
		r, err := c.send(ctx, st, op.Dialog, pin, "", segs...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", typ, err)
		}
		if err := r.check(typ, false); err != nil {
			return nil, err
		}
		if step, err := c.startSCA(st, r, typ); step != nil || err != nil {
			return step, err
		}
		if err := c.collect(st, r); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// jobSegment builds the segment of job i with the current touchdown. It
// reports false for a job that cannot be sent. A camt job for an account
// without IBAN becomes an MT940 job when the bank offers HKKAZ.
func (c *Client) jobSegment(st *State, b *BPD, i int) (wire.Segment, bool) {
	op := st.Op
	j := &op.Jobs[i]
	td := op.Touchdown
	var acc segment.Account
	if j.Account >= 0 && j.Account < len(op.Result.Accounts) {
		a := op.Result.Accounts[j.Account]
		acc = segment.Account{IBAN: a.IBAN, BIC: a.BIC, Number: a.Number, SubAccount: a.SubAccount,
			Country: segment.CountryDE, BankCode: firstNonEmpty(a.BankCode, c.cfg.BankCode)}
	} else if j.Kind != JobAccounts {
		return wire.Segment{}, false
	}
	from, to := op.Request.From, op.Request.To
	if from.IsZero() {
		from = time.Now().Add(-defaultHistory)
	}
	if j.Kind == JobCamt && acc.IBAN == "" && op.Request.Format != FormatCamt && offered(b, op.Result.Accounts[j.Account], "HKKAZ") {
		j.Kind = JobMT940
	}
	switch j.Kind {
	case JobAccounts:
		return segment.HKSPA{Version: b.JobVersion("HKSPA"), Touchdown: td}.Segment(), true
	case JobBalance:
		return segment.HKSAL{Version: b.JobVersion("HKSAL"), Account: acc, Touchdown: td}.Segment(), true
	case JobMT940:
		return segment.HKKAZ{Version: b.JobVersion("HKKAZ"), Account: acc, From: from, To: to, Touchdown: td}.Segment(), true
	case JobCamt:
		if acc.IBAN == "" {
			return wire.Segment{}, false
		}
		return segment.HKCAZ{Version: b.JobVersion("HKCAZ"), Account: acc, Formats: camtFormats(b),
			From: from, To: to, Touchdown: td}.Segment(), true
	case JobHoldings:
		return segment.HKWPD{Version: b.JobVersion("HKWPD"), Account: acc, Touchdown: td}.Segment(), true
	case JobStandingOrders:
		if acc.IBAN == "" {
			return wire.Segment{}, false
		}
		return segment.HKCDB{Version: b.JobVersion("HKCDB"), Account: acc, Formats: painFormats(b), Touchdown: td}.Segment(), true
	}
	return wire.Segment{}, false
}
