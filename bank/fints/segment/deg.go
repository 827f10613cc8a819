package segment

import (
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// CountryDE is the ISO 3166 numeric code of Germany used in bank IDs.
const CountryDE = "280"

// BankID is a Kreditinstitutskennung (KIK): country and bank code.
type BankID struct {
	Country string
	Code    string
}

func (b BankID) values() []wire.Value {
	c := b.Country
	if c == "" {
		c = CountryDE
	}
	return []wire.Value{wire.Text(c), wire.Text(b.Code)}
}

func readBankID(v vals) BankID { return BankID{Country: v.text(0), Code: v.text(1)} }

// Account identifies a bank account nationally (Kontoverbindung, KTV:
// number, sub-account, bank) and internationally (KTI: IBAN and BIC in
// front of the national parts). Any part may be empty.
type Account struct {
	IBAN       string
	BIC        string
	Number     string
	SubAccount string
	Country    string
	BankCode   string
}

func (a Account) bank() BankID { return BankID{Country: a.Country, Code: a.BankCode} }

// ktv returns the four values of a KTV.
func (a Account) ktv() []wire.Value {
	return append([]wire.Value{wire.Text(a.Number), wire.Text(a.SubAccount)}, a.bank().values()...)
}

// kti returns the six values of a KTI.
func (a Account) kti() []wire.Value {
	return append([]wire.Value{wire.Text(a.IBAN), wire.Text(a.BIC)}, a.ktv()...)
}

// account returns the KTV (up to version ktiFrom-1) or KTI values.
func (a Account) account(version, ktiFrom int) []wire.Value {
	if version >= ktiFrom {
		return a.kti()
	}
	return a.ktv()
}

// ktvLen and ktiLen are the number of values of the two account DEGs.
const (
	ktvLen = 4
	ktiLen = 6
)

func readKTV(v vals) Account {
	return Account{Number: v.text(0), SubAccount: v.text(1), Country: v.text(2), BankCode: v.text(3)}
}

func readKTI(v vals) Account {
	a := readKTV(v.sub(2, ktvLen))
	a.IBAN, a.BIC = v.text(0), v.text(1)
	return a
}

// readAccount reads a KTV or a KTI depending on the version.
func readAccount(v vals, version, ktiFrom int) Account {
	if version >= ktiFrom {
		return readKTI(v)
	}
	return readKTV(v)
}

// Money is a Betrag: an amount and its currency.
type Money struct {
	Amount   kontor.Amount
	Currency string
}

func (m Money) values() []wire.Value {
	return []wire.Value{wire.Amount(m.Amount), wire.Text(m.Currency)}
}

func readMoney(v vals) *Money {
	if v.empty(0) {
		return nil
	}
	return &Money{Amount: v.amount(0), Currency: v.text(1)}
}

func moneyValues(m *Money) []wire.Value {
	if m == nil {
		return nil
	}
	return m.values()
}

// Balance is a Saldo: a signed amount (negative for a debit balance), its
// currency and the date (and time, when the bank gives one) it refers to.
type Balance struct {
	Amount   kontor.Amount
	Currency string
	Date     time.Time
}

// balanceLen is the number of values of a Saldo with time.
const balanceLen = 5

func (b Balance) values() []wire.Value {
	mark := wire.Text("C")
	amt := b.Amount
	if amt.Sign() < 0 {
		mark, amt = wire.Text("D"), amt.Neg()
	}
	vs := []wire.Value{mark, wire.Amount(amt), wire.Text(b.Currency), wire.Date(b.Date)}
	if h, m, s := b.Date.Clock(); h+m+s > 0 {
		vs = append(vs, wire.Time(b.Date))
	}
	return vs
}

func readBalance(v vals) *Balance {
	if v.empty(0) && v.empty(1) {
		return nil
	}
	b := &Balance{Amount: v.amount(1), Currency: v.text(2), Date: v.dateTime(3)}
	switch v.text(0) {
	case "C":
	case "D":
		b.Amount = b.Amount.Neg()
	default:
		v.fail(0, errCreditDebit)
	}
	return b
}

func balanceValues(b *Balance) []wire.Value {
	if b == nil {
		return []wire.Value{wire.Empty}
	}
	return b.values()
}

// padded returns vs extended with empty values to n values, so that a
// group nested in a group keeps its positions.
func padded(vs []wire.Value, n int) []wire.Value {
	for len(vs) < n {
		vs = append(vs, wire.Empty)
	}
	return vs
}
