package finformat

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/kontor-dev/kontor"
)

// AccountRef identifies the account generated statements are about.
type AccountRef struct {
	// BankCode (BLZ) and Number form the MT940 ":25:" "BLZ/account" when
	// both are set; otherwise BIC and IBAN are used.
	BankCode string
	Number   string // account number
	IBAN     string // account IBAN
	BIC      string // bank BIC
	// Currency is the account currency; "EUR" when empty.
	Currency string
	// Owner is the account owner's name (camt Acct/Ownr/Nm).
	Owner string
}

func (a AccountRef) currency() string {
	if a.Currency == "" {
		return "EUR"
	}
	return a.Currency
}

// swiftAccount is the :25: value.
func (a AccountRef) swiftAccount() string {
	switch {
	case a.BankCode != "" && a.Number != "":
		return a.BankCode + "/" + a.Number
	case a.BIC != "" && a.IBAN != "":
		return a.BIC + "/" + a.IBAN
	case a.IBAN != "":
		return a.IBAN
	}
	return a.BankCode + "/" + a.Number
}

// gvcInfo is what Kontor writes for a GVC: the booking text (?00) and the
// SWIFT transaction type of the :61:.
type gvcInfo struct{ text, swift string }

var gvcs = map[string]gvcInfo{
	"005": {"LASTSCHRIFT", "NDDT"},
	"008": {"DAUERAUFTRAG", "NSTO"},
	"020": {"UEBERWEISUNG", "NTRF"},
	"051": {"UEBERWEISUNGSGUTSCHRIFT", "NTRF"},
	"052": {"DAUERAUFTRAGSGUTSCHRIFT", "NSTO"},
	"053": {"LOHN GEHALT RENTE", "NTRF"},
	"104": {"FIRMENLASTSCHRIFT", "NDDT"},
	"105": {"LASTSCHRIFT", "NDDT"},
	"106": {"KARTENZAHLUNG", "NMSC"},
	"107": {"LASTSCHRIFT ELV", "NDDT"},
	"108": {"RUECKLASTSCHRIFT", "NRTI"},
	"109": {"RUECKLASTSCHRIFT", "NRTI"},
	"116": {"UEBERWEISUNG", "NTRF"},
	"117": {"DAUERAUFTRAG", "NSTO"},
	"118": {"ECHTZEITUEBERWEISUNG", "NTRF"},
	"119": {"SPENDE", "NTRF"},
	"152": {"DAUERAUFTRAGSGUTSCHRIFT", "NSTO"},
	"153": {"LOHN GEHALT", "NTRF"},
	"154": {"VERMOEGENSWIRKS.LEISTUNG", "NTRF"},
	"156": {"GUTSCHRIFT OEFFENTL.KASSE", "NTRF"},
	"159": {"RETOURE UEBERWEISUNG", "NRTI"},
	"166": {"GUTSCHRIFT", "NTRF"},
	"167": {"GUTSCHRIFT", "NTRF"},
	"169": {"SPENDE", "NTRF"},
	"171": {"LASTSCHRIFTEINZUG", "NDDT"},
	"177": {"ONLINE-UEBERWEISUNG", "NTRF"},
	"805": {"ABSCHLUSS", "NCHG"},
	"808": {"ENTGELT", "NCHG"},
	"809": {"PROVISION", "NCHG"},
}

// BookingText returns the booking text Kontor writes for a GVC, such as
// "LOHN GEHALT" for "153", or "" for an unknown code.
func BookingText(gvc string) string { return gvcs[gvc].text }

// gvcOf returns a transaction's GVC: its transactionCode when that is three
// digits, else 166 (credit) or 116 (debit).
func gvcOf(tx *kontor.Transaction) string {
	if g := codeOf(tx.Codes, kontor.CodeTransaction); len(g) == 3 && isDigits(g) {
		return g
	}
	if tx.Amount.Sign() < 0 {
		return "116"
	}
	return "166"
}

