package finformat

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/kontor-dev/kontor"
)

// Pain001 is a pain.001 customer credit transfer initiation, as HICDB
// carries one per SEPA standing order.
type Pain001 struct {
	// Version is the message version from the namespace, such as
	// "pain.001.001.03", "pain.001.003.03" or "pain.001.001.09"; "" when
	// the namespace does not name one.
	Version string `json:"version,omitempty"`
	// Group header: MsgId, CreDtTm, NbOfTxs, CtrlSum and InitgPty/Nm.
	MessageID       string         `json:"messageId,omitempty"`
	Created         time.Time      `json:"created,omitzero"`          // GrpHdr/CreDtTm
	NumberOfTxs     string         `json:"numberOfTxs,omitempty"`     // GrpHdr/NbOfTxs
	ControlSum      *kontor.Amount `json:"controlSum,omitempty"`      // GrpHdr/CtrlSum; nil when absent
	InitiatingParty string         `json:"initiatingParty,omitempty"` // GrpHdr/InitgPty/Nm
	Payments        []PaymentInfo  `json:"payments"`                  // PmtInf elements
}

// PaymentInfo is a PmtInf element: one debtor account and its transfers.
type PaymentInfo struct {
	ID     string `json:"id,omitempty"`     // PmtInfId
	Method string `json:"method,omitempty"` // PmtMtd, "TRF"
	// ServiceLevel is PmtTpInf/SvcLvl/Cd, "SEPA".
	ServiceLevel string `json:"serviceLevel,omitempty"`
	// ExecutionDate is ReqdExctnDt (or its Dt/DtTm); banks often put a
	// dummy such as 1999-01-01 there for standing orders.
	ExecutionDate time.Time `json:"executionDate,omitzero"`
	DebtorName    string    `json:"debtorName,omitempty"` // Dbtr/Nm
	DebtorIBAN    string    `json:"debtorIban,omitempty"` // DbtrAcct/Id/IBAN
	DebtorBIC     string    `json:"debtorBic,omitempty"`  // DbtrAgt/FinInstnId/BIC (BICFI)
	// ChargeBearer is ChrgBr, "SLEV".
	ChargeBearer string           `json:"chargeBearer,omitempty"`
	Transfers    []CreditTransfer `json:"transfers"` // CdtTrfTxInf elements
}

// CreditTransfer is a CdtTrfTxInf element.
type CreditTransfer struct {
	InstructionID string `json:"instructionId,omitempty"` // PmtId/InstrId
	EndToEndID    string `json:"endToEndId,omitempty"`    // PmtId/EndToEndId
	// Amount and Currency are Amt/InstdAmt and its Ccy.
	Amount           kontor.Amount `json:"amount"`
	Currency         string        `json:"currency"`                   // InstdAmt@Ccy
	CreditorName     string        `json:"creditorName,omitempty"`     // Cdtr/Nm
	CreditorIBAN     string        `json:"creditorIban,omitempty"`     // CdtrAcct/Id/IBAN
	CreditorBIC      string        `json:"creditorBic,omitempty"`      // CdtrAgt/FinInstnId/BIC (BICFI)
	UltimateCreditor string        `json:"ultimateCreditor,omitempty"` // UltmtCdtr/Nm
	PurposeCode      string        `json:"purposeCode,omitempty"`      // Purp/Cd
	// Remittance are the RmtInf/Ustrd lines as sent; see
	// [CreditTransfer.RemittanceText].
	Remittance []string `json:"remittance,omitempty"`
	// CreditorRef is RmtInf/Strd/CdtrRefInf/Ref.
	CreditorRef string `json:"creditorRef,omitempty"`
}

// RemittanceText joins the Ustrd lines like [CamtTxDetails.RemittanceText].
func (t *CreditTransfer) RemittanceText() string {
	d := CamtTxDetails{Remittance: t.Remittance}
	return d.RemittanceText()
}

