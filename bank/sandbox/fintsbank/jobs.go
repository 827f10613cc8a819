package fintsbank

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
	"github.com/kontor-dev/kontor/bank/sandbox"
	"github.com/kontor-dev/kontor/finformat"
)

// jobError is a job's refusal: a return code for its HIRMS.
type jobError struct{ code wire.ReturnCode }

func (e *jobError) Error() string { return e.code.String() }

func refuse(code int, text string) error { return &jobError{code: rc(code, text)} }

// precheck decodes a job and finds its account without running it, so
// that a job is refused before a TAN is asked for it.
func (s *server) precheck(d *dialog, seg wire.Segment) (wire.ReturnCode, bool) {
	if !servesVersion(seg.Header.Type, seg.Header.Version) {
		return rc(9210, fmt.Sprintf("%s in Version %d wird nicht unterstützt.", seg.Header.Type, seg.Header.Version)), false
	}
	acc, err := s.jobAccount(d, seg)
	if err != nil {
		return errCode(err), false
	}
	if acc != nil && !slices.Contains(allowedJobs(acc.Account), seg.Header.Type) {
		return rc(9210, seg.Header.Type+" ist für dieses Konto nicht zugelassen."), false
	}
	return wire.ReturnCode{}, true
}

// errCode turns a job's error into its return code.
func errCode(err error) wire.ReturnCode {
	if je, ok := err.(*jobError); ok {
		return je.code
	}
	return rc(9010, "Verarbeitung derzeit nicht möglich.")
}

// jobAccount returns the account a job is about (nil for HKSPA and
// HKTAB).
func (s *server) jobAccount(d *dialog, seg wire.Segment) (*sandbox.AccountData, error) {
	var acc segment.Account
	switch seg.Header.Type {
	case "HKSAL":
		h, err := segment.DecodeHKSAL(seg)
		if err != nil {
			return nil, malformed(err)
		}
		acc = h.Account
	case "HKKAZ":
		h, err := segment.DecodeHKKAZ(seg)
		if err != nil {
			return nil, malformed(err)
		}
		acc = h.Account
	case "HKCAZ":
		h, err := segment.DecodeHKCAZ(seg)
		if err != nil {
			return nil, malformed(err)
		}
		acc = h.Account
	case "HKWPD":
		h, err := segment.DecodeHKWPD(seg)
		if err != nil {
			return nil, malformed(err)
		}
		acc = h.Account
	case "HKCDB":
		h, err := segment.DecodeHKCDB(seg)
		if err != nil {
			return nil, malformed(err)
		}
		acc = h.Account
	default:
		return nil, nil
	}
	return s.findAccount(d, acc)
}

func malformed(err error) error {
	_ = err // the decoder's detail is not shown to the client
	return refuse(9110, "Ungültiger Segmentaufbau.")
}

// findAccount finds the login's account by IBAN or account number.
func (s *server) findAccount(d *dialog, acc segment.Account) (*sandbox.AccountData, error) {
	if acc.BankCode != "" && acc.BankCode != sandbox.BankCode {
		return nil, refuse(9210, "Konto bei einem anderen Kreditinstitut.")
	}
	data := s.accounts(d)
	for i := range data {
		a := &data[i]
		if (acc.IBAN != "" && strings.EqualFold(acc.IBAN, a.IBAN)) || (acc.IBAN == "" && acc.Number != "" && acc.Number == a.Number) {
			return a, nil
		}
	}
	return nil, refuse(9210, "Konto unbekannt.")
}

// execute runs a job and adds its answer; ref is the client segment the
// answer refers to (the job, or the HKTAN that released it).
func (s *server) execute(d *dialog, a *answer, seg wire.Segment, ref int) {
	if code, ok := s.precheck(d, seg); !ok {
		a.ret(ref, code)
		return
	}
	var err error
	switch seg.Header.Type {
	case "HKSPA":
		err = s.hkspa(d, a, seg, ref)
	case "HKSAL":
		err = s.hksal(d, a, seg, ref)
	case "HKKAZ":
		err = s.hkkaz(d, a, seg, ref)
	case "HKCAZ":
		err = s.hkcaz(d, a, seg, ref)
	case "HKWPD":
		err = s.hkwpd(d, a, seg, ref)
	case "HKCDB":
		err = s.hkcdb(d, a, seg, ref)
	case "HKTAB":
		err = s.hktab(d, a, seg, ref)
	default:
		err = refuse(9210, "Geschäftsvorfall nicht unterstützt.")
	}
	if err != nil {
		if _, ok := err.(*jobError); !ok {
			s.cfg.Log.Warn("fintsbank: job failed", "job", seg.Header.Type, "error", err)
		}
		a.ret(ref, errCode(err))
	}
}

