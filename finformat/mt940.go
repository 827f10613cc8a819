package finformat

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// Statement is one MT940 account statement or MT942 interim transaction
// report. Both share the field set; the MT942-only fields (:34F:, :13D:,
// :90D:, :90C:) stay empty in an MT940 and the balances usually stay empty in
// an MT942.
type Statement struct {
	// Reference is the transaction reference number (:20:), for example
	// "STARTUMSE".
	Reference string `json:"reference"`
	// RelatedReference is the related reference (:21:), if any.
	RelatedReference string `json:"relatedReference,omitempty"`
	// Account identifies the account as sent in :25:: "BLZ/account",
	// "BIC/IBAN" or an IBAN. See [Statement.BankAndAccount].
	Account string `json:"account"`
	// Number is the statement and sequence number (:28C:), such as
	// "00000/001".
	Number string `json:"number,omitempty"`
	// FloorLimits are the MT942 floor limit indicators (:34F:).
	FloorLimits []FloorLimit `json:"floorLimits,omitempty"`
	// Created is the MT942 creation time (:13D:) in UTC.
	Created time.Time `json:"created,omitzero"`
	// Opening is the opening balance (:60F: or :60M:).
	Opening *Balance `json:"opening,omitempty"`
	// Entries are the statement lines (:61: with their :86:).
	Entries []Entry `json:"entries"`
	// Closing is the closing balance (:62F: or :62M:).
	Closing *Balance `json:"closing,omitempty"`
	// Available is the closing available balance (:64:).
	Available *Balance `json:"available,omitempty"`
	// Forward are the forward available balances (:65:).
	Forward []Balance `json:"forward,omitempty"`
	// Debits and Credits are the MT942 sums of debit and credit entries
	// (:90D:, :90C:).
	Debits  *Summary `json:"debits,omitempty"`
	Credits *Summary `json:"credits,omitempty"` // nil when not sent
	// Info holds statement-level :86: fields that follow no :61:, one
	// string per field with its lines joined by "\n".
	Info []string `json:"info,omitempty"`
}

// Balance is a booked or available balance of a statement.
type Balance struct {
	// Mark is "C" (credit) or "D" (debit).
	Mark string `json:"mark"`
	// Date is the day the balance refers to.
	Date time.Time `json:"date"`
	// Currency is the ISO 4217 code.
	Currency string `json:"currency"`
	// Amount is the balance as written, never negative; see
	// [Balance.Signed].
	Amount kontor.Amount `json:"amount"`
	// Intermediate is set for :60M: and :62M: (intermediate balances of a
	// statement split over several messages) rather than :60F:/:62F:.
	Intermediate bool `json:"intermediate,omitempty"`
}

// Signed returns the balance with its sign: negative for "D".
func (b Balance) Signed() kontor.Amount {
	if b.Mark == "D" {
		return b.Amount.Neg()
	}
	return b.Amount
}

// FloorLimit is an MT942 floor limit indicator (:34F:).
type FloorLimit struct {
	Currency string `json:"currency"` // ISO 4217 code
	// Mark is "D", "C" or "" when the limit applies to both.
	Mark   string        `json:"mark,omitempty"`
	Amount kontor.Amount `json:"amount"` // never negative
}

// Summary is the number and sum of an MT942's debit or credit entries
// (:90D:, :90C:).
type Summary struct {
	Count    int           `json:"count"`    // number of entries
	Currency string        `json:"currency"` // ISO 4217 code
	Amount   kontor.Amount `json:"amount"`   // sum, never negative
}

// Entry is one statement line: a :61: field and the :86: that follows it.
type Entry struct {
	// ValueDate is the value date (Valuta).
	ValueDate time.Time `json:"valueDate"`
	// EntryDate is the booking date; zero when the :61: has none (often so
	// in MT942). Its year is taken from the value date, across a year end
	// when that puts it nearer.
	EntryDate time.Time `json:"entryDate,omitzero"`
	// Mark is "C" (credit), "D" (debit), "RC" (reversal of a credit, money
	// goes out) or "RD" (reversal of a debit, money comes in).
	Mark string `json:"mark"`
	// FundsCode is the optional third letter of the currency code.
	FundsCode string `json:"fundsCode,omitempty"`
	// Amount is the amount as written, never negative; see
	// [Entry.Signed].
	Amount kontor.Amount `json:"amount"`
	// TypeCode is the SWIFT transaction type: "N" and a three-letter code
	// ("NTRF", "NDDT", "NMSC", ...).
	TypeCode string `json:"typeCode"`
	// CustomerRef is the reference for the account owner ("NONREF" when
	// there is none).
	CustomerRef string `json:"customerRef"`
	// BankRef is the account servicing institution's reference (after
	// "//"), if any.
	BankRef string `json:"bankRef,omitempty"`
	// Supplementary is the :61:'s second line, such as
	// "/OCMT/EUR12,/CHGS/EUR0,5/".
	Supplementary string `json:"supplementary,omitempty"`
	// Info is the entry's :86: field; nil when there is none.
	Info *Info `json:"info,omitempty"`
}