type (
	xPainDoc struct {
		XMLName xml.Name
		Init    *struct {
			GrpHdr struct {
				MsgId    string `xml:"MsgId"`
				CreDtTm  string `xml:"CreDtTm"`
				NbOfTxs  string `xml:"NbOfTxs"`
				CtrlSum  string `xml:"CtrlSum"`
				InitgPty xParty `xml:"InitgPty"`
			} `xml:"GrpHdr"`
			PmtInf []xPmtInf `xml:"PmtInf"`
		} `xml:"CstmrCdtTrfInitn"`
	}
	xPmtInf struct {
		PmtInfId string `xml:"PmtInfId"`
		PmtMtd   string `xml:"PmtMtd"`
		PmtTpInf struct {
			SvcLvl xCode `xml:"SvcLvl"`
		} `xml:"PmtTpInf"`
		ReqdExctnDt struct {
			Text string `xml:",chardata"`
			xDate
		} `xml:"ReqdExctnDt"`
		Dbtr     xParty `xml:"Dbtr"`
		DbtrAcct xAcct  `xml:"DbtrAcct"`
		DbtrAgt  xAgent `xml:"DbtrAgt"`
		ChrgBr   string `xml:"ChrgBr"`
		Tx       []struct {
			PmtId struct {
				InstrId    string `xml:"InstrId"`
				EndToEndId string `xml:"EndToEndId"`
			} `xml:"PmtId"`
			Amt struct {
				InstdAmt xAmt `xml:"InstdAmt"`
			} `xml:"Amt"`
			CdtrAgt   xAgent `xml:"CdtrAgt"`
			Cdtr      xParty `xml:"Cdtr"`
			CdtrAcct  xAcct  `xml:"CdtrAcct"`
			UltmtCdtr xParty `xml:"UltmtCdtr"`
			Purp      xCode  `xml:"Purp"`
			RmtInf    struct {
				Ustrd []string `xml:"Ustrd"`
				Strd  []struct {
					CdtrRefInf struct {
						Ref string `xml:"Ref"`
					} `xml:"CdtrRefInf"`
				} `xml:"Strd"`
			} `xml:"RmtInf"`
		} `xml:"CdtTrfTxInf"`
	}
)

var painNamespace = regexp.MustCompile(`pain\.001\.00[13]\.(\d\d)$`)

func painErr(path string, err error) error {
	return &ParseError{Format: "pain.001", Field: path, Msg: "invalid value", Err: err}
}

// ParsePain001 reads a pain.001 document (Document/CstmrCdtTrfInitn in any
// namespace; the .03 and .09 layouts). Errors are of type *[ParseError]
// naming the element path.
func ParsePain001(data []byte) (*Pain001, error) {
	var x xPainDoc
	if err := decodeXML("pain.001", data, &x); err != nil {
		return nil, err
	}
	if x.XMLName.Local != "Document" {
		return nil, &ParseError{Format: "pain.001", Field: x.XMLName.Local, Msg: "root element must be Document"}
	}
	if x.Init == nil {
		return nil, &ParseError{Format: "pain.001", Field: "Document", Msg: "no CstmrCdtTrfInitn"}
	}
	g := &x.Init.GrpHdr
	p := &Pain001{
		MessageID:       ts(g.MsgId),
		NumberOfTxs:     ts(g.NbOfTxs),
		InitiatingParty: g.InitgPty.name(),
		Payments:        []PaymentInfo{},
	}
	if m := painNamespace.FindString(x.XMLName.Space); m != "" {
		p.Version = m
	}
	var err error
	if p.Created, err = parseISODateTime(ts(g.CreDtTm)); err != nil {
		return nil, painErr("GrpHdr/CreDtTm", err)
	}
	if cs := ts(g.CtrlSum); cs != "" {
		a, err := parseXMLAmount(cs)
		if err != nil {
			return nil, painErr("GrpHdr/CtrlSum", err)
		}
		p.ControlSum = &a
	}
	for i := range x.Init.PmtInf {
		xp := &x.Init.PmtInf[i]
		path := fmt.Sprintf("PmtInf[%d]", i+1)
		pi := PaymentInfo{
			ID:           ts(xp.PmtInfId),
			Method:       ts(xp.PmtMtd),
			ServiceLevel: xp.PmtTpInf.SvcLvl.value(),
			DebtorName:   xp.Dbtr.name(),
			DebtorIBAN:   ts(xp.DbtrAcct.Id.IBAN),
			DebtorBIC:    xp.DbtrAgt.bic(),
			ChargeBearer: ts(xp.ChrgBr),
			Transfers:    []CreditTransfer{},
		}
		d := xp.ReqdExctnDt
		if pi.ExecutionDate, err = d.parse(); err == nil && pi.ExecutionDate.IsZero() {
			pi.ExecutionDate, err = parseISODate(ts(d.Text))
		}
		if err != nil {
			return nil, painErr(path+"/ReqdExctnDt", err)
		}
		for j := range xp.Tx {
			xt := &xp.Tx[j]
			t := CreditTransfer{
				InstructionID:    ts(xt.PmtId.InstrId),
				EndToEndID:       ts(xt.PmtId.EndToEndId),
				Currency:         ts(xt.Amt.InstdAmt.Ccy),
				CreditorName:     xt.Cdtr.name(),
				CreditorIBAN:     ts(xt.CdtrAcct.Id.IBAN),
				CreditorBIC:      xt.CdtrAgt.bic(),
				UltimateCreditor: xt.UltmtCdtr.name(),
				PurposeCode:      xt.Purp.value(),
				Remittance:       xt.RmtInf.Ustrd,
			}
			for _, s := range xt.RmtInf.Strd {
				if ref := ts(s.CdtrRefInf.Ref); ref != "" {
					t.CreditorRef = ref
					break
				}
			}
			if t.Amount, err = parseXMLAmount(ts(xt.Amt.InstdAmt.Value)); err != nil {
				return nil, painErr(fmt.Sprintf("%s/CdtTrfTxInf[%d]/Amt/InstdAmt", path, j+1), err)
			}
			pi.Transfers = append(pi.Transfers, t)
		}
		p.Payments = append(p.Payments, pi)
	}
	return p, nil
}