func (s *server) hkspa(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKSPA(seg)
	if err != nil {
		return malformed(err)
	}
	out := segment.HISPA{Version: h.Version, Ref: ref}
	for _, acc := range s.accounts(d) {
		if len(h.Accounts) > 0 && !slices.ContainsFunc(h.Accounts, func(x segment.Account) bool {
			return (x.IBAN != "" && x.IBAN == acc.IBAN) || (x.Number != "" && x.Number == acc.Number)
		}) {
			continue
		}
		out.Accounts = append(out.Accounts, segment.SEPAAccount{SEPA: acc.IBAN != "", Account: accountOf(acc.Account, true)})
	}
	a.add(out.Segment())
	a.ret(ref, rc(20, "Auftrag ausgeführt."))
	return nil
}

func (s *server) hksal(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKSAL(seg)
	if err != nil {
		return malformed(err)
	}
	acc, err := s.findAccount(d, h.Account)
	if err != nil {
		return err
	}
	day := dayOf(d.asOf)
	out := segment.HISAL{
		Version:  h.Version,
		Ref:      ref,
		Account:  accountOf(acc.Account, true),
		Product:  acc.Name,
		Currency: acc.Currency,
		Booked:   segment.Balance{Amount: acc.Balance, Currency: acc.Currency, Date: day},
		BookedAt: d.asOf.UTC().Truncate(time.Second),
	}
	if p := pending(*acc); len(p) > 0 {
		sum := kontor.AmountFromCents(0)
		for _, tx := range p {
			if sum, err = sum.Add(tx.Amount); err != nil {
				return fmt.Errorf("pending balance: %w", err)
			}
		}
		out.Pending = &segment.Balance{Amount: sum, Currency: acc.Currency, Date: day}
	}
	if acc.CreditLine.Sign() > 0 {
		out.CreditLine = &segment.Money{Amount: acc.CreditLine, Currency: acc.Currency}
		avail, err := acc.Balance.Add(acc.CreditLine)
		if err != nil {
			return fmt.Errorf("available amount: %w", err)
		}
		if avail.Sign() < 0 {
			avail = kontor.AmountFromCents(0)
		}
		out.Available = &segment.Money{Amount: avail, Currency: acc.Currency}
	}
	a.add(out.Segment())
	a.ret(ref, rc(20, "Auftrag ausgeführt."))
	return nil
}

// pageStart resolves a touchdown for the job key: the unit to start at.
func (d *dialog) pageStart(key, touchdown string) (int, error) {
	if touchdown == "" {
		return 0, nil
	}
	c, ok := d.touchdowns[touchdown]
	if !ok || c.key != key {
		return 0, refuse(9210, "Aufsetzpunkt unbekannt oder nicht für diesen Auftrag.")
	}
	return c.next, nil
}

// answerPage answers the job whose page ends at end: on the last page it
// ends the listing, confirms the job and returns true; otherwise it records
// the touchdown of the next page and asks the client to come back for it
// (3040).
func (d *dialog) answerPage(a *answer, key string, l *listing, end, ref int) (last bool) {
	if end >= l.units() {
		delete(d.listings, key)
		a.ret(ref, rc(20, "Auftrag ausgeführt."))
		return true
	}
	// Touchdowns carry FinTS syntax characters on purpose: clients must
	// escape them when they send them back.
	touchdown := strconv.Itoa(end) + ":" + randomID(8) + "+" + strconv.Itoa(l.units())
	d.touchdowns[touchdown] = cursor{key: key, next: end}
	a.ret(ref, rc(3040, "Es liegen weitere Informationen vor.", touchdown))
	return false
}

