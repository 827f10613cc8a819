package finformat

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// CamtDocument is a camt.052 account report, camt.053 statement or
// camt.054 debit/credit notification.
type CamtDocument struct {
	// Kind is "camt.052", "camt.053" or "camt.054", from the message
	// element.
	Kind string `json:"kind"`
	// Version is the message version from the namespace, such as
	// "camt.052.001.08"; "" when the namespace does not name one.
	Version string `json:"version,omitempty"`
	// MessageID and Created are GrpHdr/MsgId and GrpHdr/CreDtTm.
	MessageID string    `json:"messageId,omitempty"`
	Created   time.Time `json:"created,omitzero"` // GrpHdr/CreDtTm in UTC
	// Reports are the Rpt (camt.052), Stmt (camt.053) or Ntfctn (camt.054)
	// elements.
	Reports []CamtReport `json:"reports"`
}

// CamtReport is one account report, statement or notification.
type CamtReport struct {
	ID             string    `json:"id,omitempty"`             // Id
	SequenceNumber string    `json:"sequenceNumber,omitempty"` // ElctrncSeqNb
	Created        time.Time `json:"created,omitzero"`         // CreDtTm in UTC
	// From and To are FrToDt/FrDtTm and ToDtTm.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"` // FrToDt/ToDtTm
	// IBAN is Acct/Id/IBAN; AccountID is Acct/Id/Othr/Id for accounts
	// without IBAN.
	IBAN      string `json:"iban,omitempty"`
	AccountID string `json:"accountId,omitempty"` // Acct/Id/Othr/Id
	// Currency is Acct/Ccy, Owner Acct/Ownr/Nm and ServicerBIC
	// Acct/Svcr/FinInstnId/BIC (BICFI).
	Currency    string        `json:"currency,omitempty"`
	Owner       string        `json:"owner,omitempty"`       // Acct/Ownr/Nm
	ServicerBIC string        `json:"servicerBic,omitempty"` // Acct/Svcr/FinInstnId/BIC (BICFI)
	Balances    []CamtBalance `json:"balances,omitempty"`    // Bal elements
	Entries     []CamtEntry   `json:"entries"`               // Ntry elements
	// AdditionalInfo is AddtlRptInf, AddtlStmtInf or AddtlNtfctnInf.
	AdditionalInfo string `json:"additionalInfo,omitempty"`
}

// CamtBalance is a Bal element.
type CamtBalance struct {
	// Type is Tp/CdOrPrtry/Cd (or Prtry): PRCD, OPBD, CLBD, ITBD, CLAV,
	// ITAV, FWAV, ...
	Type string `json:"type"`
	// Indicator is CdtDbtInd: "CRDT" or "DBIT".
	Indicator string        `json:"indicator"`
	Amount    kontor.Amount `json:"amount"`        // never negative; see Signed
	Currency  string        `json:"currency"`      // Amt@Ccy
	Date      time.Time     `json:"date,omitzero"` // Dt/Dt (a day) or Dt/DtTm (in UTC)
}

// Signed returns the balance with its sign: negative for DBIT.
func (b CamtBalance) Signed() kontor.Amount {
	if b.Indicator == "DBIT" {
		return b.Amount.Neg()
	}
	return b.Amount
}

// CamtEntry is an Ntry element.
type CamtEntry struct {
	Ref string `json:"ref,omitempty"` // NtryRef
	// Amount is Amt, never negative, in Currency (Amt@Ccy).
	Amount   kontor.Amount `json:"amount"`
	Currency string        `json:"currency"` // Amt@Ccy
	// Indicator is CdtDbtInd, "CRDT" or "DBIT": the direction of this
	// entry, also for reversals.
	Indicator string `json:"indicator"`
	// Reversal is RvslInd.
	Reversal bool `json:"reversal,omitempty"`
	// Status is Sts (or Sts/Cd): "BOOK", "PDNG" or "INFO".
	Status      string    `json:"status,omitempty"`
	BookingDate time.Time `json:"bookingDate,omitzero"` // BookgDt: a day, or a time in UTC
	ValueDate   time.Time `json:"valueDate,omitzero"`   // ValDt: a day, or a time in UTC
	// AcctSvcrRef is the bank's reference for the entry.
	AcctSvcrRef string          `json:"acctSvcrRef,omitempty"`
	BankTxCode  BankTxCode      `json:"bankTxCode"`        // BkTxCd
	Details     []CamtTxDetails `json:"details,omitempty"` // NtryDtls/TxDtls elements
	// AdditionalInfo is AddtlNtryInf, usually the booking text.
	AdditionalInfo string `json:"additionalInfo,omitempty"`
}

