package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
)

// Limits on uploaded data.
const (
	// MaxIDLength is the longest caller-given identifier.
	MaxIDLength = 255
	// MaxTextLength is the longest free text, such as a purpose.
	MaxTextLength = 4096
)

// SetLogins replaces the user's uploaded logins with logins, atomically:
// either all of them are stored or, on any error, nothing changes.
// Identifiers the caller gave are kept; missing ones are made. Nested
// items without an accountID get their account's ID.
func (s *Service) SetLogins(ctx context.Context, c *kontor.Client, userID string, logins []kontor.Login) error {
	if err := prepareLogins(logins); err != nil {
		return err
	}
	if err := s.store.ReplaceUploadedLogins(ctx, c.ID, userID, logins); err != nil {
		return err
	}
	s.notifyAnalysis()
	return nil
}

// Logins returns all of the user's logins and their data, each with the
// status of the user's analysis.
func (s *Service) Logins(ctx context.Context, c *kontor.Client, userID string) ([]kontor.Login, error) {
	return s.store.Logins(ctx, c.ID, userID)
}

// EncodedLogins is Logins with each transaction as its stored JSON
// document (Transaction.Encoded), for writing them out as they are.
func (s *Service) EncodedLogins(ctx context.Context, c *kontor.Client, userID string) ([]kontor.Login, error) {
	return s.store.EncodedLogins(ctx, c.ID, userID)
}

// DeleteLogin removes one login of the user.
func (s *Service) DeleteLogin(ctx context.Context, c *kontor.Client, userID, loginID string) error {
	if err := s.store.DeleteLogin(ctx, c.ID, userID, loginID); err != nil {
		return err
	}
	s.notifyAnalysis()
	return nil
}

// prepareLogins validates uploaded logins and fills in what the server
// derives. Errors name the offending field by its JSON path.
func prepareLogins(logins []kontor.Login) error {
	v := validator{}
	seen := map[string]int{}
	for li := range logins {
		l := &logins[li]
		lp := path{list: "logins", i: li}
		v.id(lp, ".id", l.ID)
		if l.AnalysisStatus != "" {
			v.failf("%s.analysisStatus is set by Kontor and cannot be uploaded", lp)
		}
		if l.ID == "" {
			l.ID = kontor.NewID()
		}
		if prev, dup := seen[l.ID]; dup {
			v.failf("%s.id repeats the id of logins[%d]", lp, prev)
		}
		seen[l.ID] = li
		v.text(lp, ".bank.name", l.Bank.Name)
		v.text(lp, ".bank.bic", l.Bank.BIC)
		v.text(lp, ".bank.bankCode", l.Bank.BankCode)
		v.text(lp, ".bank.logo.url", l.Bank.Logo.URL)
		v.text(lp, ".bank.logo.type", l.Bank.Logo.Type)
		if l.Accounts == nil {
			l.Accounts = []kontor.Account{}
		}
		accounts := map[string]int{}
		for ai := range l.Accounts {
			prepareAccount(&v, path{parent: lp.String(), list: ".accounts", i: ai}, &l.Accounts[ai], accounts, ai)
		}
		if v.err != nil {
			return v.err
		}
	}
	return v.err
}

func prepareAccount(v *validator, ap path, a *kontor.Account, seen map[string]int, ai int) {
	aps := ap.String()
	v.id(ap, ".id", a.ID)
	if a.ID != "" {
		if prev, dup := seen[a.ID]; dup {
			v.failf("%s.id repeats the id of accounts[%d]", ap, prev)
		}
		seen[a.ID] = ai
	}
	for _, f := range []struct{ path, s string }{
		{".iban", a.IBAN}, {".number", a.Number}, {".name", a.Name}, {".owner", a.Owner}, {".type", a.Type},
	} {
		v.text(ap, f.path, f.s)
	}
	v.currency(ap, ".currency", a.Currency)
	if a.Transactions == nil {
		a.Transactions = []kontor.Transaction{}
	}
	if a.StandingOrders == nil {
		a.StandingOrders = []kontor.StandingOrder{}
	}
	if a.Securities == nil {
		a.Securities = []kontor.Security{}
	}
	occurrences := map[[32]byte]int{}
	for ti := range a.Transactions {
		t := &a.Transactions[ti]
		tp := path{parent: aps, list: ".transactions", i: ti}
		v.id(tp, ".id", t.ID)
		v.id(tp, ".accountID", t.AccountID)
		if t.AccountID == "" {
			t.AccountID = a.ID
		}
		v.currency(tp, ".currency", t.Currency)
		v.text(tp, ".mref", t.MRef)
		v.text(tp, ".purpose", t.Purpose)
		v.text(tp, ".counterPart.bic", t.CounterPart.BIC)
		v.text(tp, ".counterPart.iban", t.CounterPart.IBAN)
		v.text(tp, ".counterPart.creditorId", t.CounterPart.CreditorID)
		v.text(tp, ".counterPart.name", t.CounterPart.Name)
		if t.Tags == nil {
			t.Tags = []kontor.Tag{}
		}
		for gi, tag := range t.Tags {
			gp := path{parent: aps, list: ".transactions", i: ti, sub: ".tags", j: gi}
			v.required(gp, ".name", tag.Name)
			v.text(gp, ".name", tag.Name)
			v.text(gp, ".source", tag.Source)
		}
		if t.Codes == nil {
			t.Codes = []kontor.Code{}
		}
		for ci, code := range t.Codes {
			cp := path{parent: aps, list: ".transactions", i: ti, sub: ".codes", j: ci}
			v.text(cp, ".value", code.Value)
			v.text(cp, ".type", code.Type)
		}
		if t.ID == "" && v.err == nil {
			t.ID = contentID(a.ID, t, occurrences)
		}
		if v.err != nil {
			return
		}
	}
	for si := range a.StandingOrders {
		o := &a.StandingOrders[si]
		sp := path{parent: aps, list: ".standingOrders", i: si}
		v.id(sp, ".id", o.ID)
		v.id(sp, ".accountID", o.AccountID)
		if o.AccountID == "" {
			o.AccountID = a.ID
		}
		if o.ExecutionDay < 0 || o.ExecutionDay > 31 {
			v.failf("%s.executionDay must be between 0 and 31", sp)
		}
		v.text(sp, ".interval", o.Interval)
		v.currency(sp, ".currency", o.Currency)
		v.text(sp, ".purpose", o.Purpose)
	}
	for si := range a.Securities {
		sec := &a.Securities[si]
		sp := path{parent: aps, list: ".securities", i: si}
		v.id(sp, ".id", sec.ID)
		v.id(sp, ".accountID", sec.AccountID)
		if sec.AccountID == "" {
			sec.AccountID = a.ID
		}
		v.currency(sp, ".currency", sec.Currency)
		v.currency(sp, ".priceCurrency", sec.PriceCurrency)
		v.currency(sp, ".purchasePriceCurrency", sec.PurchasePriceCurrency)
		for _, f := range []struct{ path, s string }{{".isin", sec.ISIN}, {".name", sec.Name}, {".market", sec.Market}} {
			v.text(sp, f.path, f.s)
		}
	}
}