// pageSize is the number of entries a page may hold.
func (s *server) pageSize(requested int) int {
	if requested > 0 && requested < s.cfg.MaxPageEntries {
		return requested
	}
	return s.cfg.MaxPageEntries
}

func (s *server) hkkaz(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKKAZ(seg)
	if err != nil {
		return malformed(err)
	}
	acc, err := s.findAccount(d, h.Account)
	if err != nil {
		return err
	}
	if !h.To.IsZero() && !h.From.IsZero() && h.To.Before(h.From) {
		return refuse(9210, "Zeitraum ungültig: das Ende liegt vor dem Anfang.")
	}
	key := fmt.Sprintf("HKKAZ|%s|%s|%s", acc.ID, dateKey(h.From), dateKey(h.To))
	start, err := d.pageStart(key, h.Touchdown)
	if err != nil {
		return err
	}
	l := d.listings[key]
	if l == nil {
		if l, err = mt940Listing(*acc, h.From, h.To, d.asOf); err != nil {
			return err
		}
		d.listings[key] = l
	}
	if l.units() == 0 && l.pending == nil {
		a.ret(ref, rc(3010, "Keine Umsätze im angegebenen Zeitraum vorhanden."))
		return nil
	}
	end := l.page(start, s.pageSize(h.MaxEntries))
	booked, err := finformat.GenerateMT940(l.mt940[start:end], finformat.GenerateOptions{})
	if err != nil {
		return err
	}
	out := segment.HIKAZ{Version: h.Version, Ref: ref, Booked: booked}
	if d.answerPage(a, key, l, end, ref) {
		out.Pending = l.pending
	}
	a.add(out.Segment())
	return nil
}

func (s *server) hkcaz(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKCAZ(seg)
	if err != nil {
		return malformed(err)
	}
	acc, err := s.findAccount(d, h.Account)
	if err != nil {
		return err
	}
	if acc.IBAN == "" {
		return refuse(9210, "camt-Umsätze nur für Konten mit IBAN.")
	}
	version := ""
	for _, f := range h.Formats {
		v := strings.TrimPrefix(f, urnPrefix)
		if v == camt05202 || v == camt05208 {
			version = v
			break
		}
	}
	if version == "" {
		return refuse(9210, "Kein unterstütztes camt-Format angefragt (camt.052.001.02 oder .08).")
	}
	if !h.To.IsZero() && !h.From.IsZero() && h.To.Before(h.From) {
		return refuse(9210, "Zeitraum ungültig: das Ende liegt vor dem Anfang.")
	}
	key := fmt.Sprintf("HKCAZ|%s|%s|%s|%s", acc.ID, version, dateKey(h.From), dateKey(h.To))
	start, err := d.pageStart(key, h.Touchdown)
	if err != nil {
		return err
	}
	l := d.listings[key]
	if l == nil {
		if l, err = camtListing(*acc, version, h.From, h.To, d.asOf); err != nil {
			return err
		}
		d.listings[key] = l
	}
	if l.units() == 0 && l.pending == nil {
		a.ret(ref, rc(3010, "Keine Umsätze im angegebenen Zeitraum vorhanden."))
		return nil
	}
	end := l.page(start, s.pageSize(h.MaxEntries))
	out := segment.HICAZ{Version: h.Version, Ref: ref, Account: accountOf(acc.Account, true), Format: urnPrefix + version}
	for i := start; i < end; i++ {
		b, err := finformat.GenerateCamt(&l.camt[i])
		if err != nil {
			return err
		}
		out.Booked = append(out.Booked, b)
	}
	if d.answerPage(a, key, l, end, ref) {
		out.Pending = l.pending
	}
	a.add(out.Segment())
	return nil
}