// Signed returns the amount with its effect on the balance: negative for
// "D" and "RC", positive for "C" and "RD".
func (e Entry) Signed() kontor.Amount {
	if e.Mark == "D" || e.Mark == "RC" {
		return e.Amount.Neg()
	}
	return e.Amount
}

// BankAndAccount splits Account ("10020000/1234567890" or
// "FINODEB1XXX/DE29...") into bank and account. An account without a slash
// is returned whole, with an empty bank.
func (s *Statement) BankAndAccount() (bank, account string) {
	if i := strings.IndexByte(s.Account, '/'); i >= 0 {
		return s.Account[:i], s.Account[i+1:]
	}
	return "", s.Account
}

// Currency returns the statement's currency: that of the first balance,
// floor limit or summary that has one, or "" when there is none.
func (s *Statement) Currency() string {
	for _, b := range []*Balance{s.Opening, s.Closing, s.Available} {
		if b != nil && b.Currency != "" {
			return b.Currency
		}
	}
	for _, f := range s.FloorLimits {
		if f.Currency != "" {
			return f.Currency
		}
	}
	for _, sum := range []*Summary{s.Debits, s.Credits} {
		if sum != nil && sum.Currency != "" {
			return sum.Currency
		}
	}
	for _, b := range s.Forward {
		if b.Currency != "" {
			return b.Currency
		}
	}
	return ""
}

// IsMT942 reports whether the statement carries any MT942-only field.
func (s *Statement) IsMT942() bool {
	return len(s.FloorLimits) > 0 || !s.Created.IsZero() || s.Debits != nil || s.Credits != nil
}

// field is one SWIFT field: its tag, the line it starts on and its lines
// without the tag.
type field struct {
	tag   string
	line  int
	lines []string
}

// text joins the field's lines without separators: SWIFT wraps long values
// at arbitrary positions.
func (f *field) text() string { return strings.Join(f.lines, "") }

// readFields splits a SWIFT message into messages (ended by "-" lines) of
// fields. Envelope headers are skipped and empty lines ignored.
func readFields(format string, data []byte) ([][]field, error) {
	lines := splitLines(decodeText(data))
	var msgs [][]field
	var cur []field
	for i, line := range lines {
		n := i + 1
		if tag, rest, ok := fieldTag(line); ok {
			cur = append(cur, field{tag: tag, line: n, lines: []string{rest}})
			continue
		}
		switch {
		case line == "":
		case isTerminator(line):
			if len(cur) > 0 {
				msgs = append(msgs, cur)
				cur = nil
			}
		case isHeader(line):
			// A SWIFT envelope ("{1:F01...}{2:...}{4:"); the fields
			// follow on the next lines.
		case len(cur) > 0:
			f := &cur[len(cur)-1]
			f.lines = append(f.lines, line)
		case strings.TrimSpace(line) == "":
		default:
			return nil, &ParseError{Format: format, Line: n, Msg: "text outside a field: " + quote(line)}
		}
	}
	if len(cur) > 0 {
		msgs = append(msgs, cur)
	}
	return msgs, nil
}

// ParseMT940 reads MT940 statements and MT942 reports, as many as the data
// holds (HIKAZ pages concatenated). The data is ISO-8859-1 unless it is
// valid UTF-8 with multi-byte characters; lines may end in CRLF, LF or "@@".
// A new statement starts at each :20: and after each "-" line.
//
// Unknown fields are skipped. Malformed known fields are errors of type
// *[ParseError] naming the line and field.
func ParseMT940(data []byte) ([]Statement, error) {
	msgs, err := readFields("MT940", data)
	if err != nil {
		return nil, err
	}
	var stmts []Statement
	for _, fields := range msgs {
		var cur *Statement
		entryOpen := false
		for i := range fields {
			f := &fields[i]
			if cur == nil || (f.tag == ":20:" && i > 0) {
				stmts = append(stmts, Statement{Entries: []Entry{}})
				cur = &stmts[len(stmts)-1]
			}
			wasOpen := entryOpen
			entryOpen = false
			if err := cur.parseField(f, wasOpen, &entryOpen); err != nil {
				return nil, err
			}
		}
	}
	return stmts, nil
}

