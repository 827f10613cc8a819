package finformat

import (
	"strings"
	"unicode/utf8"
)

// Info is the content of an entry's :86: field, as sent. A structured field
// ("166?00GUTSCHRIFT?109310?20EREF+...") has a GVC and subfields; an
// unstructured one keeps its lines. [Info.Details] interprets it.
type Info struct {
	// GVC is the three-digit Geschäftsvorfallcode of a structured field;
	// "" for an unstructured one.
	GVC string `json:"gvc,omitempty"`
	// Subfields are the structured field's subfields in the order sent.
	Subfields []Subfield `json:"subfields,omitempty"`
	// Lines are the unstructured field's lines.
	Lines []string `json:"lines,omitempty"`
}

// Subfield is one "?nn" subfield of a structured :86: field.
type Subfield struct {
	// Code is the two-digit subfield number ("00", "20", "32").
	Code  string `json:"code"`
	Value string `json:"value"` // the text up to the next subfield
}

// Details is the interpretation of a :86: field.
type Details struct {
	// GVC is the Geschäftsvorfallcode, such as "153" (salary); "999" for
	// unstructured text (a leading "999" is taken off the text).
	GVC string `json:"gvc,omitempty"`
	// BookingText is ?00, such as "LOHN GEHALT".
	BookingText string `json:"bookingText,omitempty"`
	// Primanota is ?10.
	Primanota string `json:"primanota,omitempty"`
	// Purpose is the whole purpose: ?20–?29 and ?60–?63 joined without
	// separators, SEPA tags included. For unstructured text it is the text.
	Purpose string `json:"purpose,omitempty"`
	// BankID is ?30: the counterpart's BIC (or, before SEPA, its BLZ).
	BankID string `json:"bankId,omitempty"`
	// AccountID is ?31: the counterpart's IBAN (or account number).
	AccountID string `json:"accountId,omitempty"`
	// Name is the counterpart's name, ?32 and ?33 joined.
	Name string `json:"name,omitempty"`
	// TextKeyExt is ?34, the text key extension (for returns, the reason).
	TextKeyExt string `json:"textKeyExt,omitempty"`
	// SEPA holds the SEPA tags found in the purpose.
	SEPA SEPA `json:"sepa"`
}

// SEPA holds the values of the SEPA tags in an MT940 purpose. Values are
// trimmed; a tag that occurs twice has its values joined by a space.
type SEPA struct {
	// Free is the text before the first tag; for a purpose without tags, the
	// whole purpose.
	Free string `json:"free,omitempty"`
	// EndToEndRef is EREF+, the end-to-end reference ("NOTPROVIDED" when
	// the originator gave none).
	EndToEndRef string `json:"eref,omitempty"`
	// CustomerRef is KREF+, the customer (batch) reference.
	CustomerRef string `json:"kref,omitempty"`
	// MandateRef is MREF+, the direct debit mandate reference.
	MandateRef string `json:"mref,omitempty"`
	// CreditorID is CRED+, the creditor identifier (Gläubiger-ID).
	CreditorID string `json:"cred,omitempty"`
	// DebtorID is DEBT+, the originator identifier.
	DebtorID string `json:"debt,omitempty"`
	// CompensationAmount is COAM+, as sent.
	CompensationAmount string `json:"coam,omitempty"`
	// OriginalAmount is OAMT+, as sent.
	OriginalAmount string `json:"oamt,omitempty"`
	// Remittance is SVWZ+, the remittance information: the purpose a
	// person reads.
	Remittance string `json:"svwz,omitempty"`
	// UltimateOriginator is ABWA+ ("abweichender Auftraggeber"): the
	// ultimate debtor of a transfer, the ultimate creditor of a direct
	// debit.
	UltimateOriginator string `json:"abwa,omitempty"`
	// UltimateBeneficiary is ABWE+ ("abweichender Empfänger"): the
	// ultimate creditor of a transfer, the ultimate debtor of a direct
	// debit.
	UltimateBeneficiary string `json:"abwe,omitempty"`
	// IBAN and BIC are IBAN+ and BIC+, the counterpart's account as some
	// banks put it into the purpose.
	IBAN string `json:"iban,omitempty"`
	BIC  string `json:"bic,omitempty"` // BIC+
	// PurposeCode is PURP+, the SEPA purpose code such as "SALA".
	PurposeCode string `json:"purp,omitempty"`
	// BankRef is BREF+, the bank's reference.
	BankRef string `json:"bref,omitempty"`
	// ReturnRef is RREF+, the return reference.
	ReturnRef string `json:"rref,omitempty"`
}