func (s *server) hkwpd(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKWPD(seg)
	if err != nil {
		return malformed(err)
	}
	acc, err := s.findAccount(d, h.Account)
	if err != nil {
		return err
	}
	if acc.Type != kontor.AccountDepot {
		return refuse(9210, "Kein Depotkonto.")
	}
	stmt, err := finformat.NewMT535(sandbox.BankCode+"/"+acc.Number, acc.Securities, d.asOf)
	if err != nil {
		return err
	}
	b, err := finformat.GenerateMT535([]finformat.MT535Statement{stmt}, finformat.GenerateOptions{})
	if err != nil {
		return err
	}
	a.add(segment.HIWPD{Version: h.Version, Ref: ref, Holdings: b}.Segment())
	a.ret(ref, rc(20, "Auftrag ausgeführt."))
	return nil
}

func (s *server) hkcdb(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKCDB(seg)
	if err != nil {
		return malformed(err)
	}
	acc, err := s.findAccount(d, h.Account)
	if err != nil {
		return err
	}
	version := ""
	for _, f := range h.Formats {
		v := strings.TrimPrefix(f, urnPrefix)
		if v == pain00100103 || v == pain00100303 {
			version = v
			break
		}
	}
	if version == "" && len(h.Formats) == 0 {
		version = pain00100103
	}
	if version == "" {
		return refuse(9210, "Kein unterstütztes SEPA-Format angefragt (pain.001.001.03 oder pain.001.003.03).")
	}
	orders := acc.StandingOrders
	if h.OrderID != "" {
		orders = slices.DeleteFunc(slices.Clone(orders), func(so kontor.StandingOrder) bool { return so.ID != h.OrderID })
	}
	if len(orders) == 0 {
		a.ret(ref, rc(3010, "Keine Daueraufträge vorhanden."))
		return nil
	}
	debtor := finformat.Party{Name: acc.Owner, IBAN: acc.IBAN, BIC: sandbox.BIC}
	for _, so := range orders {
		sched, pain, err := finformat.HICDBFromStandingOrder(so, debtor, creditorOf(acc, so), version, d.asOf)
		if err != nil {
			return err
		}
		a.add(segment.HICDB{
			Version: h.Version, Ref: ref, Account: accountOf(acc.Account, true), Format: urnPrefix + version, Pain: pain,
			OrderID: so.ID,
			Schedule: segment.Schedule{FirstExecution: sched.FirstExecution, Unit: sched.Unit, Interval: sched.Turnus,
				Day: sched.ExecutionDay, LastExecution: sched.LastExecution},
			CanChange: true, CanSuspend: false, CanDelete: true,
		}.Segment())
	}
	a.ret(ref, rc(20, "Auftrag ausgeführt."))
	return nil
}

// creditorOf finds the payee of a standing order: the counterpart of the
// latest transaction it booked, else the account owner.
func creditorOf(acc *sandbox.AccountData, so kontor.StandingOrder) finformat.Party {
	txs := acc.Transactions
	for i := len(txs) - 1; i >= 0; i-- {
		tx := txs[i]
		if tx.Purpose == so.Purpose && tx.CounterPart.IBAN != "" && tx.Amount.Sign() < 0 {
			return finformat.Party{Name: tx.CounterPart.Name, IBAN: tx.CounterPart.IBAN, BIC: tx.CounterPart.BIC}
		}
	}
	return finformat.Party{Name: acc.Owner, IBAN: acc.IBAN, BIC: sandbox.BIC}
}

func (s *server) hktab(d *dialog, a *answer, seg wire.Segment, ref int) error {
	h, err := segment.DecodeHKTAB(seg)
	if err != nil {
		return malformed(err)
	}
	out := segment.HITAB{Version: h.Version, Ref: ref, Usage: 0}
	method := d.method.ID
	if method == "" && len(d.scenario.TANMethods) > 0 {
		method = d.scenario.TANMethods[0].ID
	}
	out.Media = append(out.Media, segment.TANMedium{
		Class: segment.MediumClassMobile, Status: segment.MediumActive, SecurityFunction: method,
		Name: "Sandbox-Handy", PhoneMasked: "+49 170 ****1234",
	})
	a.add(out.Segment())
	a.ret(ref, rc(20, "Auftrag ausgeführt."))
	return nil
}

// dateKey formats an optional date for a job key.
func dateKey(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format("20060102")
}

func itoa(n int) string { return strconv.Itoa(n) }

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
