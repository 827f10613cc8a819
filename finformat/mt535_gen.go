package finformat

import (
	"fmt"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// GenerateMT535 writes statements of holdings as MT535 with CRLF line
// ends, each ended by a "-" line. [ParseMT535] reads the result back into
// the same statements.
func GenerateMT535(stmts []MT535Statement, opt GenerateOptions) ([]byte, error) {
	w := &swiftWriter{cs: opt.Charset}
	for i := range stmts {
		if err := w.mt535(&stmts[i]); err != nil {
			return nil, fmt.Errorf("generating MT535 statement %d: %w", i+1, err)
		}
		w.lines = append(w.lines, "-")
	}
	return w.bytes(), nil
}

// date98 writes a :98A: date or, with a time of day, a :98C: date and
// time.
func (w *swiftWriter) date98(qual string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if t.Year() < 1 || t.Year() > 9999 {
		return fmt.Errorf("%s date %s out of range", qual, t.Format(time.RFC3339))
	}
	if t.Equal(day(t)) {
		return w.field(":98A:", ":"+qual+"//"+t.Format("20060102"))
	}
	return w.field(":98C:", ":"+qual+"//"+t.UTC().Format("20060102150405"))
}

func signedSwift(a kontor.Amount) string {
	if a.Sign() < 0 {
		return "N" + formatSwiftAmount(a)
	}
	return formatSwiftAmount(a)
}

func moneySwift(m *Money) (string, error) {
	if !isCurrency(m.Currency) {
		return "", fmt.Errorf("currency %s is not three capital letters", quote(m.Currency))
	}
	if m.Amount.Sign() < 0 {
		return "N" + m.Currency + formatSwiftAmount(m.Amount), nil
	}
	return m.Currency + formatSwiftAmount(m.Amount), nil
}

func (w *swiftWriter) mt535(s *MT535Statement) error {
	w.lines = append(w.lines, ":16R:GENL")
	for _, f := range []struct{ tag, prefix, v string }{
		{":28E:", "", s.Page}, {":13A:", ":STAT//", s.Number}, {":20C:", ":SEME//", s.Reference}, {":23G:", "", s.Function},
	} {
		if f.v != "" {
			if err := w.field(f.tag, f.prefix+f.v); err != nil {
				return err
			}
		}
	}
	if err := w.date98("PREP", s.Prepared); err != nil {
		return err
	}
	if err := w.date98("STAT", s.Date); err != nil {
		return err
	}
	for _, ind := range s.Indicators {
		if err := w.field(":22F:", ":"+ind); err != nil {
			return err
		}
	}
	if s.Depot != "" {
		if err := w.field(":97A:", ":SAFE//"+s.Depot); err != nil {
			return err
		}
	}
	if s.Activity != "" {
		if err := w.field(":17B:", ":ACTI//"+s.Activity); err != nil {
			return err
		}
	}
	w.lines = append(w.lines, ":16S:GENL")
	for i := range s.Holdings {
		if err := w.holding(&s.Holdings[i]); err != nil {
			return fmt.Errorf("holding %d: %w", i+1, err)
		}
	}
	if s.Total != nil {
		v, err := moneySwift(s.Total)
		if err != nil {
			return fmt.Errorf("total: %w", err)
		}
		w.lines = append(w.lines, ":16R:ADDINFO", ":19A::HOLP//"+v, ":16S:ADDINFO")
	}
	return nil
}

func (w *swiftWriter) holding(h *Holding) error {
	w.lines = append(w.lines, ":16R:FIN")
	lines := []string{""}
	names := h.NameLines
	switch {
	case h.ISIN != "":
		lines[0] = "ISIN " + h.ISIN
	case h.NationalID == "" && len(names) > 0 && !isContinuationSafe(names[0]):
		// A first line such as ":00:" was read after the tag; it goes back
		// there.
		lines[0], names = names[0], names[1:]
	}
	if h.NationalID != "" {
		lines = append(lines, h.NationalID)
	}
	lines = append(lines, names...)
	if err := w.rawLines(":35B:", lines); err != nil {
		return err
	}
	if h.Price != nil {
		if h.PriceType == "" || strings.Contains(h.PriceType, "/") {
			return fmt.Errorf("price type %s: want a code such as ACTU or PRCT", quote(h.PriceType))
		}
		sign := ""
		if h.Price.Sign() < 0 {
			sign = "N"
		}
		tag := ":90A:"
		if h.PriceCurrency != "" {
			if !isCurrency(h.PriceCurrency) {
				return fmt.Errorf("price currency %s is not three capital letters", quote(h.PriceCurrency))
			}
			tag = ":90B:"
		}
		v := sign + h.PriceCurrency + formatSwiftAmount(*h.Price)
		if err := w.field(tag, ":"+h.PriceQualifier+"//"+h.PriceType+"/"+v); err != nil {
			return err
		}
	}
	if h.PriceSource != "" {
		if err := w.field(":94B:", ":PRIC//"+h.PriceSource); err != nil {
			return err
		}
	}
	if err := w.date98("PRIC", h.PriceDate); err != nil {
		return err
	}
	if h.QuantityType != "" || !h.Quantity.IsZero() {
		typ := h.QuantityType
		if typ == "" {
			typ = "UNIT"
		}
		if strings.Contains(typ, "/") {
			return fmt.Errorf("quantity type %s: want UNIT or FAMT", quote(typ))
		}
		if err := w.field(":93B:", ":AGGR//"+typ+"/"+signedSwift(h.Quantity)); err != nil {
			return err
		}
	}
	for _, m := range []struct {
		qual string
		m    *Money
	}{{"HOLD", h.MarketValue}, {"ACRU", h.AccruedInterest}} {
		if m.m == nil {
			continue
		}
		v, err := moneySwift(m.m)
		if err != nil {
			return fmt.Errorf("%s: %w", m.qual, err)
		}
		w.lines = append(w.lines, ":19A::"+m.qual+"//"+v)
	}
	if r := h.ExchangeRate; r != nil {
		if !isCurrency(r.From) || !isCurrency(r.To) || r.Rate.Sign() < 0 {
			return fmt.Errorf("exchange rate %s/%s/%s is not valid", r.From, r.To, r.Rate)
		}
		w.lines = append(w.lines, ":92B::EXCH//"+r.From+"/"+r.To+"/"+formatSwiftAmount(r.Rate))
	}
	if len(h.HoldingInfo) > 0 {
		info := append([]string{":HOLD//" + h.HoldingInfo[0]}, h.HoldingInfo[1:]...)
		if err := w.rawLines(":70E:", info); err != nil {
			return err
		}
	}
	w.lines = append(w.lines, ":16S:FIN")
	return nil
}

// NewMT535 builds a statement of holdings for a depot ("BLZ/depot
// number") from securities, dated date. A security whose PriceCurrency is
// "%" gets a percentage price (:90A: PRCT) and a face-amount quantity (FAMT);
// the others a price per unit (:90B: ACTU) and a quantity in units. The
// market becomes the price source "LMAR/<market>", the purchase price the
// :70E: line "2<price>+<currency>", and the exchange rate a :92B: from the
// security's currency to its price currency. The total is the sum of the
// market values when they share one currency.
func NewMT535(depot string, secs []kontor.Security, date time.Time) (MT535Statement, error) {
	s := MT535Statement{
		Page:       "1/ONLY",
		Number:     "1",
		Reference:  "NONREF",
		Function:   "NEWM",
		Prepared:   date.UTC().Truncate(time.Second),
		Date:       day(date),
		Indicators: []string{"STTY//CUST"},
		Depot:      depot,
		Activity:   "Y",
		Holdings:   []Holding{},
	}
	if len(secs) == 0 {
		s.Activity = "N"
	}
	var total *Money
	sameCurrency := true
	for _, sec := range secs {
		h := Holding{
			ISIN:           clean(sec.ISIN),
			NameLines:      nameLines(clean(sec.Name)),
			PriceQualifier: "MRKT",
			QuantityType:   "UNIT",
			Quantity:       sec.Quantity,
		}
		price := sec.PriceAmount
		if sec.PriceCurrency == "%" {
			h.PriceType, h.QuantityType = "PRCT", "FAMT"
			h.Price = &price
		} else if isCurrency(sec.PriceCurrency) {
			h.PriceType, h.PriceCurrency = "ACTU", sec.PriceCurrency
			h.Price = &price
		}
		if sec.Market != "" {
			h.PriceSource = "LMAR/" + clean(sec.Market)
		}
		if isCurrency(sec.Currency) {
			h.MarketValue = &Money{Currency: sec.Currency, Amount: sec.Amount}
			switch {
			case total == nil:
				total = &Money{Currency: sec.Currency, Amount: sec.Amount}
			case total.Currency != sec.Currency:
				sameCurrency = false
			default:
				sum, err := total.Amount.Add(sec.Amount)
				if err != nil {
					return s, fmt.Errorf("building MT535: %w", err)
				}
				total.Amount = sum
			}
		}
		if !sec.ExchangeRate.IsZero() && isCurrency(sec.Currency) && isCurrency(sec.PriceCurrency) {
			h.ExchangeRate = &FXRate{From: sec.Currency, To: sec.PriceCurrency, Rate: sec.ExchangeRate.Abs()}
		}
		unit := "STK"
		if h.QuantityType == "FAMT" && isCurrency(sec.Currency) {
			unit = sec.Currency
		}
		h.HoldingInfo = []string{"1" + unit}
		if !sec.PurchasePriceAmount.IsZero() {
			pp, ppc := sec.PurchasePriceAmount, clean(sec.PurchasePriceCurrency)
			h.PurchasePrice, h.PurchaseCurrency = &pp, ppc
			h.HoldingInfo = append(h.HoldingInfo, "2"+formatSwiftAmount(pp)+"+"+ppc)
			if pp.Sign() < 0 {
				return s, fmt.Errorf("building MT535: purchase price %s of %s is negative", pp, sec.ISIN)
			}
		}
		s.Holdings = append(s.Holdings, h)
	}
	if total != nil && sameCurrency {
		s.Total = total
	}
	return s, nil
}

// nameLines wraps a security name into :35B: lines of 35 characters. A
// line grows longer rather than let the next one start like a field, so
// that every line but the last stays full and [Holding.Name] joins them
// without separators.
func nameLines(name string) []string {
	r := []rune(strings.ReplaceAll(name, "@@", "@ @"))
	var lines []string
	for len(r) > 0 {
		n := min(len(r), nameWidth)
		for n < len(r) && !isContinuationSafe(string(r[n:min(len(r), n+6)])) {
			n++
		}
		lines = append(lines, string(r[:n]))
		r = r[n:]
	}
	if len(lines) > 0 && (isNationalID(lines[0]) || !isContinuationSafe(lines[0])) {
		lines[0] = " " + lines[0] // the name's white space is collapsed when read
	}
	return lines
}