// sepaTags lists the SEPA tags in the order generated purposes carry them.
var sepaTags = []string{"EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "COAM+", "OAMT+", "SVWZ+", "ABWA+", "ABWE+", "IBAN+", "BIC+", "PURP+", "BREF+", "RREF+"}

// slot returns the field of s that holds a tag's value.
func (s *SEPA) slot(tag string) *string {
	switch tag {
	case "EREF+":
		return &s.EndToEndRef
	case "KREF+":
		return &s.CustomerRef
	case "MREF+":
		return &s.MandateRef
	case "CRED+":
		return &s.CreditorID
	case "DEBT+":
		return &s.DebtorID
	case "COAM+":
		return &s.CompensationAmount
	case "OAMT+":
		return &s.OriginalAmount
	case "SVWZ+":
		return &s.Remittance
	case "ABWA+":
		return &s.UltimateOriginator
	case "ABWE+":
		return &s.UltimateBeneficiary
	case "IBAN+":
		return &s.IBAN
	case "BIC+":
		return &s.BIC
	case "PURP+":
		return &s.PurposeCode
	case "BREF+":
		return &s.BankRef
	case "RREF+":
		return &s.ReturnRef
	}
	return nil
}

// hasTags reports whether any tag has a value.
func (s *SEPA) hasTags() bool {
	for _, t := range sepaTags {
		if *s.slot(t) != "" {
			return true
		}
	}
	return false
}

// tagAt returns the SEPA tag that starts text, or "".
func tagAt(text string) string {
	if len(text) < 4 {
		return ""
	}
	for _, t := range sepaTags {
		if strings.HasPrefix(text, t) {
			return t
		}
	}
	return ""
}

// parseSEPA splits a purpose at its SEPA tags. A tag counts where a
// subfield (or line) starts, at the beginning of the text, or after a
// space; elsewhere it is part of the text. starts lists the byte offsets
// where subfields start.
func parseSEPA(text string, starts map[int]bool) SEPA {
	var s SEPA
	type cut struct {
		at  int
		tag string
	}
	var cuts []cut
	for p := 0; p < len(text); p++ {
		if p == 0 || starts[p] || text[p-1] == ' ' {
			if t := tagAt(text[p:]); t != "" {
				cuts = append(cuts, cut{p, t})
				p += len(t) - 1
			}
		}
	}
	end := len(text)
	if len(cuts) > 0 {
		end = cuts[0].at
	}
	s.Free = strings.TrimSpace(text[:end])
	for i, c := range cuts {
		end := len(text)
		if i+1 < len(cuts) {
			end = cuts[i+1].at
		}
		v := strings.TrimSpace(text[c.at+len(c.tag) : end])
		slot := s.slot(c.tag)
		switch {
		case v == "":
		case *slot == "":
			*slot = v
		default:
			*slot += " " + v
		}
	}
	return s
}

// isPurposeCode reports whether a subfield code holds purpose text (?20–?29,
// ?60–?63).
func isPurposeCode(code string) bool {
	return code >= "20" && code <= "29" || code >= "60" && code <= "63"
}

// parseInfo reads the lines of a :86: field.
func parseInfo(lines []string) Info {
	text := strings.Join(lines, "")
	if len(text) >= 3 && isDigits(text[:3]) && (len(text) == 3 || isMarker(text, 3)) {
		info := Info{GVC: text[:3]}
		p := 3
		for p < len(text) {
			next := p + 3
			for next < len(text) && !isMarker(text, next) {
				next++
			}
			info.Subfields = append(info.Subfields, Subfield{Code: text[p+1 : p+3], Value: text[p+3 : next]})
			p = next
		}
		return info
	}
	return Info{Lines: append([]string(nil), lines...)}
}

// isMarker reports whether a subfield marker "?nn" starts at text[p].
func isMarker(text string, p int) bool {
	return p+2 < len(text) && text[p] == '?' && isDigit(text[p+1]) && isDigit(text[p+2])
}

// Structured reports whether the field is structured (has a GVC).
func (in *Info) Structured() bool { return in.GVC != "" }

// Details interprets the field: booking text, primanota, counterpart and
// the SEPA tags of the purpose.
func (in *Info) Details() Details {
	if !in.Structured() {
		return unstructuredDetails(in.Lines)
	}
	d := Details{GVC: in.GVC}
	var purpose, name, name2 joiner
	for _, sf := range in.Subfields {
		switch {
		case sf.Code == "00":
			d.BookingText += sf.Value
		case sf.Code == "10":
			d.Primanota += sf.Value
		case isPurposeCode(sf.Code):
			purpose.add(sf.Value)
		case sf.Code == "30":
			d.BankID += sf.Value
		case sf.Code == "31":
			d.AccountID += sf.Value
		case sf.Code == "32":
			name.add(sf.Value)
		case sf.Code == "33":
			name2.add(sf.Value)
		case sf.Code == "34":
			d.TextKeyExt += sf.Value
		}
	}
	name.addJoiner(&name2)
	d.BookingText = strings.TrimSpace(d.BookingText)
	d.Primanota = strings.TrimSpace(d.Primanota)
	d.BankID = strings.TrimSpace(d.BankID)
	d.AccountID = strings.TrimSpace(d.AccountID)
	d.TextKeyExt = strings.TrimSpace(d.TextKeyExt)
	d.Name = strings.TrimSpace(name.b.String())
	d.Purpose = strings.TrimSpace(purpose.b.String())
	d.SEPA = parseSEPA(purpose.b.String(), purpose.starts)
	return d
}

// joiner joins subfield values: without a separator after a full
// (27-character) subfield, which the bank wrapped wherever the limit fell,
// and with a space after a shorter one, which ended a word.
type joiner struct {
	b       strings.Builder
	starts  map[int]bool // byte offsets where a subfield starts
	prevLen int          // characters in the previous subfield
	last    string       // the previous subfield
}

func (j *joiner) add(v string) {
	if v == "" {
		return
	}
	if j.starts == nil {
		j.starts = map[int]bool{}
	}
	if j.b.Len() > 0 && j.prevLen < purposeWidth && !strings.HasSuffix(j.last, " ") && !strings.HasPrefix(v, " ") {
		j.b.WriteByte(' ')
	}
	j.starts[j.b.Len()] = true
	j.b.WriteString(v)
	j.prevLen = utf8.RuneCountInString(v)
	j.last = v
}

// addJoiner appends the subfields another joiner collected.
func (j *joiner) addJoiner(o *joiner) {
	if o.b.Len() > 0 {
		j.add(o.b.String())
	}
}

// unstructuredLine is the length of a full :86: line; a shorter line ends
// a word, a full one may break a word.
const unstructuredLine = 65

func unstructuredDetails(lines []string) Details {
	var b strings.Builder
	starts := map[int]bool{}
	prevFull := true
	for _, l := range lines {
		if b.Len() > 0 && !prevFull {
			b.WriteByte(' ')
		}
		starts[b.Len()] = true
		b.WriteString(l)
		prevFull = utf8.RuneCountInString(l) >= unstructuredLine
	}
	text := b.String()
	d := Details{GVC: "999"}
	if strings.HasPrefix(text, "999") && (len(text) == 3 || !isDigit(text[3])) {
		text = text[3:]
		shifted := map[int]bool{}
		for p := range starts {
			shifted[p-3] = true
		}
		starts = shifted
	}
	d.Purpose = strings.TrimSpace(text)
	d.SEPA = parseSEPA(text, starts)
	return d
}

// Subfield limits of a generated structured :86:.
const (
	purposeWidth = 27 // ?20–?29, ?60–?63, ?32, ?33
)

// purposeCodes are the subfields purpose text goes into, in order.
var purposeCodes = []string{"20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "60", "61", "62", "63"}

// NewInfo builds a structured :86: field from its interpretation: ?00
// booking text, ?10 primanota, the purpose in ?20–?29 and ?60–?63 (27
// characters each; every SEPA tag starts a new subfield; what does not fit
// goes into ?63), ?30 BIC, ?31 IBAN, the name in ?32 and ?33, and ?34.
//
// The purpose is composed from d.SEPA (Free first, then the tags in the
// order EREF, KREF, MREF, CRED, DEBT, COAM, OAMT, SVWZ, ABWA, ABWE, IBAN, BIC,
// PURP, BREF, RREF); d.Purpose is not used. A GVC that is not three digits
// becomes "999".
func NewInfo(d Details) Info {
	gvc := d.GVC
	if len(gvc) != 3 || !isDigits(gvc) {
		gvc = "999"
	}
	info := Info{GVC: gvc}
	add := func(code, v string) {
		if v != "" {
			info.Subfields = append(info.Subfields, Subfield{Code: code, Value: v})
		}
	}
	add("00", d.BookingText)
	add("10", d.Primanota)
	// Each segment (the free text, then each tag with its value) starts a
	// new subfield; what does not fit into ?20–?63 is appended to ?63, with
	// a space before each tag so that it still reads as one.
	var chunks []string
	var tagStart []bool
	segment := func(s string) {
		for i, c := range chunkPurpose(s) {
			chunks = append(chunks, c)
			tagStart = append(tagStart, i == 0)
		}
	}
	if d.SEPA.Free != "" {
		segment(d.SEPA.Free)
	}
	for _, t := range sepaTags {
		if v := *d.SEPA.slot(t); v != "" {
			segment(t + v)
		}
	}
	last := len(purposeCodes) - 1
	for i, c := range chunks {
		if i == last {
			var b strings.Builder
			for j := i; j < len(chunks); j++ {
				if j > i && tagStart[j] {
					b.WriteByte(' ')
				}
				b.WriteString(chunks[j])
			}
			add(purposeCodes[last], b.String())
			break
		}
		add(purposeCodes[i], c)
	}
	add("30", d.BankID)
	add("31", d.AccountID)
	name := []rune(d.Name)
	if len(name) > purposeWidth {
		add("32", string(name[:purposeWidth]))
		add("33", string(name[purposeWidth:]))
	} else {
		add("32", d.Name)
	}
	add("34", d.TextKeyExt)
	return info
}

// chunkPurpose splits one purpose segment into subfield values of 27
// characters and a shorter rest, so that the parser joins them without
// separators. A chunk is made longer rather than let the next one start with
// a SEPA tag, which would read as a new tag.
func chunkPurpose(s string) []string {
	r := []rune(s)
	var out []string
	for len(r) > purposeWidth {
		n := purposeWidth
		for n < len(r) && tagAt(string(r[n:min(len(r), n+5)])) != "" {
			n++
		}
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	if len(r) > 0 || len(out) == 0 {
		out = append(out, string(r))
	}
	return out
}

// text returns the field as one string, before line wrapping.
func (in *Info) text() string {
	var b strings.Builder
	b.WriteString(in.GVC)
	for _, sf := range in.Subfields {
		b.WriteByte('?')
		b.WriteString(sf.Code)
		b.WriteString(sf.Value)
	}
	return b.String()
}