// contentID derives a transaction ID from its content, so that uploading
// the same transaction again yields the same ID. Identical twins on one
// account are told apart by their occurrence.
func contentID(accountID string, t *kontor.Transaction, occurrences map[[32]byte]int) string {
	h := sha256.New()
	for _, s := range []string{accountID, t.BookingDate.String(), t.ValueDate.String(), t.Amount.String(), t.Currency,
		t.Purpose, t.MRef, t.CounterPart.IBAN, t.CounterPart.Name, strconv.FormatBool(t.Booked)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var sum [32]byte
	h.Sum(sum[:0])
	n := occurrences[sum]
	occurrences[sum] = n + 1
	h.Write([]byte(strconv.Itoa(n)))
	return "T" + hex.EncodeToString(h.Sum(nil)[:12])
}

// path is where a value is in the request, as a JSON path such as
// logins[0].accounts[1].transactions[7].tags[0]: an element of a list
// under a parent path, and possibly an element of a list within that. It
// is formatted only for an error message, so that validating a large
// upload builds no strings.
type path struct {
	parent, list string
	i            int
	sub          string // a list within element i, such as ".tags"; "" for none
	j            int
}

// String returns the path as it appears in error messages.
func (p path) String() string {
	s := p.parent + p.list + "[" + strconv.Itoa(p.i) + "]"
	if p.sub != "" {
		s += p.sub + "[" + strconv.Itoa(p.j) + "]"
	}
	return s
}

// validator collects the first validation error.
type validator struct{ err error }

func (v *validator) failf(format string, args ...any) {
	if v.err == nil {
		v.err = kontor.Errorf(kontor.EINVALID, "Bad request. "+format, args...)
	}
}

// The checks below name the value checked by the path of what holds it
// and the field, such as ".purpose".

func (v *validator) required(at path, field, s string) {
	if s == "" {
		v.failf("%s%s is required", at, field)
	}
}

func (v *validator) text(at path, field, s string) {
	if v.err != nil {
		return
	}
	switch textFault(s) {
	case tooLong:
		v.failf("%s%s is longer than %d characters", at, field, MaxTextLength)
	case controlCharacter:
		v.failf("%s%s contains a control character", at, field)
	}
}

// plainASCII reports whether the eight bytes of s are ASCII characters
// that are not control characters, looking at all at once.
func plainASCII(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	w := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	del := w ^ (ones * 0x7f)
	return ((w-ones*0x20)&^w|(del-ones)&^del|w)&highs == 0
}

// What can be wrong with a text, in the order the checks report it.
const (
	textOK = iota
	tooLong
	controlCharacter
)

// textFault tells whether s has more than MaxTextLength characters (an
// invalid UTF-8 byte counting as one), or else a control character other
// than newline, carriage return and tab, in one pass over its bytes.
func textFault(s string) int {
	if len(s) > MaxTextLength*utf8.UTFMax {
		return tooLong
	}
	fault, n := textOK, 0
	for i := 0; i < len(s); n++ {
		if i+8 <= len(s) && plainASCII(s[i:i+8]) {
			i, n = i+8, n+7
			continue
		}
		c := s[i]
		if c >= utf8.RuneSelf {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7f {
			if len(s) <= MaxTextLength {
				return controlCharacter // it cannot be too long
			}
			fault = controlCharacter
		}
		i++
	}
	if n > MaxTextLength {
		return tooLong
	}
	return fault
}

func (v *validator) id(at path, field, s string) {
	if v.err != nil {
		return
	}
	if len(s) > MaxIDLength {
		v.failf("%s%s is longer than %d bytes", at, field, MaxIDLength)
		return
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			v.failf("%s%s contains a control character", at, field)
			return
		}
	}
}

func (v *validator) currency(at path, field, s string) {
	if v.err == nil && s != "" && !isCurrencyCode(s) {
		v.failf("%s%s must be an ISO 4217 code such as EUR", at, field)
	}
}

// isCurrencyCode reports whether s has the form of an ISO 4217 code:
// three capital letters.
func isCurrencyCode(s string) bool {
	return len(s) == 3 && 'A' <= s[0] && s[0] <= 'Z' && 'A' <= s[1] && s[1] <= 'Z' && 'A' <= s[2] && s[2] <= 'Z'
}