func (s *Statement) parseField(f *field, entryOpen bool, openNext *bool) error {
	wrapErr := func(err error) error {
		return &ParseError{Format: "MT940", Line: f.line, Field: f.tag, Msg: "invalid value", Err: err}
	}
	text := strings.TrimSpace(f.text())
	switch f.tag {
	case ":20:":
		s.Reference = text
	case ":21:":
		s.RelatedReference = text
	case ":25:":
		s.Account = text
	case ":28C:", ":28:":
		s.Number = text
	case ":60F:", ":60M:", ":62F:", ":62M:", ":64:", ":65:":
		b, err := parseBalance(text)
		if err != nil {
			return wrapErr(err)
		}
		b.Intermediate = strings.HasSuffix(f.tag, "M:")
		switch f.tag[:3] {
		case ":60":
			s.Opening = &b
		case ":62":
			s.Closing = &b
		case ":64":
			s.Available = &b
		default:
			s.Forward = append(s.Forward, b)
		}
	case ":61:":
		e, err := parseEntryLine(f.lines[0])
		if err != nil {
			return wrapErr(err)
		}
		e.Supplementary = strings.TrimSpace(strings.Join(f.lines[1:], ""))
		s.Entries = append(s.Entries, e)
		*openNext = true
	case ":86:":
		if entryOpen {
			info := parseInfo(f.lines)
			s.Entries[len(s.Entries)-1].Info = &info
		} else {
			s.Info = append(s.Info, strings.Join(f.lines, "\n"))
		}
	case ":13D:", ":13:":
		t, err := parseCreated(text)
		if err != nil {
			return wrapErr(err)
		}
		s.Created = t
	case ":34F:":
		fl, err := parseFloorLimit(text)
		if err != nil {
			return wrapErr(err)
		}
		s.FloorLimits = append(s.FloorLimits, fl)
	case ":90D:", ":90C:":
		sum, err := parseSummary(text)
		if err != nil {
			return wrapErr(err)
		}
		if f.tag == ":90D:" {
			s.Debits = &sum
		} else {
			s.Credits = &sum
		}
	}
	// Unknown fields (:NS:, bank-specific ones) are skipped.
	return nil
}

// parseBalance parses "C250301EUR1041,23".
func parseBalance(s string) (Balance, error) {
	if len(s) < 11 {
		return Balance{}, fmt.Errorf("balance %s: want mark, YYMMDD, currency and amount", quote(s))
	}
	if s[0] != 'C' && s[0] != 'D' {
		return Balance{}, fmt.Errorf("balance %s: mark must be C or D", quote(s))
	}
	d, err := parseYYMMDD(s[1:7])
	if err != nil {
		return Balance{}, fmt.Errorf("balance %s: %w", quote(s), err)
	}
	cur := s[7:10]
	if !isCurrency(cur) {
		return Balance{}, fmt.Errorf("balance %s: currency %s is not three letters", quote(s), quote(cur))
	}
	a, err := parseSwiftAmount(s[10:])
	if err != nil {
		return Balance{}, fmt.Errorf("balance %s: %w", quote(s), err)
	}
	return Balance{Mark: s[:1], Date: d, Currency: cur, Amount: a}, nil
}

