package finformat

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// GenerateOptions controls the SWIFT generators.
type GenerateOptions struct {
	// Charset is the output encoding; the zero value is ISO-8859-1.
	Charset Charset
}

// Line widths of generated SWIFT messages.
const (
	swiftLine = 65 // most fields
	suppLine  = 34 // the :61: supplementary details
)

// swiftWriter collects the lines of a generated SWIFT message.
type swiftWriter struct {
	cs    Charset
	lines []string
}

// field writes a field whose value may wrap over several lines. The value
// must not contain line breaks.
func (w *swiftWriter) field(tag, value string) error {
	value = cleanText(value, w.cs)
	if strings.ContainsAny(value, "\r\n") {
		return fmt.Errorf("field %s: value %s contains a line break", tag, quote(value))
	}
	lines := wrap(value, swiftLine)
	w.lines = append(w.lines, tag+lines[0])
	w.lines = append(w.lines, lines[1:]...)
	return nil
}

// rawLines writes a field from lines kept as sent: the first follows the
// tag, the others must read as continuation lines.
func (w *swiftWriter) rawLines(tag string, lines []string) error {
	for i, l := range lines {
		l = cleanText(l, w.cs)
		if strings.ContainsAny(l, "\r\n") || strings.Contains(l, "@@") {
			return fmt.Errorf("field %s: line %s contains a line break", tag, quote(l))
		}
		if i == 0 {
			w.lines = append(w.lines, tag+l)
			continue
		}
		if !isContinuationSafe(l) {
			return fmt.Errorf("field %s: line %s would not read as a continuation line", tag, quote(l))
		}
		w.lines = append(w.lines, l)
	}
	if len(lines) == 0 {
		w.lines = append(w.lines, tag)
	}
	return nil
}

// bytes returns the message with CRLF line ends.
func (w *swiftWriter) bytes() []byte {
	return encodeText(strings.Join(w.lines, "\r\n")+"\r\n", w.cs)
}

// GenerateMT940 writes statements as MT940 (or MT942: the MT942 fields are
// written when set), each ended by a "-" line, with CRLF line ends.
// [ParseMT940] reads the result back into the same statements. Values are
// checked: marks, dates (years 1980–2079), currencies, non-negative
// amounts and entry dates that resolve to the same year.
func GenerateMT940(stmts []Statement, opt GenerateOptions) ([]byte, error) {
	w := &swiftWriter{cs: opt.Charset}
	for i := range stmts {
		if err := w.statement(&stmts[i]); err != nil {
			return nil, fmt.Errorf("generating MT940 statement %d: %w", i+1, err)
		}
		w.lines = append(w.lines, "-")
	}
	return w.bytes(), nil
}