// Signed returns the entry amount with its sign: negative for DBIT.
func (e CamtEntry) Signed() kontor.Amount {
	if e.Indicator == "DBIT" {
		return e.Amount.Neg()
	}
	return e.Amount
}

// BankTxCode is a BkTxCd element.
type BankTxCode struct {
	// Domain, Family and SubFamily are the ISO code, e.g. PMNT, RCDT,
	// ESCT.
	Domain    string `json:"domain,omitempty"`
	Family    string `json:"family,omitempty"`    // Domn/Fmly/Cd
	SubFamily string `json:"subFamily,omitempty"` // Domn/Fmly/SubFmlyCd
	// Proprietary is Prtry/Cd; German banks write
	// "<SWIFT key>+<GVC>+<primanota>+<text key extension>" there, such as
	// "NTRF+166+9310+000". Issuer is Prtry/Issr ("DK").
	Proprietary string `json:"proprietary,omitempty"`
	Issuer      string `json:"issuer,omitempty"` // Prtry/Issr
}

// GVC returns the Geschäftsvorfallcode from Proprietary, or "".
func (c BankTxCode) GVC() string {
	parts := strings.Split(c.Proprietary, "+")
	if len(parts) >= 2 && len(parts[1]) == 3 && isDigits(parts[1]) {
		return parts[1]
	}
	return ""
}

// Primanota returns the primanota from Proprietary, or "".
func (c BankTxCode) Primanota() string {
	parts := strings.Split(c.Proprietary, "+")
	if len(parts) >= 3 && c.GVC() != "" {
		return parts[2]
	}
	return ""
}

// CamtTxDetails is an NtryDtls/TxDtls element.
type CamtTxDetails struct {
	// Refs.
	MessageID   string `json:"messageId,omitempty"`
	AcctSvcrRef string `json:"acctSvcrRef,omitempty"` // Refs/AcctSvcrRef
	PmtInfID    string `json:"pmtInfId,omitempty"`    // Refs/PmtInfId
	InstrID     string `json:"instrId,omitempty"`     // Refs/InstrId
	EndToEndID  string `json:"endToEndId,omitempty"`  // Refs/EndToEndId
	TxID        string `json:"txId,omitempty"`        // Refs/TxId
	MandateID   string `json:"mandateId,omitempty"`   // Refs/MndtId
	// Amount is the transaction amount (Amt, or AmtDtls/TxAmt/Amt); nil
	// when absent.
	Amount     *kontor.Amount `json:"amount,omitempty"`
	Currency   string         `json:"currency,omitempty"` // the amount's Ccy
	BankTxCode BankTxCode     `json:"bankTxCode"`         // TxDtls/BkTxCd
	// Related parties and agents. Names are Nm (or Pty/Nm); accounts
	// Acct/Id/IBAN; BICs FinInstnId/BIC (or BICFI). CreditorID is the
	// creditor's SEPA identifier (Cdtr/Id/PrvtId/Othr/Id).
	DebtorName       string `json:"debtorName,omitempty"`
	DebtorIBAN       string `json:"debtorIban,omitempty"`       // RltdPties/DbtrAcct/Id/IBAN
	DebtorBIC        string `json:"debtorBic,omitempty"`        // RltdAgts/DbtrAgt
	UltimateDebtor   string `json:"ultimateDebtor,omitempty"`   // RltdPties/UltmtDbtr name
	CreditorName     string `json:"creditorName,omitempty"`     // RltdPties/Cdtr name
	CreditorIBAN     string `json:"creditorIban,omitempty"`     // RltdPties/CdtrAcct/Id/IBAN
	CreditorBIC      string `json:"creditorBic,omitempty"`      // RltdAgts/CdtrAgt
	CreditorID       string `json:"creditorId,omitempty"`       // SEPA creditor identifier
	UltimateCreditor string `json:"ultimateCreditor,omitempty"` // RltdPties/UltmtCdtr name
	// PurposeCode is Purp/Cd, such as "SALA".
	PurposeCode string `json:"purposeCode,omitempty"`
	// Remittance are the RmtInf/Ustrd lines as sent.
	Remittance []string `json:"remittance,omitempty"`
	// CreditorRef is RmtInf/Strd/CdtrRefInf/Ref (an RF reference).
	CreditorRef string `json:"creditorRef,omitempty"`
	// ReturnReason is RtrInf/Rsn/Cd (or Prtry), such as "MD06".
	ReturnReason string `json:"returnReason,omitempty"`
	// AdditionalInfo is AddtlTxInf.
	AdditionalInfo string `json:"additionalInfo,omitempty"`
}

