package finformat

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kontor-dev/kontor"
)

// MT535Statement is one MT535 statement of holdings (HIWPD).
type MT535Statement struct {
	// Page is :28E:, such as "1/ONLY".
	Page string `json:"page,omitempty"`
	// Number is :13A::STAT//, the statement number.
	Number string `json:"number,omitempty"`
	// Reference is :20C::SEME//, the sender's reference.
	Reference string `json:"reference,omitempty"`
	// Function is :23G:, usually "NEWM".
	Function string `json:"function,omitempty"`
	// Prepared and Date are :98A:/:98C: PREP and STAT: the preparation and
	// statement dates (with time of day for :98C:).
	Prepared time.Time `json:"prepared,omitzero"`
	Date     time.Time `json:"date,omitzero"` // the statement date
	// Indicators are the :22F: values as sent, such as "STTY//CUST".
	Indicators []string `json:"indicators,omitempty"`
	// Depot is :97A::SAFE//, "BLZ/depot number".
	Depot string `json:"depot,omitempty"`
	// Activity is :17B::ACTI//: "Y", or "N" when there are no holdings.
	Activity string `json:"activity,omitempty"`
	// Holdings are the FIN sequences.
	Holdings []Holding `json:"holdings"`
	// Total is :19A::HOLP// in the ADDINFO sequence: the depot's value.
	Total *Money `json:"total,omitempty"`
}

// Money is a signed amount in a currency.
type Money struct {
	Currency string        `json:"currency"` // ISO 4217 code
	Amount   kontor.Amount `json:"amount"`   // negative for "N" amounts
}

// FXRate is an exchange rate (:92B::EXCH//EUR/USD/1,08): one unit of From
// is Rate units of To.
type FXRate struct {
	From string        `json:"from"` // ISO 4217 code
	To   string        `json:"to"`   // ISO 4217 code
	Rate kontor.Amount `json:"rate"` // units of To per unit of From
}

// Holding is one position of an MT535 (a FIN sequence).
type Holding struct {
	// ISIN is from the :35B: line "ISIN DE0005140008".
	ISIN string `json:"isin,omitempty"`
	// NationalID is the :35B: line with the national code, such as
	// "/DE/514000" (the WKN); see [Holding.WKN].
	NationalID string `json:"nationalId,omitempty"`
	// NameLines are the :35B: description lines; see [Holding.Name].
	NameLines []string `json:"nameLines,omitempty"`
	// PriceQualifier and PriceType are from :90A:/:90B:, such as "MRKT"
	// and "ACTU" (an amount per unit, with PriceCurrency) or "PRCT" (a
	// percentage of the nominal, without currency).
	PriceQualifier string         `json:"priceQualifier,omitempty"`
	PriceType      string         `json:"priceType,omitempty"`     // ACTU, PRCT, ...
	Price          *kontor.Amount `json:"price,omitempty"`         // nil when the holding has no price
	PriceCurrency  string         `json:"priceCurrency,omitempty"` // "" for percentage prices
	// PriceSource is :94B::PRIC//, such as "LMAR/XETR".
	PriceSource string `json:"priceSource,omitempty"`
	// PriceDate is :98A::PRIC// or :98C::PRIC//.
	PriceDate time.Time `json:"priceDate,omitzero"`
	// QuantityType is "UNIT" (pieces) or "FAMT" (face amount) from
	// :93B::AGGR//.
	QuantityType string        `json:"quantityType,omitempty"`
	Quantity     kontor.Amount `json:"quantity"` // negative for "N" quantities
	// MarketValue is :19A::HOLD//, AccruedInterest :19A::ACRU//.
	MarketValue     *Money `json:"marketValue,omitempty"`
	AccruedInterest *Money `json:"accruedInterest,omitempty"` // nil when not sent
	// ExchangeRate is :92B::EXCH//.
	ExchangeRate *FXRate `json:"exchangeRate,omitempty"`
	// HoldingInfo are the :70E::HOLD// lines as sent.
	HoldingInfo []string `json:"holdingInfo,omitempty"`
	// PurchasePrice and PurchaseCurrency are read from the :70E:
	// line starting with "2": "2<price>+<currency>+...".
	PurchasePrice    *kontor.Amount `json:"purchasePrice,omitempty"`
	PurchaseCurrency string         `json:"purchaseCurrency,omitempty"` // ISO 4217 code, as sent
}