// GeneratePain001 writes a pain.001 document in the layout of its Version
// ("pain.001.001.03" when empty; .09 writes BICFI and ReqdExctnDt/Dt). A
// debtor without BIC gets FinInstnId/Othr/Id NOTPROVIDED. [ParsePain001]
// reads the result back into the same document (with Version filled in).
func GeneratePain001(p *Pain001) ([]byte, error) {
	version := cmp.Or(p.Version, "pain.001.001.03")
	m := painNamespace.FindStringSubmatch(version)
	if m == nil || m[0] != version {
		return nil, fmt.Errorf("generating pain.001: version %s: want pain.001.001.nn or pain.001.003.nn", quote(version))
	}
	n, _ := strconv.Atoi(m[1])
	l := camtLayout{bicfi: n >= 5}
	dateChoice := n >= 8
	w := &xmlWriter{}
	w.open("Document", "xmlns", "urn:iso:std:iso:20022:tech:xsd:"+version,
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
	w.open("CstmrCdtTrfInitn")
	w.open("GrpHdr")
	w.leafAlways("MsgId", p.MessageID)
	w.dateTime("CreDtTm", p.Created)
	w.leafAlways("NbOfTxs", p.NumberOfTxs)
	if p.ControlSum != nil {
		if p.ControlSum.Sign() < 0 {
			return nil, fmt.Errorf("generating pain.001: control sum %s is negative", p.ControlSum)
		}
		w.leaf("CtrlSum", p.ControlSum.String())
	}
	w.open("InitgPty")
	w.leaf("Nm", p.InitiatingParty)
	w.close("InitgPty")
	w.close("GrpHdr")
	for i := range p.Payments {
		pi := &p.Payments[i]
		w.open("PmtInf")
		w.leafAlways("PmtInfId", pi.ID)
		w.leafAlways("PmtMtd", pi.Method)
		if pi.ServiceLevel != "" {
			w.open("PmtTpInf")
			w.open("SvcLvl")
			w.leaf("Cd", pi.ServiceLevel)
			w.close("SvcLvl")
			w.close("PmtTpInf")
		}
		switch {
		case pi.ExecutionDate.IsZero():
		case dateChoice || !isMidnightUTC(pi.ExecutionDate):
			w.date("ReqdExctnDt", pi.ExecutionDate)
		default:
			w.leaf("ReqdExctnDt", pi.ExecutionDate.Format(time.DateOnly))
		}
		w.open("Dbtr")
		w.leaf("Nm", pi.DebtorName)
		w.close("Dbtr")
		w.open("DbtrAcct")
		w.open("Id")
		w.leafAlways("IBAN", pi.DebtorIBAN)
		w.close("Id")
		w.close("DbtrAcct")
		if pi.DebtorBIC != "" {
			w.agent("DbtrAgt", pi.DebtorBIC, l)
		} else {
			w.open("DbtrAgt")
			w.open("FinInstnId")
			w.open("Othr")
			w.leaf("Id", "NOTPROVIDED")
			w.close("Othr")
			w.close("FinInstnId")
			w.close("DbtrAgt")
		}
		w.leaf("ChrgBr", pi.ChargeBearer)
		for j := range pi.Transfers {
			t := &pi.Transfers[j]
			if t.Amount.Sign() < 0 {
				return nil, fmt.Errorf("generating pain.001: payment %d, transfer %d: amount %s is negative", i+1, j+1, t.Amount)
			}
			w.open("CdtTrfTxInf")
			w.open("PmtId")
			w.leaf("InstrId", t.InstructionID)
			w.leafAlways("EndToEndId", t.EndToEndID)
			w.close("PmtId")
			w.open("Amt")
			w.leafAlways("InstdAmt", t.Amount.String(), "Ccy", t.Currency)
			w.close("Amt")
			w.agent("CdtrAgt", t.CreditorBIC, l)
			if t.CreditorName != "" {
				w.open("Cdtr")
				w.leaf("Nm", t.CreditorName)
				w.close("Cdtr")
			}
			w.account("CdtrAcct", t.CreditorIBAN)
			if t.UltimateCreditor != "" {
				w.open("UltmtCdtr")
				w.leaf("Nm", t.UltimateCreditor)
				w.close("UltmtCdtr")
			}
			if t.PurposeCode != "" {
				w.open("Purp")
				w.leaf("Cd", t.PurposeCode)
				w.close("Purp")
			}
			if len(t.Remittance) > 0 || t.CreditorRef != "" {
				w.open("RmtInf")
				for _, u := range t.Remittance {
					w.leafAlways("Ustrd", u)
				}
				if t.CreditorRef != "" {
					w.open("Strd")
					w.open("CdtrRefInf")
					w.leaf("Ref", t.CreditorRef)
					w.close("CdtrRefInf")
					w.close("Strd")
				}
				w.close("RmtInf")
			}
			w.close("CdtTrfTxInf")
		}
		w.close("PmtInf")
	}
	w.close("CstmrCdtTrfInitn")
	w.close("Document")
	return w.bytes(), nil
}

// StandingOrderSchedule is the standing-order details DEG of HICDB, which
// carries the schedule beside the pain.001.
type StandingOrderSchedule struct {
	// FirstExecution is the first execution date.
	FirstExecution time.Time
	// Unit is the time unit: "M" (monthly) or "W" (weekly).
	Unit string
	// Turnus is the number of units between executions: 1, 3, 6, 12, ...
	Turnus int
	// ExecutionDay is the day: 1–30 in the month or 1–7 in the week; 97, 98
	// and 99 are ultimo variants.
	ExecutionDay int
	// LastExecution is the last execution date; zero when open-ended.
	LastExecution time.Time
}

// IntervalOf names a schedule's interval: W1 WEEKLY, M1 MONTHLY, M3
// QUARTERLY, M6 HALF_YEARLY, M12 YEARLY; other combinations are
// "EVERY_<n>_WEEKS" or "EVERY_<n>_MONTHS".
func IntervalOf(unit string, turnus int) (string, error) {
	switch {
	case unit == "W" && turnus == 1:
		return kontor.IntervalWeekly, nil
	case unit == "M" && turnus == 1:
		return kontor.IntervalMonthly, nil
	case unit == "M" && turnus == 3:
		return kontor.IntervalQuarterly, nil
	case unit == "M" && turnus == 6:
		return kontor.IntervalHalfYearly, nil
	case unit == "M" && turnus == 12:
		return kontor.IntervalYearly, nil
	case unit == "W" && turnus > 1 && turnus < 100:
		return fmt.Sprintf("EVERY_%d_WEEKS", turnus), nil
	case unit == "M" && turnus > 1 && turnus < 100:
		return fmt.Sprintf("EVERY_%d_MONTHS", turnus), nil
	}
	return "", fmt.Errorf("standing order interval: unit %s and turnus %d: want unit M or W and turnus 1–99", quote(unit), turnus)
}

// UnitAndTurnus is the inverse of [IntervalOf].
func UnitAndTurnus(interval string) (unit string, turnus int, err error) {
	switch interval {
	case kontor.IntervalWeekly:
		return "W", 1, nil
	case kontor.IntervalMonthly:
		return "M", 1, nil
	case kontor.IntervalQuarterly:
		return "M", 3, nil
	case kontor.IntervalHalfYearly:
		return "M", 6, nil
	case kontor.IntervalYearly:
		return "M", 12, nil
	}
	var n int
	var u string
	if _, err := fmt.Sscanf(interval, "EVERY_%d_%s", &n, &u); err == nil && n > 1 && n < 100 {
		switch u {
		case "WEEKS":
			return "W", n, nil
		case "MONTHS":
			return "M", n, nil
		}
	}
	return "", 0, fmt.Errorf("standing order interval %s is not known", quote(interval))
}

// StandingOrderFromHICDB builds a standing order from what one HICDB
// segment carries: the order ID, the schedule DEG and the pain.001. Amount,
// currency and purpose come from the first credit transfer (the purpose is
// its Ustrd lines joined, or its structured reference); the schedule gives
// first and last execution date, execution day and interval. The creation
// date stays zero: HICDB does not carry it. The parsed pain.001 is returned
// too, for the creditor's name, IBAN and BIC, which the domain standing
// order has no place for.
func StandingOrderFromHICDB(orderID string, sched StandingOrderSchedule, painXML []byte) (kontor.StandingOrder, *Pain001, error) {
	p, err := ParsePain001(painXML)
	if err != nil {
		return kontor.StandingOrder{}, nil, fmt.Errorf("standing order %s: %w", orderID, err)
	}
	var t *CreditTransfer
	for i := range p.Payments {
		if len(p.Payments[i].Transfers) > 0 {
			t = &p.Payments[i].Transfers[0]
			break
		}
	}
	if t == nil {
		return kontor.StandingOrder{}, p, fmt.Errorf("standing order %s: the pain.001 has no credit transfer", orderID)
	}
	interval, err := IntervalOf(sched.Unit, sched.Turnus)
	if err != nil {
		return kontor.StandingOrder{}, p, fmt.Errorf("standing order %s: %w", orderID, err)
	}
	purpose := t.RemittanceText()
	if purpose == "" {
		purpose = t.CreditorRef
	}
	return kontor.StandingOrder{
		ID:                 orderID,
		FirstExecutionDate: timestamp(day(sched.FirstExecution)),
		LastExecutionDate:  timestamp(day(sched.LastExecution)),
		ExecutionDay:       sched.ExecutionDay,
		Interval:           interval,
		Amount:             t.Amount,
		Currency:           t.Currency,
		Purpose:            purpose,
	}, p, nil
}

// Party is a creditor or debtor of a generated payment.
type Party struct {
	Name string // Nm
	IBAN string // account IBAN
	BIC  string // agent BIC; may be empty
}

// HICDBFromStandingOrder is the inverse of [StandingOrderFromHICDB], for
// the sandbox bank: it returns the schedule DEG and a pain.001 of the given
// version ("pain.001.001.03" when empty) with one credit transfer from the
// debtor to the creditor, the control sum filled (some clients read the
// amount there) and the dummy execution date 1999-01-01 that banks use.
func HICDBFromStandingOrder(so kontor.StandingOrder, debtor, creditor Party, version string, created time.Time) (StandingOrderSchedule, []byte, error) {
	unit, turnus, err := UnitAndTurnus(so.Interval)
	if err != nil {
		return StandingOrderSchedule{}, nil, fmt.Errorf("standing order %s: %w", so.ID, err)
	}
	sched := StandingOrderSchedule{
		FirstExecution: day(so.FirstExecutionDate.Time),
		Unit:           unit,
		Turnus:         turnus,
		ExecutionDay:   so.ExecutionDay,
		LastExecution:  day(so.LastExecutionDate.Time),
	}
	amount := so.Amount.Abs()
	id := cmp.Or(so.ID, "NOTPROVIDED")
	t := CreditTransfer{
		EndToEndID:   "NOTPROVIDED",
		Amount:       amount,
		Currency:     cmp.Or(so.Currency, "EUR"),
		CreditorName: creditor.Name,
		CreditorIBAN: creditor.IBAN,
		CreditorBIC:  creditor.BIC,
	}
	for r := []rune(so.Purpose); len(r) > 0; {
		n := min(len(r), ustrdWidth)
		t.Remittance = append(t.Remittance, string(r[:n]))
		r = r[n:]
	}
	p := &Pain001{
		Version:         version,
		MessageID:       id,
		Created:         created.UTC().Truncate(time.Second),
		NumberOfTxs:     "1",
		ControlSum:      &amount,
		InitiatingParty: debtor.Name,
		Payments: []PaymentInfo{{
			ID:            id,
			Method:        "TRF",
			ServiceLevel:  "SEPA",
			ExecutionDate: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC),
			DebtorName:    debtor.Name,
			DebtorIBAN:    debtor.IBAN,
			DebtorBIC:     debtor.BIC,
			ChargeBearer:  "SLEV",
			Transfers:     []CreditTransfer{t},
		}},
	}
	out, err := GeneratePain001(p)
	if err != nil {
		return StandingOrderSchedule{}, nil, fmt.Errorf("standing order %s: %w", so.ID, err)
	}
	return sched, out, nil
}