// RemittanceText joins the Ustrd lines: without a separator after a full
// (140-character) line, with a space after a shorter one.
func (d *CamtTxDetails) RemittanceText() string {
	var b strings.Builder
	prevFull := true
	for _, u := range d.Remittance {
		if b.Len() > 0 && !prevFull {
			b.WriteByte(' ')
		}
		b.WriteString(u)
		prevFull = len([]rune(u)) >= ustrdWidth
	}
	return strings.TrimSpace(b.String())
}

const ustrdWidth = 140

// XML shapes read. Element names match in any namespace; .02 and .08
// layouts are both covered (Sts text or Sts/Cd, Nm or Pty/Nm, BIC or
// BICFI).
type (
	xCamtDoc struct {
		XMLName xml.Name
		Rpt     *xCamtGroup `xml:"BkToCstmrAcctRpt"`
		Stmt    *xCamtGroup `xml:"BkToCstmrStmt"`
		Ntfctn  *xCamtGroup `xml:"BkToCstmrDbtCdtNtfctn"`
	}
	xCamtGroup struct {
		GrpHdr struct {
			MsgId   string `xml:"MsgId"`
			CreDtTm string `xml:"CreDtTm"`
		} `xml:"GrpHdr"`
		Rpt    []xCamtReport `xml:"Rpt"`
		Stmt   []xCamtReport `xml:"Stmt"`
		Ntfctn []xCamtReport `xml:"Ntfctn"`
	}
	xCamtReport struct {
		Id           string `xml:"Id"`
		ElctrncSeqNb string `xml:"ElctrncSeqNb"`
		CreDtTm      string `xml:"CreDtTm"`
		FrToDt       struct {
			FrDtTm string `xml:"FrDtTm"`
			ToDtTm string `xml:"ToDtTm"`
		} `xml:"FrToDt"`
		Acct           xAcct   `xml:"Acct"`
		Bal            []xBal  `xml:"Bal"`
		Ntry           []xNtry `xml:"Ntry"`
		AddtlRptInf    string  `xml:"AddtlRptInf"`
		AddtlStmtInf   string  `xml:"AddtlStmtInf"`
		AddtlNtfctnInf string  `xml:"AddtlNtfctnInf"`
	}
	xAcct struct {
		Id struct {
			IBAN string `xml:"IBAN"`
			Othr struct {
				Id string `xml:"Id"`
			} `xml:"Othr"`
		} `xml:"Id"`
		Ccy  string `xml:"Ccy"`
		Ownr xParty `xml:"Ownr"`
		Svcr xAgent `xml:"Svcr"`
	}
	xParty struct {
		Nm  string   `xml:"Nm"`
		Id  xPartyID `xml:"Id"`
		Pty *xParty  `xml:"Pty"`
	}
	xPartyID struct {
		PrvtId struct {
			Othr []xOthr `xml:"Othr"`
		} `xml:"PrvtId"`
		OrgId struct {
			Othr []xOthr `xml:"Othr"`
		} `xml:"OrgId"`
	}
	xOthr struct {
		Id      string `xml:"Id"`
		SchmeNm struct {
			Cd    string `xml:"Cd"`
			Prtry string `xml:"Prtry"`
		} `xml:"SchmeNm"`
	}
	xAgent struct {
		FinInstnId struct {
			BIC   string `xml:"BIC"`
			BICFI string `xml:"BICFI"`
		} `xml:"FinInstnId"`
	}
	xAmt struct {
		Value string `xml:",chardata"`
		Ccy   string `xml:"Ccy,attr"`
	}
	xCode struct {
		Text  string `xml:",chardata"`
		Cd    string `xml:"Cd"`
		Prtry string `xml:"Prtry"`
	}
	xBal struct {
		Tp struct {
			CdOrPrtry xCode `xml:"CdOrPrtry"`
		} `xml:"Tp"`
		Amt       xAmt   `xml:"Amt"`
		CdtDbtInd string `xml:"CdtDbtInd"`
		Dt        xDate  `xml:"Dt"`
	}
	xBkTxCd struct {
		Domn struct {
			Cd   string `xml:"Cd"`
			Fmly struct {
				Cd        string `xml:"Cd"`
				SubFmlyCd string `xml:"SubFmlyCd"`
			} `xml:"Fmly"`
		} `xml:"Domn"`
		Prtry struct {
			Cd   string `xml:"Cd"`
			Issr string `xml:"Issr"`
		} `xml:"Prtry"`
	}
	xNtry struct {
		NtryRef     string  `xml:"NtryRef"`
		Amt         xAmt    `xml:"Amt"`
		CdtDbtInd   string  `xml:"CdtDbtInd"`
		RvslInd     string  `xml:"RvslInd"`
		Sts         xCode   `xml:"Sts"`
		BookgDt     xDate   `xml:"BookgDt"`
		ValDt       xDate   `xml:"ValDt"`
		AcctSvcrRef string  `xml:"AcctSvcrRef"`
		BkTxCd      xBkTxCd `xml:"BkTxCd"`
		NtryDtls    []struct {
			TxDtls []xTx `xml:"TxDtls"`
		} `xml:"NtryDtls"`
		AddtlNtryInf string `xml:"AddtlNtryInf"`
	}
	xTx struct {
		Refs struct {
			MsgId       string `xml:"MsgId"`
			AcctSvcrRef string `xml:"AcctSvcrRef"`
			PmtInfId    string `xml:"PmtInfId"`
			InstrId     string `xml:"InstrId"`
			EndToEndId  string `xml:"EndToEndId"`
			TxId        string `xml:"TxId"`
			MndtId      string `xml:"MndtId"`
		} `xml:"Refs"`
		Amt     *xAmt `xml:"Amt"`
		AmtDtls struct {
			TxAmt struct {
				Amt *xAmt `xml:"Amt"`
			} `xml:"TxAmt"`
		} `xml:"AmtDtls"`
		BkTxCd    xBkTxCd `xml:"BkTxCd"`
		RltdPties struct {
			Dbtr      xParty `xml:"Dbtr"`
			DbtrAcct  xAcct  `xml:"DbtrAcct"`
			UltmtDbtr xParty `xml:"UltmtDbtr"`
			Cdtr      xParty `xml:"Cdtr"`
			CdtrAcct  xAcct  `xml:"CdtrAcct"`
			UltmtCdtr xParty `xml:"UltmtCdtr"`
		} `xml:"RltdPties"`
		RltdAgts struct {
			DbtrAgt xAgent `xml:"DbtrAgt"`
			CdtrAgt xAgent `xml:"CdtrAgt"`
		} `xml:"RltdAgts"`
		Purp   xCode `xml:"Purp"`
		RmtInf struct {
			Ustrd []string `xml:"Ustrd"`
			Strd  []struct {
				CdtrRefInf struct {
					Ref string `xml:"Ref"`
				} `xml:"CdtrRefInf"`
			} `xml:"Strd"`
		} `xml:"RmtInf"`
		RtrInf struct {
			Rsn xCode `xml:"Rsn"`
		} `xml:"RtrInf"`
		AddtlTxInf string `xml:"AddtlTxInf"`
	}
)