// WKN returns the national code from NationalID ("514000" for
// "/DE/514000").
func (h *Holding) WKN() string {
	if len(h.NationalID) >= 4 && h.NationalID[0] == '/' && h.NationalID[3] == '/' {
		return strings.TrimSpace(h.NationalID[4:])
	}
	return ""
}

// nameWidth is the length of a full :35B: line.
const nameWidth = 35

// Name returns the security's name: the description lines joined, without
// a separator after a full (35-character) line and with a space after a
// shorter one.
func (h *Holding) Name() string {
	var b strings.Builder
	prevFull := true
	for _, l := range h.NameLines {
		if b.Len() > 0 && !prevFull {
			b.WriteByte(' ')
		}
		b.WriteString(l)
		prevFull = utf8.RuneCountInString(l) >= nameWidth
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// isNationalID reports whether a :35B: line carries a national code
// ("/DE/514000").
func isNationalID(l string) bool {
	return len(l) >= 4 && l[0] == '/' && isUpper(l[1]) && isUpper(l[2]) && l[3] == '/'
}

// ParseMT535 reads MT535 statements of holdings, as many as the data holds.
// The data is ISO-8859-1 unless it is valid UTF-8 with multi-byte
// characters; lines may end in CRLF or LF. Unknown fields and the contents
// of sub-balance and other nested sequences are skipped. Errors are of type
// *[ParseError] naming the line and field.
func ParseMT535(data []byte) ([]MT535Statement, error) {
	msgs, err := readFields("MT535", data)
	if err != nil {
		return nil, err
	}
	var out []MT535Statement
	for _, fields := range msgs {
		s := MT535Statement{Holdings: []Holding{}}
		var blocks []string
		var h *Holding
		for i := range fields {
			f := &fields[i]
			perr := func(err error) error {
				return &ParseError{Format: "MT535", Line: f.line, Field: f.tag, Msg: "invalid value", Err: err}
			}
			text := strings.TrimSpace(f.text())
			switch f.tag {
			case ":16R:":
				blocks = append(blocks, text)
				if text == "FIN" && len(blocks) == 1 {
					s.Holdings = append(s.Holdings, Holding{})
					h = &s.Holdings[len(s.Holdings)-1]
				}
				continue
			case ":16S:":
				if len(blocks) == 0 || blocks[len(blocks)-1] != text {
					return nil, &ParseError{Format: "MT535", Line: f.line, Field: f.tag, Msg: "end of sequence " + quote(text) + " that was not started"}
				}
				blocks = blocks[:len(blocks)-1]
				continue
			}
			block := ""
			if len(blocks) == 1 {
				block = blocks[0]
			}
			var err error
			switch block {
			case "GENL":
				err = s.parseGeneral(f, text)
			case "FIN":
				err = h.parseField(f, text)
			case "ADDINFO":
				if f.tag == ":19A:" {
					q, v := qualified(text)
					if q == "HOLP" {
						var m Money
						if m, err = parseMoney(v); err == nil {
							s.Total = &m
						}
					}
				}
			}
			if err != nil {
				return nil, perr(err)
			}
		}
		if len(blocks) > 0 {
			return nil, &ParseError{Format: "MT535", Line: fields[len(fields)-1].line, Msg: "sequence " + quote(blocks[len(blocks)-1]) + " not ended"}
		}
		out = append(out, s)
	}
	return out, nil
}

// qualified splits ":QUAL//value" into qualifier and value.
func qualified(s string) (qual, value string) {
	s = strings.TrimPrefix(s, ":")
	if i := strings.Index(s, "//"); i >= 0 {
		return s[:i], s[i+2:]
	}
	return s, ""
}

func (s *MT535Statement) parseGeneral(f *field, text string) error {
	q, v := qualified(text)
	var err error
	switch f.tag {
	case ":28E:":
		s.Page = text
	case ":13A:":
		if q == "STAT" {
			s.Number = v
		}
	case ":20C:":
		if q == "SEME" {
			s.Reference = v
		}
	case ":23G:":
		s.Function = text
	case ":98A:", ":98C:":
		var t time.Time
		if t, err = parse98(f.tag, v); err != nil {
			return err
		}
		switch q {
		case "PREP":
			s.Prepared = t
		case "STAT":
			s.Date = t
		}
	case ":22F:":
		s.Indicators = append(s.Indicators, strings.TrimPrefix(text, ":"))
	case ":97A:":
		if q == "SAFE" {
			s.Depot = v
		}
	case ":17B:":
		if q == "ACTI" {
			s.Activity = v
		}
	}
	return nil
}

// parse98 parses a :98A: date (YYYYMMDD) or :98C: date and time
// (YYYYMMDDhhmmss).
func parse98(tag, v string) (time.Time, error) {
	if tag == ":98A:" {
		return parseYYYYMMDD(v)
	}
	if len(v) != 14 || !isDigits(v) {
		return time.Time{}, fmt.Errorf("date and time %s: want YYYYMMDDhhmmss", quote(v))
	}
	d, err := parseYYYYMMDD(v[:8])
	if err != nil {
		return time.Time{}, err
	}
	hh, mm, ss := atoi2(v[8:]), atoi2(v[10:]), atoi2(v[12:])
	if hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, fmt.Errorf("date and time %s: no such time of day", quote(v))
	}
	return d.Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute + time.Duration(ss)*time.Second), nil
}