// isTypeCode reports whether s is a SWIFT transaction type such as "NTRF"
// or "N153".
func isTypeCode(s string) bool {
	if len(s) != 4 || !isUpper(s[0]) {
		return false
	}
	for i := 1; i < 4; i++ {
		if !isUpper(s[i]) && !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func isCurrency(s string) bool {
	return len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

// parseEntryLine parses the first line of a :61: field, such as
// "2503100310DR12,00NDDTNONREF//55555".
func parseEntryLine(s string) (Entry, error) {
	var e Entry
	if len(s) < 6 {
		return e, fmt.Errorf("statement line %s: too short", quote(s))
	}
	v, err := parseYYMMDD(s[:6])
	if err != nil {
		return e, fmt.Errorf("value date: %w", err)
	}
	e.ValueDate = v
	p := 6
	if len(s) >= p+4 && isDigits(s[p:p+4]) {
		if e.EntryDate, err = entryDate(s[p:p+4], v); err != nil {
			return e, err
		}
		p += 4
	}
	switch {
	case strings.HasPrefix(s[p:], "RC"), strings.HasPrefix(s[p:], "RD"):
		e.Mark = s[p : p+2]
		p += 2
	case strings.HasPrefix(s[p:], "C"), strings.HasPrefix(s[p:], "D"):
		e.Mark = s[p : p+1]
		p++
	default:
		return e, fmt.Errorf("statement line %s: credit/debit mark at position %d must be C, D, RC or RD", quote(s), p+1)
	}
	if p < len(s) && isUpper(s[p]) {
		e.FundsCode = s[p : p+1]
		p++
	}
	start := p
	for p < len(s) && (isDigit(s[p]) || s[p] == ',') {
		p++
	}
	if e.Amount, err = parseSwiftAmount(s[start:p]); err != nil {
		return e, fmt.Errorf("statement line %s: %w", quote(s), err)
	}
	// The transaction type: a letter (N, F or S) and a three-character
	// code.
	if len(s) < p+4 {
		return e, fmt.Errorf("statement line %s: transaction type missing after the amount", quote(s))
	}
	if !isTypeCode(s[p : p+4]) {
		return e, fmt.Errorf("statement line %s: transaction type %s: want a letter and three letters or digits, such as NTRF", quote(s), quote(s[p:p+4]))
	}
	e.TypeCode = s[p : p+4]
	p += 4
	rest := s[p:]
	if i := strings.Index(rest, "//"); i >= 0 {
		e.CustomerRef = strings.TrimSpace(rest[:i])
		e.BankRef = strings.TrimSpace(rest[i+2:])
	} else {
		e.CustomerRef = strings.TrimSpace(rest)
	}
	return e, nil
}

// parseCreated parses an MT942 creation time, "2503101530+0100" (:13D:)
// or "2503101530" (:13:).
func parseCreated(s string) (time.Time, error) {
	if len(s) != 10 && len(s) != 15 || !isDigits(s[:10]) {
		return time.Time{}, fmt.Errorf("creation time %s: want YYMMDDhhmm and an offset such as +0100", quote(s))
	}
	d, err := parseYYMMDD(s[:6])
	if err != nil {
		return time.Time{}, err
	}
	hh, mm := atoi2(s[6:]), atoi2(s[8:])
	if hh > 23 || mm > 59 {
		return time.Time{}, fmt.Errorf("creation time %s: no such time of day", quote(s))
	}
	offset := 0
	if len(s) == 15 {
		sign := s[10]
		if sign != '+' && sign != '-' || !isDigits(s[11:]) {
			return time.Time{}, fmt.Errorf("creation time %s: offset must be +hhmm or -hhmm", quote(s))
		}
		oh, om := atoi2(s[11:]), atoi2(s[13:])
		if oh > 23 || om > 59 {
			return time.Time{}, fmt.Errorf("creation time %s: no such offset", quote(s))
		}
		offset = (oh*60 + om) * 60
		if sign == '-' {
			offset = -offset
		}
	}
	t := d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute - time.Duration(offset)*time.Second)
	return t.UTC(), nil
}

// parseFloorLimit parses "EURD0," or "EUR100,".
func parseFloorLimit(s string) (FloorLimit, error) {
	if len(s) < 4 || !isCurrency(s[:3]) {
		return FloorLimit{}, fmt.Errorf("floor limit %s: want currency, optional D or C, and amount", quote(s))
	}
	fl := FloorLimit{Currency: s[:3]}
	rest := s[3:]
	if rest[0] == 'D' || rest[0] == 'C' {
		fl.Mark, rest = rest[:1], rest[1:]
	}
	a, err := parseSwiftAmount(rest)
	if err != nil {
		return FloorLimit{}, fmt.Errorf("floor limit %s: %w", quote(s), err)
	}
	fl.Amount = a
	return fl, nil
}

// parseSummary parses "3EUR123,45".
func parseSummary(s string) (Summary, error) {
	p := 0
	for p < len(s) && isDigit(s[p]) {
		p++
	}
	if p == 0 || p > 9 || len(s) < p+4 || !isCurrency(s[p:p+3]) {
		return Summary{}, fmt.Errorf("summary %s: want count, currency and amount", quote(s))
	}
	n, err := strconv.Atoi(s[:p])
	if err != nil {
		return Summary{}, fmt.Errorf("summary %s: %w", quote(s), err)
	}
	a, err := parseSwiftAmount(s[p+3:])
	if err != nil {
		return Summary{}, fmt.Errorf("summary %s: %w", quote(s), err)
	}
	return Summary{Count: n, Currency: s[p : p+3], Amount: a}, nil
}

// CheckBalance reports whether the opening balance plus the entries gives
// the closing balance, which tells a complete statement from a truncated
// one. A statement without both balances passes.
func (s *Statement) CheckBalance() error {
	if s.Opening == nil || s.Closing == nil {
		return nil
	}
	sum := s.Opening.Signed()
	for i := range s.Entries {
		var err error
		if sum, err = sum.Add(s.Entries[i].Signed()); err != nil {
			return fmt.Errorf("statement %s: %w", s.Reference, err)
		}
	}
	if !sum.Equal(s.Closing.Signed()) {
		return fmt.Errorf("statement %s: opening balance %s plus entries gives %s, closing balance is %s",
			s.Reference, s.Opening.Signed(), sum, s.Closing.Signed())
	}
	return nil
}