func ts(s string) string { return strings.TrimSpace(s) }

func (p *xParty) name() string {
	if p.Pty != nil {
		if n := ts(p.Pty.Nm); n != "" {
			return n
		}
	}
	return ts(p.Nm)
}

// sepaID returns the party's identifier with scheme "SEPA", or its first
// private identifier.
func (p *xParty) sepaID() string {
	id := &p.Id
	if p.Pty != nil && (len(p.Pty.Id.PrvtId.Othr) > 0 || len(p.Pty.Id.OrgId.Othr) > 0) {
		id = &p.Pty.Id
	}
	others := append(append([]xOthr(nil), id.PrvtId.Othr...), id.OrgId.Othr...)
	for _, o := range others {
		if strings.EqualFold(ts(o.SchmeNm.Prtry), "SEPA") && ts(o.Id) != "" {
			return ts(o.Id)
		}
	}
	for _, o := range id.PrvtId.Othr {
		if ts(o.Id) != "" {
			return ts(o.Id)
		}
	}
	return ""
}

func (a *xAgent) bic() string {
	if b := ts(a.FinInstnId.BICFI); b != "" {
		return b
	}
	return ts(a.FinInstnId.BIC)
}

func (c *xCode) value() string {
	if v := ts(c.Cd); v != "" {
		return v
	}
	if v := ts(c.Prtry); v != "" {
		return v
	}
	return ts(c.Text)
}