// parseSigned parses a SWIFT amount with an optional leading "N"
// (negative).
func parseSigned(s string) (kontor.Amount, error) {
	neg := strings.HasPrefix(s, "N")
	a, err := parseSwiftAmount(strings.TrimPrefix(s, "N"))
	if err != nil {
		return a, err
	}
	if neg {
		a = a.Neg()
	}
	return a, nil
}

// parseMoney parses "[N]EUR5270,".
func parseMoney(s string) (Money, error) {
	neg := strings.HasPrefix(s, "N")
	s = strings.TrimPrefix(s, "N")
	if len(s) < 4 || !isCurrency(s[:3]) {
		return Money{}, fmt.Errorf("amount %s: want currency and amount", quote(s))
	}
	a, err := parseSwiftAmount(s[3:])
	if err != nil {
		return Money{}, err
	}
	if neg {
		a = a.Neg()
	}
	return Money{Currency: s[:3], Amount: a}, nil
}

func (h *Holding) parseField(f *field, text string) error {
	q, v := qualified(text)
	switch f.tag {
	case ":35B:":
		lines := f.lines
		if l0 := strings.TrimSpace(lines[0]); strings.HasPrefix(l0, "ISIN ") {
			h.ISIN = strings.TrimSpace(l0[5:])
			lines = lines[1:]
		} else if l0 == "" {
			lines = lines[1:]
		}
		if len(lines) > 0 && isNationalID(lines[0]) {
			h.NationalID = lines[0]
			lines = lines[1:]
		}
		h.NameLines = append([]string(nil), lines...)
	case ":90A:", ":90B:":
		parts := strings.SplitN(v, "/", 2)
		if len(parts) != 2 || parts[0] == "" {
			return fmt.Errorf("price %s: want type/amount", quote(text))
		}
		h.PriceQualifier, h.PriceType = q, parts[0]
		amount := parts[1]
		if f.tag == ":90B:" {
			n := strings.TrimPrefix(amount, "N")
			if len(n) < 4 || !isCurrency(n[:3]) {
				return fmt.Errorf("price %s: want currency and amount", quote(text))
			}
			h.PriceCurrency = n[:3]
			amount = amount[:len(amount)-len(n)] + n[3:]
		} else {
			h.PriceCurrency = ""
		}
		a, err := parseSigned(amount)
		if err != nil {
			return fmt.Errorf("price: %w", err)
		}
		h.Price = &a
	case ":94B:":
		if q == "PRIC" {
			h.PriceSource = v
		}
	case ":98A:", ":98C:":
		if q == "PRIC" {
			t, err := parse98(f.tag, v)
			if err != nil {
				return err
			}
			h.PriceDate = t
		}
	case ":93B:":
		if q != "AGGR" {
			return nil
		}
		parts := strings.SplitN(v, "/", 2)
		if len(parts) != 2 || parts[0] == "" {
			return fmt.Errorf("quantity %s: want UNIT/amount or FAMT/amount", quote(text))
		}
		a, err := parseSigned(parts[1])
		if err != nil {
			return fmt.Errorf("quantity: %w", err)
		}
		h.QuantityType, h.Quantity = parts[0], a
	case ":19A:":
		if q != "HOLD" && q != "ACRU" {
			return nil
		}
		m, err := parseMoney(v)
		if err != nil {
			return err
		}
		if q == "HOLD" {
			h.MarketValue = &m
		} else {
			h.AccruedInterest = &m
		}
	case ":92B:":
		if q != "EXCH" {
			return nil
		}
		parts := strings.Split(v, "/")
		if len(parts) != 3 || !isCurrency(parts[0]) || !isCurrency(parts[1]) {
			return fmt.Errorf("exchange rate %s: want FROM/TO/rate", quote(text))
		}
		r, err := parseSwiftAmount(parts[2])
		if err != nil {
			return fmt.Errorf("exchange rate: %w", err)
		}
		h.ExchangeRate = &FXRate{From: parts[0], To: parts[1], Rate: r}
	case ":70E:":
		if q != "HOLD" {
			return nil
		}
		first := ""
		if i := strings.Index(f.lines[0], "//"); i >= 0 {
			first = f.lines[0][i+2:]
		}
		h.HoldingInfo = append([]string{first}, f.lines[1:]...)
		h.PurchasePrice, h.PurchaseCurrency = nil, ""
		for _, l := range h.HoldingInfo {
			if !strings.HasPrefix(l, "2") {
				continue
			}
			parts := strings.Split(l[1:], "+")
			if a, err := parseSwiftAmount(strings.TrimSpace(parts[0])); err == nil {
				h.PurchasePrice = &a
				if len(parts) > 1 {
					h.PurchaseCurrency = strings.TrimSpace(parts[1])
				}
			}
			break
		}
	}
	return nil
}