func (w *swiftWriter) statement(s *Statement) error {
	if err := w.field(":20:", s.Reference); err != nil {
		return err
	}
	for _, f := range []struct{ tag, v string }{{":21:", s.RelatedReference}, {":25:", s.Account}, {":28C:", s.Number}} {
		if f.v != "" {
			if err := w.field(f.tag, f.v); err != nil {
				return err
			}
		}
	}
	for _, fl := range s.FloorLimits {
		if fl.Mark != "" && fl.Mark != "D" && fl.Mark != "C" {
			return fmt.Errorf("floor limit mark %s: want D, C or empty", quote(fl.Mark))
		}
		a, err := swiftAmount(fl.Currency, fl.Amount)
		if err != nil {
			return fmt.Errorf("floor limit: %w", err)
		}
		w.lines = append(w.lines, ":34F:"+fl.Currency+fl.Mark+a)
	}
	if !s.Created.IsZero() {
		t := s.Created.UTC()
		if !shortYearOK(t.Year()) {
			return fmt.Errorf("creation time %s: year out of range", t.Format(time.RFC3339))
		}
		w.lines = append(w.lines, ":13D:"+t.Format("0601021504")+"+0000")
	}
	if s.Opening != nil {
		if err := w.balance(":60", s.Opening); err != nil {
			return err
		}
	}
	closingSide := s.Closing != nil || s.Available != nil || len(s.Forward) > 0 || s.Debits != nil || s.Credits != nil
	infoFirst := len(s.Entries) > 0 && !closingSide
	if infoFirst {
		if err := w.statementInfo(s.Info); err != nil {
			return err
		}
	}
	for i := range s.Entries {
		if err := w.entry(&s.Entries[i]); err != nil {
			return fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	if s.Closing != nil {
		if err := w.balance(":62", s.Closing); err != nil {
			return err
		}
	}
	if s.Available != nil {
		if err := w.balance(":64:", s.Available); err != nil {
			return err
		}
	}
	for i := range s.Forward {
		if err := w.balance(":65:", &s.Forward[i]); err != nil {
			return err
		}
	}
	for _, sum := range []struct {
		tag string
		s   *Summary
	}{{":90D:", s.Debits}, {":90C:", s.Credits}} {
		if sum.s == nil {
			continue
		}
		if sum.s.Count < 0 || sum.s.Count > 999999999 {
			return fmt.Errorf("field %s: count %d out of range", sum.tag, sum.s.Count)
		}
		a, err := swiftAmount(sum.s.Currency, sum.s.Amount)
		if err != nil {
			return fmt.Errorf("field %s: %w", sum.tag, err)
		}
		w.lines = append(w.lines, sum.tag+strconv.Itoa(sum.s.Count)+sum.s.Currency+a)
	}
	if !infoFirst {
		return w.statementInfo(s.Info)
	}
	return nil
}

func (w *swiftWriter) statementInfo(info []string) error {
	for _, in := range info {
		if err := w.rawLines(":86:", strings.Split(in, "\n")); err != nil {
			return err
		}
	}
	return nil
}

// swiftAmount checks a currency and a non-negative amount and formats the
// amount.
func swiftAmount(currency string, a kontor.Amount) (string, error) {
	if !isCurrency(currency) {
		return "", fmt.Errorf("currency %s is not three capital letters", quote(currency))
	}
	if a.Sign() < 0 {
		return "", fmt.Errorf("amount %s is negative; the sign goes into the mark", a)
	}
	return formatSwiftAmount(a), nil
}

// balance writes :60F:/:60M: or :62F:/:62M: (prefix ":60"/":62") or
// :64:/:65: (prefix the full tag).
func (w *swiftWriter) balance(prefix string, b *Balance) error {
	tag := prefix
	if len(prefix) == 3 {
		tag = prefix + "F:"
		if b.Intermediate {
			tag = prefix + "M:"
		}
	}
	if b.Mark != "C" && b.Mark != "D" {
		return fmt.Errorf("field %s: mark %s: want C or D", tag, quote(b.Mark))
	}
	d, err := formatYYMMDD(b.Date)
	if err != nil {
		return fmt.Errorf("field %s: %w", tag, err)
	}
	a, err := swiftAmount(b.Currency, b.Amount)
	if err != nil {
		return fmt.Errorf("field %s: %w", tag, err)
	}
	w.lines = append(w.lines, tag+b.Mark+d+b.Currency+a)
	return nil
}

func (w *swiftWriter) entry(e *Entry) error {
	var b strings.Builder
	vd, err := formatYYMMDD(e.ValueDate)
	if err != nil {
		return fmt.Errorf("value date: %w", err)
	}
	b.WriteString(vd)
	if !e.EntryDate.IsZero() {
		mmdd := e.EntryDate.Format("0102")
		got, err := entryDate(mmdd, day(e.ValueDate))
		if err != nil || !got.Equal(day(e.EntryDate)) {
			return fmt.Errorf("entry date %s is too far from value date %s to be written as MMDD",
				e.EntryDate.Format(time.DateOnly), e.ValueDate.Format(time.DateOnly))
		}
		b.WriteString(mmdd)
	}
	switch e.Mark {
	case "C", "D", "RC", "RD":
	default:
		return fmt.Errorf("mark %s: want C, D, RC or RD", quote(e.Mark))
	}
	b.WriteString(e.Mark)
	if e.FundsCode != "" {
		if len(e.FundsCode) != 1 || !isUpper(e.FundsCode[0]) {
			return fmt.Errorf("funds code %s: want one capital letter", quote(e.FundsCode))
		}
		b.WriteString(e.FundsCode)
	}
	if e.Amount.Sign() < 0 {
		return fmt.Errorf("amount %s is negative; the sign goes into the mark", e.Amount)
	}
	b.WriteString(formatSwiftAmount(e.Amount))
	typeCode := cleanText(e.TypeCode, w.cs)
	if typeCode == "" {
		typeCode = "NMSC"
	}
	if !isTypeCode(typeCode) {
		return fmt.Errorf("transaction type %s: want a letter and three letters or digits, such as NTRF", quote(typeCode))
	}
	b.WriteString(typeCode)
	cust := cleanText(e.CustomerRef, w.cs)
	if strings.Contains(cust, "//") {
		return fmt.Errorf("customer reference %s contains \"//\"", quote(cust))
	}
	b.WriteString(cust)
	if e.BankRef != "" {
		b.WriteString("//")
		b.WriteString(cleanText(e.BankRef, w.cs))
	}
	line := b.String()
	if strings.ContainsAny(line, "\r\n") || strings.Contains(line, "@@") {
		return errors.New("statement line contains a line break")
	}
	w.lines = append(w.lines, ":61:"+line)
	if e.Supplementary != "" {
		supp := cleanText(e.Supplementary, w.cs)
		if strings.ContainsAny(supp, "\r\n") {
			return errors.New("supplementary details contain a line break")
		}
		lines := wrap(supp, suppLine)
		if !isContinuationSafe(lines[0]) {
			lines[0] = " " + lines[0] // the value is trimmed when read
		}
		w.lines = append(w.lines, lines...)
	}
	if e.Info != nil {
		return w.info(e.Info)
	}
	return nil
}

func (w *swiftWriter) info(in *Info) error {
	if !in.Structured() {
		return w.rawLines(":86:", in.Lines)
	}
	if len(in.GVC) != 3 || !isDigits(in.GVC) {
		return fmt.Errorf("GVC %s: want three digits", quote(in.GVC))
	}
	for _, sf := range in.Subfields {
		if len(sf.Code) != 2 || !isDigits(sf.Code) {
			return fmt.Errorf("subfield code %s: want two digits", quote(sf.Code))
		}
		for p := 0; p < len(sf.Value); p++ {
			if isMarker(sf.Value, p) {
				return fmt.Errorf("subfield ?%s: value %s contains a subfield marker", sf.Code, quote(sf.Value))
			}
		}
	}
	return w.field(":86:", in.text())
}