func (c *xBkTxCd) code() BankTxCode {
	return BankTxCode{
		Domain:      ts(c.Domn.Cd),
		Family:      ts(c.Domn.Fmly.Cd),
		SubFamily:   ts(c.Domn.Fmly.SubFmlyCd),
		Proprietary: ts(c.Prtry.Cd),
		Issuer:      ts(c.Prtry.Issr),
	}
}

var camtNamespace = regexp.MustCompile(`(camt\.05[234])\.001\.(\d\d)$`)

// ParseCamt reads a camt.052, camt.053 or camt.054 document (the root
// element "Document", in any namespace). Both the .02 and the .08 element
// layouts are read. Errors are of type *[ParseError] and name the element
// path, such as "Rpt[1]/Ntry[3]/Amt".
func ParseCamt(data []byte) (*CamtDocument, error) {
	var x xCamtDoc
	if err := decodeXML("camt", data, &x); err != nil {
		return nil, err
	}
	if x.XMLName.Local != "Document" {
		return nil, &ParseError{Format: "camt", Field: x.XMLName.Local, Msg: "root element must be Document"}
	}
	doc := &CamtDocument{Reports: []CamtReport{}}
	var g *xCamtGroup
	var reports []xCamtReport
	var prefix string
	switch {
	case x.Rpt != nil:
		g, doc.Kind, prefix = x.Rpt, "camt.052", "Rpt"
		reports = g.Rpt
	case x.Stmt != nil:
		g, doc.Kind, prefix = x.Stmt, "camt.053", "Stmt"
		reports = g.Stmt
	case x.Ntfctn != nil:
		g, doc.Kind, prefix = x.Ntfctn, "camt.054", "Ntfctn"
		reports = g.Ntfctn
	default:
		return nil, &ParseError{Format: "camt", Field: "Document", Msg: "no BkToCstmrAcctRpt, BkToCstmrStmt or BkToCstmrDbtCdtNtfctn"}
	}
	if m := camtNamespace.FindStringSubmatch(x.XMLName.Space); m != nil && m[1] == doc.Kind {
		doc.Version = m[0]
	}
	doc.MessageID = ts(g.GrpHdr.MsgId)
	var err error
	if doc.Created, err = parseISODateTime(ts(g.GrpHdr.CreDtTm)); err != nil {
		return nil, camtErr("GrpHdr/CreDtTm", err)
	}
	for i := range reports {
		r, err := parseCamtReport(&reports[i], fmt.Sprintf("%s[%d]", prefix, i+1))
		if err != nil {
			return nil, err
		}
		doc.Reports = append(doc.Reports, r)
	}
	return doc, nil
}

func camtErr(path string, err error) error {
	return &ParseError{Format: "camt", Field: path, Msg: "invalid value", Err: err}
}