// MT535Securities converts the holdings to securities: ISIN, name,
// quantity, price and price currency ("%" for a percentage price such as a
// bond's), market value (quantity times price when the statement has none)
// and its currency, purchase price and currency, the exchange rate and the
// market (the last part of the price source, "XETR" for "LMAR/XETR").
// IDs and account IDs are left empty.
func MT535Securities(stmts []MT535Statement) []kontor.Security {
	var out []kontor.Security
	for si := range stmts {
		for hi := range stmts[si].Holdings {
			out = append(out, security(&stmts[si].Holdings[hi]))
		}
	}
	return out
}

func security(h *Holding) kontor.Security {
	sec := kontor.Security{
		ISIN:     h.ISIN,
		Name:     h.Name(),
		Quantity: h.Quantity,
	}
	if i := strings.LastIndexByte(h.PriceSource, '/'); i >= 0 {
		sec.Market = h.PriceSource[i+1:]
	} else {
		sec.Market = h.PriceSource
	}
	percent := h.PriceCurrency == "" && h.Price != nil
	if h.Price != nil {
		sec.PriceAmount = *h.Price
		sec.PriceCurrency = h.PriceCurrency
		if percent {
			sec.PriceCurrency = "%"
		}
	}
	switch {
	case h.MarketValue != nil:
		sec.Amount, sec.Currency = h.MarketValue.Amount, h.MarketValue.Currency
	case h.Price != nil:
		if v, err := h.Quantity.Decimal().Mul(h.Price.Decimal()); err == nil {
			if percent {
				v, err = v.Quo(kontor.MustParseAmount("100").Decimal())
			}
			if err == nil {
				sec.Amount = kontor.AmountOf(v.Pad(2))
				sec.Currency = h.PriceCurrency
			}
		}
	}
	if h.PurchasePrice != nil {
		sec.PurchasePriceAmount = *h.PurchasePrice
		sec.PurchasePriceCurrency = h.PurchaseCurrency
	}
	if h.ExchangeRate != nil {
		sec.ExchangeRate = h.ExchangeRate.Rate
	}
	return sec
}