// clean makes a domain string fit a SWIFT field: control characters become
// spaces, a "?" before a digit (a subfield marker) becomes ".", and the
// result is trimmed.
func clean(s string) string {
	var b strings.Builder
	r := []rune(s)
	for i, c := range r {
		switch {
		case unicode.IsControl(c):
			b.WriteByte(' ')
		case c == '?' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			b.WriteByte('.')
		default:
			b.WriteRune(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// NewEntry maps a transaction onto an MT940 statement line: C or D by the
// amount's sign, the GVC from its transactionCode (166 or 116 when it has
// none) with the matching booking text and SWIFT type, its primanota and
// purpose codes, the purpose as SVWZ+, MRef as MREF+, the creditor ID as
// CRED+ and the counterpart in ?30–?33. The bank reference is the start of
// the transaction's ID. [MT940Bookings] maps the entry back.
func NewEntry(tx kontor.Transaction) Entry {
	gvc := gvcOf(&tx)
	e := Entry{
		ValueDate:   day(tx.ValueDate.Time),
		EntryDate:   day(tx.BookingDate.Time),
		Mark:        "C",
		Amount:      tx.Amount.Abs(),
		TypeCode:    cmp.Or(gvcs[gvc].swift, "NMSC"),
		CustomerRef: "NONREF",
		BankRef:     bankRef(tx.ID),
	}
	if e.ValueDate.IsZero() {
		e.ValueDate = e.EntryDate
	}
	if tx.Amount.Sign() < 0 {
		e.Mark = "D"
	}
	info := NewInfo(Details{
		GVC:         gvc,
		BookingText: BookingText(gvc),
		Primanota:   clean(codeOf(tx.Codes, kontor.CodePrimanota)),
		BankID:      clean(tx.CounterPart.BIC),
		AccountID:   clean(tx.CounterPart.IBAN),
		Name:        clean(tx.CounterPart.Name),
		SEPA: SEPA{
			MandateRef:  clean(tx.MRef),
			CreditorID:  clean(tx.CounterPart.CreditorID),
			Remittance:  clean(tx.Purpose),
			PurposeCode: clean(codeOf(tx.Codes, kontor.CodePurpose)),
		},
	})
	e.Info = &info
	return e
}

// bankRef makes a bank reference (at most 16 letters or digits) from an ID.
func bankRef(id string) string {
	var b strings.Builder
	for _, c := range id {
		if b.Len() == 16 {
			break
		}
		if c < 0x80 && (unicode.IsLetter(c) || unicode.IsDigit(c)) {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// NewMT940Statements builds MT940 statements for the account's booked
// transactions (pending ones are skipped): one statement per booking day,
// in date order, each with opening and closing balance. opening is the
// balance before the first transaction. Statement numbers count from 1.
func NewMT940Statements(acct AccountRef, opening kontor.Amount, txs []kontor.Transaction) ([]Statement, error) {
	var booked []kontor.Transaction
	for _, tx := range txs {
		if tx.Booked {
			booked = append(booked, tx)
		}
	}
	slices.SortStableFunc(booked, func(a, b kontor.Transaction) int {
		return day(a.BookingDate.Time).Compare(day(b.BookingDate.Time))
	})
	cur := acct.currency()
	var stmts []Statement
	balance := opening
	for i := 0; i < len(booked); {
		d := day(booked[i].BookingDate.Time)
		s := Statement{
			Reference: "STARTUMSE",
			Account:   acct.swiftAccount(),
			Number:    fmt.Sprintf("%05d/001", len(stmts)+1),
			Opening:   balanceOf(balance, d, cur),
			Entries:   []Entry{},
		}
		for ; i < len(booked) && day(booked[i].BookingDate.Time).Equal(d); i++ {
			var err error
			if balance, err = balance.Add(booked[i].Amount); err != nil {
				return nil, fmt.Errorf("building MT940: %w", err)
			}
			s.Entries = append(s.Entries, NewEntry(booked[i]))
		}
		s.Closing = balanceOf(balance, d, cur)
		stmts = append(stmts, s)
	}
	return stmts, nil
}

func balanceOf(a kontor.Amount, d time.Time, currency string) *Balance {
	b := &Balance{Mark: "C", Date: d, Currency: currency, Amount: a.Abs()}
	if a.Sign() < 0 {
		b.Mark = "D"
	}
	return b
}

// NewMT942Statement builds an MT942 report of the account's pending
// transactions (booked ones are skipped), created at the given time: a
// floor limit of 0, the entries (with an entry date only when the
// transaction has a booking date), and the debit and credit sums.
func NewMT942Statement(acct AccountRef, txs []kontor.Transaction, created time.Time) (Statement, error) {
	cur := acct.currency()
	s := Statement{
		Reference:   "STARTDISPE",
		Account:     acct.swiftAccount(),
		Number:      "00000/001",
		FloorLimits: []FloorLimit{{Currency: cur, Amount: kontor.AmountFromCents(0)}},
		Created:     created.UTC().Truncate(time.Minute),
		Entries:     []Entry{},
		Debits:      &Summary{Currency: cur, Amount: kontor.AmountFromCents(0)},
		Credits:     &Summary{Currency: cur, Amount: kontor.AmountFromCents(0)},
	}
	for _, tx := range txs {
		if tx.Booked {
			continue
		}
		e := NewEntry(tx)
		if tx.BookingDate.IsZero() {
			e.EntryDate = time.Time{}
		}
		sum := s.Credits
		if tx.Amount.Sign() < 0 {
			sum = s.Debits
		}
		sum.Count++
		var err error
		if sum.Amount, err = sum.Amount.Add(tx.Amount.Abs()); err != nil {
			return Statement{}, fmt.Errorf("building MT942: %w", err)
		}
		s.Entries = append(s.Entries, e)
	}
	return s, nil
}