func parseCamtReport(x *xCamtReport, path string) (CamtReport, error) {
	r := CamtReport{
		ID:             ts(x.Id),
		SequenceNumber: ts(x.ElctrncSeqNb),
		IBAN:           ts(x.Acct.Id.IBAN),
		AccountID:      ts(x.Acct.Id.Othr.Id),
		Currency:       ts(x.Acct.Ccy),
		Owner:          x.Acct.Ownr.name(),
		ServicerBIC:    x.Acct.Svcr.bic(),
		Entries:        []CamtEntry{},
		AdditionalInfo: ts(x.AddtlRptInf + x.AddtlStmtInf + x.AddtlNtfctnInf),
	}
	var err error
	if r.Created, err = parseISODateTime(ts(x.CreDtTm)); err != nil {
		return r, camtErr(path+"/CreDtTm", err)
	}
	if r.From, err = parseISODateTime(ts(x.FrToDt.FrDtTm)); err != nil {
		return r, camtErr(path+"/FrToDt/FrDtTm", err)
	}
	if r.To, err = parseISODateTime(ts(x.FrToDt.ToDtTm)); err != nil {
		return r, camtErr(path+"/FrToDt/ToDtTm", err)
	}
	for i := range x.Bal {
		b := &x.Bal[i]
		p := fmt.Sprintf("%s/Bal[%d]", path, i+1)
		bal := CamtBalance{Type: b.Tp.CdOrPrtry.value(), Currency: ts(b.Amt.Ccy)}
		if bal.Amount, err = parseXMLAmount(ts(b.Amt.Value)); err != nil {
			return r, camtErr(p+"/Amt", err)
		}
		if bal.Indicator, err = indicator(b.CdtDbtInd); err != nil {
			return r, camtErr(p+"/CdtDbtInd", err)
		}
		if bal.Date, err = b.Dt.parse(); err != nil {
			return r, camtErr(p+"/Dt", err)
		}
		r.Balances = append(r.Balances, bal)
	}
	for i := range x.Ntry {
		e, err := parseCamtEntry(&x.Ntry[i], fmt.Sprintf("%s/Ntry[%d]", path, i+1))
		if err != nil {
			return r, err
		}
		r.Entries = append(r.Entries, e)
	}
	return r, nil
}

func indicator(s string) (string, error) {
	switch s = ts(s); s {
	case "CRDT", "DBIT":
		return s, nil
	}
	return "", fmt.Errorf("credit/debit indicator %s: want CRDT or DBIT", quote(s))
}

func parseCamtEntry(x *xNtry, path string) (CamtEntry, error) {
	e := CamtEntry{
		Ref:            ts(x.NtryRef),
		Currency:       ts(x.Amt.Ccy),
		Status:         x.Sts.value(),
		AcctSvcrRef:    ts(x.AcctSvcrRef),
		BankTxCode:     x.BkTxCd.code(),
		AdditionalInfo: ts(x.AddtlNtryInf),
	}
	var err error
	if e.Amount, err = parseXMLAmount(ts(x.Amt.Value)); err != nil {
		return e, camtErr(path+"/Amt", err)
	}
	if e.Indicator, err = indicator(x.CdtDbtInd); err != nil {
		return e, camtErr(path+"/CdtDbtInd", err)
	}
	switch v := ts(x.RvslInd); v {
	case "", "false", "0":
	case "true", "1":
		e.Reversal = true
	default:
		return e, camtErr(path+"/RvslInd", fmt.Errorf("%s is not a boolean", quote(v)))
	}
	if e.BookingDate, err = x.BookgDt.parse(); err != nil {
		return e, camtErr(path+"/BookgDt", err)
	}
	if e.ValueDate, err = x.ValDt.parse(); err != nil {
		return e, camtErr(path+"/ValDt", err)
	}
	n := 0
	for _, nd := range x.NtryDtls {
		for i := range nd.TxDtls {
			n++
			d, err := parseCamtTx(&nd.TxDtls[i], fmt.Sprintf("%s/NtryDtls/TxDtls[%d]", path, n))
			if err != nil {
				return e, err
			}
			e.Details = append(e.Details, d)
		}
	}
	return e, nil
}

