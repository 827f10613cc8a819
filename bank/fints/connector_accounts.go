package fints

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank"
	"github.com/kontor-dev/kontor/finformat"
)

// KontorAccounts maps a sync's result onto Kontor's accounts:
//
//   - IBAN, account number, owner, name (the bank's product name), currency
//     and type (GIRO, SPAR, KREDIT_KARTE, DEPOT, DARLEHEN from the UPD
//     account type; an account only HISPA lists counts as GIRO);
//   - the booked balance, exact and signed, and the credit line when the
//     bank sends one; a depot's balance is its holdings' value;
//   - booked and pending transactions from MT940/MT942 or camt.052, with
//     IDs from their content (finformat.AssignIDs), so that the same
//     transaction has the same ID on every sync;
//   - securities from MT535 and standing orders from HICDB.
//
// Account, security and standing order IDs are derived from the bank code
// and the account, so they are stable too.
//
// previous are the accounts an earlier sync of the same login produced
// (bank.Request.Previous; nil when there is none). A transaction booked now that settles a
// transaction pending then (finformat.MatchPending) takes the pending
// one's ID: the ID of the pending transaction wins, so the stored
// transaction is updated instead of duplicated. Without previous, a
// booked transaction gets the ID its own content gives, which in general
// differs from the pending one's (the booking date is part of it).
//
// A document that cannot be read fails the whole mapping with
// bank.ErrProtocol: a login is stored complete or not at all.
func KontorAccounts(bankCode string, res *Result, previous []kontor.Account) ([]kontor.Account, error) {
	out := make([]kontor.Account, 0, len(res.Accounts))
	seen := map[string]bool{}
	for i := range res.Accounts {
		a, err := kontorAccount(bankCode, &res.Accounts[i])
		if err != nil {
			return nil, fmt.Errorf("fints connector: account %d: %w (%w)", i+1, bank.ErrProtocol, err)
		}
		if seen[a.ID] {
			continue // the bank listed the same account twice
		}
		seen[a.ID] = true
		for j := range previous {
			if previous[j].ID == a.ID {
				keepPendingIDs(&a, &previous[j])
				break
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// accountKey is what identifies an account at its bank: the IBAN, or the
// account and sub-account number.
func accountKey(a *Account) string {
	if a.IBAN != "" {
		return strings.ToUpper(strings.Join(strings.Fields(a.IBAN), ""))
	}
	return a.Number + "/" + a.SubAccount
}

// stableID derives a 24-hex-character ID from parts.
func stableID(parts ...string) string {
	h := sha256.New()
	h.Write([]byte("kontor-fints-1"))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// defaultNames name accounts whose bank sends no product name.
var defaultNames = map[string]string{
	kontor.AccountGiro:       "Girokonto",
	kontor.AccountSavings:    "Sparkonto",
	kontor.AccountCreditCard: "Kreditkarte",
	kontor.AccountDepot:      "Depot",
	kontor.AccountLoan:       "Darlehen",
}

func kontorAccount(bankCode string, a *Account) (kontor.Account, error) {
	key := accountKey(a)
	typ := a.Type
	if typ == "" && a.FinTSType == 0 && a.IBAN != "" {
		typ = kontor.AccountGiro
	}
	name := strings.TrimSpace(a.Product)
	if name == "" {
		name = defaultNames[typ]
	}
	currency := a.Currency
	if currency == "" && a.Balance != nil {
		currency = a.Balance.Currency
	}
	if currency == "" {
		currency = "EUR"
	}
	out := kontor.Account{
		ID:                   stableID("account", bankCode, key),
		IBAN:                 a.IBAN,
		Number:               a.Number,
		Name:                 name,
		Owner:                a.Owner,
		Type:                 typ,
		Balance:              kontor.AmountFromCents(0),
		CreditLine:           kontor.AmountFromCents(0),
		MonthlySpendingLimit: kontor.AmountFromCents(0),
		Currency:             currency,
		Transactions:         []kontor.Transaction{},
		StandingOrders:       []kontor.StandingOrder{},
		Securities:           []kontor.Security{},
	}
	if b := a.Balance; b != nil {
		out.Balance = b.Booked
		if b.CreditLine != nil {
			out.CreditLine = *b.CreditLine
		}
	}
	var err error
	if out.Transactions, err = transactions(key, out.ID, currency, a.Statements); err != nil {
		return out, err
	}
	if out.StandingOrders, err = standingOrders(out.ID, a.StandingOrders); err != nil {
		return out, err
	}
	var value *kontor.Amount
	if out.Securities, value, err = securities(out.ID, a.Holdings); err != nil {
		return out, err
	}
	if a.Balance == nil && value != nil {
		out.Balance = *value
	}
	return out, nil
}

// transactions reads the account's statements: booked from MT940 or
// camt, pending from MT942 or the pending camt documents, in the bank's
// order with the pending ones last, and gives them stable IDs.
func transactions(key, accountID, currency string, sm *Statements) ([]kontor.Transaction, error) {
	if sm == nil {
		return []kontor.Transaction{}, nil
	}
	var bs []finformat.Booking
	switch sm.Format {
	case FormatMT940:
		for _, part := range []struct {
			data   []byte
			booked bool
		}{{sm.MT940, true}, {sm.MT942, false}} {
			if len(strings.TrimSpace(string(part.data))) == 0 {
				continue
			}
			stmts, err := finformat.ParseMT940(part.data)
			if err != nil {
				return nil, fmt.Errorf("transactions: %w", err)
			}
			bs = append(bs, finformat.MT940Bookings(stmts, part.booked)...)
		}
	case FormatCamt:
		var pending []finformat.Booking
		for _, part := range []struct {
			docs    [][]byte
			pending bool
		}{{sm.Camt, false}, {sm.CamtPending, true}} {
			for _, raw := range part.docs {
				doc, err := finformat.ParseCamt(raw)
				if err != nil {
					return nil, fmt.Errorf("transactions: %w", err)
				}
				for _, b := range finformat.CamtBookings(doc) {
					if part.pending {
						b.Booked = false
					}
					if b.Booked {
						bs = append(bs, b)
					} else {
						pending = append(pending, b)
					}
				}
			}
		}
		bs = append(bs, pending...)
	default:
		return nil, fmt.Errorf("transactions: unknown statement format %q", sm.Format)
	}
	finformat.AssignIDs(key, bs)
	out := make([]kontor.Transaction, len(bs))
	for i := range bs {
		tx := bs[i].Transaction
		tx.AccountID = accountID
		if tx.Currency == "" {
			tx.Currency = currency
		}
		if tx.Tags == nil {
			tx.Tags = []kontor.Tag{}
		}
		if tx.Codes == nil {
			tx.Codes = []kontor.Code{}
		}
		out[i] = tx
	}
	return out, nil
}

// standingOrders reads the HICDB standing orders. An order without the
// bank's order ID gets one derived from its account and position.
func standingOrders(accountID string, orders []StandingOrder) ([]kontor.StandingOrder, error) {
	out := make([]kontor.StandingOrder, 0, len(orders))
	for i, o := range orders {
		sched := finformat.StandingOrderSchedule{FirstExecution: o.FirstExecution, Unit: o.Unit, Turnus: o.Interval,
			ExecutionDay: o.Day, LastExecution: o.LastExecution}
		so, _, err := finformat.StandingOrderFromHICDB(o.OrderID, sched, o.Pain)
		if err != nil {
			return nil, fmt.Errorf("standing orders: %w", err)
		}
		if so.ID == "" {
			so.ID = stableID("standing-order", accountID, strconv.Itoa(i))
		}
		so.AccountID = accountID
		out = append(out, so)
	}
	return out, nil
}

// securities reads the MT535 holdings and returns them with the depot's
// value: the statements' totals, or the sum of the market values when a
// statement has none (nil when there is no MT535 or no value in one
// currency).
func securities(accountID string, mt535 []byte) ([]kontor.Security, *kontor.Amount, error) {
	if len(strings.TrimSpace(string(mt535))) == 0 {
		return []kontor.Security{}, nil, nil
	}
	stmts, err := finformat.ParseMT535(mt535)
	if err != nil {
		return nil, nil, fmt.Errorf("holdings: %w", err)
	}
	secs := finformat.MT535Securities(stmts)
	if secs == nil {
		secs = []kontor.Security{}
	}
	seen := map[string]int{}
	for i := range secs {
		s := &secs[i]
		k := s.ISIN + "\x00" + s.Name
		s.ID = stableID("security", accountID, k, strconv.Itoa(seen[k]))
		seen[k]++
		s.AccountID = accountID
	}
	total, currency := kontor.AmountFromCents(0), ""
	add := func(a kontor.Amount, cur string) bool {
		if currency != "" && cur != currency {
			return false
		}
		sum, err := total.Add(a)
		if err != nil {
			return false
		}
		total, currency = sum, cur
		return true
	}
	for _, st := range stmts {
		if st.Total != nil {
			if !add(st.Total.Amount, st.Total.Currency) {
				return secs, nil, nil
			}
			continue
		}
		for _, h := range st.Holdings {
			if h.MarketValue != nil && !add(h.MarketValue.Amount, h.MarketValue.Currency) {
				return secs, nil, nil
			}
		}
	}
	return secs, &total, nil
}

// keepPendingIDs gives every newly booked transaction of a that settles a
// pending transaction of prev the pending one's ID. Transactions prev
// already knew keep their IDs, and pending transactions of prev that a
// still lists (same ID) are not candidates.
func keepPendingIDs(a, prev *kontor.Account) {
	ids := make(map[string]bool, len(a.Transactions))
	for _, t := range a.Transactions {
		ids[t.ID] = true
	}
	known := make(map[string]bool, len(prev.Transactions))
	var candidates []kontor.Transaction
	for _, t := range prev.Transactions {
		known[t.ID] = true
		if !t.Booked && !ids[t.ID] {
			t.AccountID = a.ID
			candidates = append(candidates, t)
		}
	}
	if len(candidates) == 0 {
		return
	}
	for i := range a.Transactions {
		t := &a.Transactions[i]
		if !t.Booked || known[t.ID] {
			continue
		}
		j := finformat.MatchPending(*t, candidates)
		if j < 0 {
			continue
		}
		t.ID = candidates[j].ID
		candidates[j].Booked = true // taken: MatchPending skips booked entries
	}
}