func parseCamtTx(x *xTx, path string) (CamtTxDetails, error) {
	p := &x.RltdPties
	d := CamtTxDetails{
		MessageID:        ts(x.Refs.MsgId),
		AcctSvcrRef:      ts(x.Refs.AcctSvcrRef),
		PmtInfID:         ts(x.Refs.PmtInfId),
		InstrID:          ts(x.Refs.InstrId),
		EndToEndID:       ts(x.Refs.EndToEndId),
		TxID:             ts(x.Refs.TxId),
		MandateID:        ts(x.Refs.MndtId),
		BankTxCode:       x.BkTxCd.code(),
		DebtorName:       p.Dbtr.name(),
		DebtorIBAN:       ts(p.DbtrAcct.Id.IBAN),
		DebtorBIC:        x.RltdAgts.DbtrAgt.bic(),
		UltimateDebtor:   p.UltmtDbtr.name(),
		CreditorName:     p.Cdtr.name(),
		CreditorIBAN:     ts(p.CdtrAcct.Id.IBAN),
		CreditorBIC:      x.RltdAgts.CdtrAgt.bic(),
		CreditorID:       p.Cdtr.sepaID(),
		UltimateCreditor: p.UltmtCdtr.name(),
		PurposeCode:      x.Purp.value(),
		Remittance:       x.RmtInf.Ustrd,
		ReturnReason:     x.RtrInf.Rsn.value(),
		AdditionalInfo:   ts(x.AddtlTxInf),
	}
	for _, s := range x.RmtInf.Strd {
		if ref := ts(s.CdtrRefInf.Ref); ref != "" {
			d.CreditorRef = ref
			break
		}
	}
	amt := x.Amt
	if amt == nil || ts(amt.Value) == "" {
		amt = x.AmtDtls.TxAmt.Amt
	}
	if amt != nil && ts(amt.Value) != "" {
		a, err := parseXMLAmount(ts(amt.Value))
		if err != nil {
			return d, camtErr(path+"/Amt", err)
		}
		d.Amount = &a
		d.Currency = ts(amt.Ccy)
	}
	return d, nil
}

// CamtBookings converts a document's entries to transactions, in order.
// An entry is booked when its status is BOOK (or missing), pending for
// PDNG and INFO. Transaction IDs are left empty; see [AssignIDs].
//
// Mapping: amount signed by CdtDbtInd; booking date BookgDt (ValDt when
// missing) and value date ValDt (BookgDt when missing); currency Amt@Ccy;
// then from the first TxDtls: the counterpart is the debtor of a credit
// and the creditor of a debit (the other way round for a reversal), with
// name, IBAN and agent BIC; creditor ID Cdtr/Id/PrvtId/Othr/Id; MRef MndtId;
// Purpose the Ustrd lines joined (the structured creditor reference when
// there are none); Codes the GVC and primanota from BkTxCd/Prtry/Cd
// ("NTRF+166+9310+000") and Purp/Cd. The bank reference is AcctSvcrRef.
// An entry with several TxDtls (a batch) becomes one transaction.
func CamtBookings(doc *CamtDocument) []Booking {
	var out []Booking
	for ri := range doc.Reports {
		for ei := range doc.Reports[ri].Entries {
			out = append(out, camtBooking(&doc.Reports[ri].Entries[ei]))
		}
	}
	return out
}

func camtBooking(e *CamtEntry) Booking {
	booking, value := e.BookingDate, e.ValueDate
	if booking.IsZero() {
		booking = value
	}
	if value.IsZero() {
		value = booking
	}
	tx := kontor.Transaction{
		BookingDate: timestamp(day(booking)),
		ValueDate:   timestamp(day(value)),
		Currency:    e.Currency,
		Booked:      e.Status == "BOOK" || e.Status == "",
		Amount:      e.Signed(),
		Tags:        []kontor.Tag{},
	}
	b := Booking{BankRef: e.AcctSvcrRef}
	code := e.BankTxCode
	var d CamtTxDetails
	if len(e.Details) > 0 {
		d = e.Details[0]
		if code.GVC() == "" {
			code = d.BankTxCode
		}
		if b.BankRef == "" {
			b.BankRef = d.AcctSvcrRef
		}
	}
	if (e.Indicator == "CRDT") != e.Reversal {
		tx.CounterPart = kontor.CounterPart{Name: d.DebtorName, IBAN: d.DebtorIBAN, BIC: d.DebtorBIC}
	} else {
		tx.CounterPart = kontor.CounterPart{Name: d.CreditorName, IBAN: d.CreditorIBAN, BIC: d.CreditorBIC}
	}
	tx.CounterPart.CreditorID = d.CreditorID
	tx.MRef = d.MandateID
	tx.Purpose = d.RemittanceText()
	if tx.Purpose == "" {
		tx.Purpose = d.CreditorRef
	}
	tx.Codes = codes(code.GVC(), code.Primanota(), d.PurposeCode)
	if !strings.EqualFold(d.EndToEndID, "NOTPROVIDED") {
		b.EndToEndRef = d.EndToEndID
	}
	b.Transaction = tx
	return b
}
