package finformat

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/kontor-dev/kontor"
)

// camtElements are the group and report element names of each kind.
var camtElements = map[string][3]string{
	"camt.052": {"BkToCstmrAcctRpt", "Rpt", "AddtlRptInf"},
	"camt.053": {"BkToCstmrStmt", "Stmt", "AddtlStmtInf"},
	"camt.054": {"BkToCstmrDbtCdtNtfctn", "Ntfctn", "AddtlNtfctnInf"},
}

// camtLayout tells which element variants a message version uses.
type camtLayout struct {
	bicfi bool // BICFI instead of BIC (from .04)
	v08   bool // Sts/Cd, Pty wrappers and TxDtls/Amt (from .08)
}

func layoutOf(version string) (camtLayout, error) {
	n, err := strconv.Atoi(version[len(version)-2:])
	if err != nil {
		return camtLayout{}, fmt.Errorf("version %s: %w", quote(version), err)
	}
	return camtLayout{bicfi: n >= 4, v08: n >= 8}, nil
}

// GenerateCamt writes a camt document in the layout of its Version (the
// .02 layout when Version is empty): .02 writes Sts as text, names as Nm and
// BIC; .08 writes Sts/Cd, Pty/Nm and BICFI. [ParseCamt] reads the result
// back into the same document (with Version filled in).
func GenerateCamt(doc *CamtDocument) ([]byte, error) {
	names, ok := camtElements[doc.Kind]
	if !ok {
		return nil, fmt.Errorf("generating camt: kind %s: want camt.052, camt.053 or camt.054", quote(doc.Kind))
	}
	version := doc.Version
	if version == "" {
		version = doc.Kind + ".001.02"
	}
	if m := camtNamespace.FindStringSubmatch(version); m == nil || m[0] != version || m[1] != doc.Kind {
		return nil, fmt.Errorf("generating camt: version %s does not fit kind %s", quote(version), doc.Kind)
	}
	l, err := layoutOf(version)
	if err != nil {
		return nil, fmt.Errorf("generating camt: %w", err)
	}
	w := &xmlWriter{}
	w.open("Document", "xmlns", "urn:iso:std:iso:20022:tech:xsd:"+version,
		"xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
	w.open(names[0])
	w.open("GrpHdr")
	w.leafAlways("MsgId", doc.MessageID)
	w.dateTime("CreDtTm", doc.Created)
	w.close("GrpHdr")
	for i := range doc.Reports {
		if err := w.camtReport(&doc.Reports[i], names, l); err != nil {
			return nil, fmt.Errorf("generating camt report %d: %w", i+1, err)
		}
	}
	w.close(names[0])
	w.close("Document")
	return w.bytes(), nil
}

func (w *xmlWriter) camtReport(r *CamtReport, names [3]string, l camtLayout) error {
	w.open(names[1])
	w.leafAlways("Id", r.ID)
	w.leaf("ElctrncSeqNb", r.SequenceNumber)
	w.dateTime("CreDtTm", r.Created)
	if !r.From.IsZero() || !r.To.IsZero() {
		w.open("FrToDt")
		w.dateTime("FrDtTm", r.From)
		w.dateTime("ToDtTm", r.To)
		w.close("FrToDt")
	}
	w.open("Acct")
	w.open("Id")
	if r.IBAN != "" || r.AccountID == "" {
		w.leafAlways("IBAN", r.IBAN)
	}
	if r.AccountID != "" {
		w.open("Othr")
		w.leaf("Id", r.AccountID)
		w.close("Othr")
	}
	w.close("Id")
	w.leaf("Ccy", r.Currency)
	if r.Owner != "" {
		w.open("Ownr")
		w.leaf("Nm", r.Owner)
		w.close("Ownr")
	}
	w.agent("Svcr", r.ServicerBIC, l)
	w.close("Acct")
	for i := range r.Balances {
		b := &r.Balances[i]
		if err := checkIndicator(b.Indicator); err != nil {
			return fmt.Errorf("balance %d: %w", i+1, err)
		}
		if b.Amount.Sign() < 0 {
			return fmt.Errorf("balance %d: amount %s is negative; the sign goes into the indicator", i+1, b.Amount)
		}
		w.open("Bal")
		w.open("Tp")
		w.open("CdOrPrtry")
		w.leafAlways("Cd", b.Type)
		w.close("CdOrPrtry")
		w.close("Tp")
		w.leafAlways("Amt", b.Amount.String(), "Ccy", b.Currency)
		w.leafAlways("CdtDbtInd", b.Indicator)
		w.date("Dt", b.Date)
		w.close("Bal")
	}
	for i := range r.Entries {
		if err := w.camtEntry(&r.Entries[i], l); err != nil {
			return fmt.Errorf("entry %d: %w", i+1, err)
		}
	}
	w.leaf(names[2], r.AdditionalInfo)
	w.close(names[1])
	return nil
}

func checkIndicator(s string) error {
	if s != "CRDT" && s != "DBIT" {
		return fmt.Errorf("credit/debit indicator %s: want CRDT or DBIT", quote(s))
	}
	return nil
}

// agent writes a FinInstnId with BIC or BICFI, or nothing without BIC.
func (w *xmlWriter) agent(name, bic string, l camtLayout) {
	if bic == "" {
		return
	}
	w.open(name)
	w.open("FinInstnId")
	if l.bicfi {
		w.leaf("BICFI", bic)
	} else {
		w.leaf("BIC", bic)
	}
	w.close("FinInstnId")
	w.close(name)
}

func (w *xmlWriter) bankTxCode(c BankTxCode, always bool) {
	if c == (BankTxCode{}) && !always {
		return
	}
	w.open("BkTxCd")
	if c.Domain != "" || c.Family != "" || c.SubFamily != "" {
		w.open("Domn")
		w.leafAlways("Cd", c.Domain)
		w.open("Fmly")
		w.leafAlways("Cd", c.Family)
		w.leafAlways("SubFmlyCd", c.SubFamily)
		w.close("Fmly")
		w.close("Domn")
	}
	if c.Proprietary != "" || c.Issuer != "" {
		w.open("Prtry")
		w.leafAlways("Cd", c.Proprietary)
		w.leaf("Issr", c.Issuer)
		w.close("Prtry")
	}
	w.close("BkTxCd")
}

func (w *xmlWriter) camtEntry(e *CamtEntry, l camtLayout) error {
	if err := checkIndicator(e.Indicator); err != nil {
		return err
	}
	if e.Amount.Sign() < 0 {
		return fmt.Errorf("amount %s is negative; the sign goes into the indicator", e.Amount)
	}
	w.open("Ntry")
	w.leaf("NtryRef", e.Ref)
	w.leafAlways("Amt", e.Amount.String(), "Ccy", e.Currency)
	w.leafAlways("CdtDbtInd", e.Indicator)
	if e.Reversal {
		w.leaf("RvslInd", "true")
	}
	if l.v08 {
		if e.Status != "" {
			w.open("Sts")
			w.leaf("Cd", e.Status)
			w.close("Sts")
		}
	} else {
		w.leaf("Sts", e.Status)
	}
	w.date("BookgDt", e.BookingDate)
	w.date("ValDt", e.ValueDate)
	w.leaf("AcctSvcrRef", e.AcctSvcrRef)
	w.bankTxCode(e.BankTxCode, true)
	if len(e.Details) > 0 {
		w.open("NtryDtls")
		for i := range e.Details {
			if err := w.camtTx(&e.Details[i], l); err != nil {
				return fmt.Errorf("transaction details %d: %w", i+1, err)
			}
		}
		w.close("NtryDtls")
	}
	w.leaf("AddtlNtryInf", e.AdditionalInfo)
	w.close("Ntry")
	return nil
}

// party writes a party with name and, for a creditor, its SEPA
// identifier; in the .08 layout inside Pty.
func (w *xmlWriter) party(name, nm, sepaID string, l camtLayout) {
	if nm == "" && sepaID == "" {
		return
	}
	w.open(name)
	if l.v08 {
		w.open("Pty")
	}
	w.leaf("Nm", nm)
	if sepaID != "" {
		w.open("Id")
		w.open("PrvtId")
		w.open("Othr")
		w.leaf("Id", sepaID)
		w.open("SchmeNm")
		w.leaf("Prtry", "SEPA")
		w.close("SchmeNm")
		w.close("Othr")
		w.close("PrvtId")
		w.close("Id")
	}
	if l.v08 {
		w.close("Pty")
	}
	w.close(name)
}

func (w *xmlWriter) account(name, iban string) {
	if iban == "" {
		return
	}
	w.open(name)
	w.open("Id")
	w.leaf("IBAN", iban)
	w.close("Id")
	w.close(name)
}

func (w *xmlWriter) camtTx(d *CamtTxDetails, l camtLayout) error {
	w.open("TxDtls")
	if d.MessageID != "" || d.AcctSvcrRef != "" || d.PmtInfID != "" || d.InstrID != "" || d.EndToEndID != "" || d.TxID != "" || d.MandateID != "" {
		w.open("Refs")
		w.leaf("MsgId", d.MessageID)
		w.leaf("AcctSvcrRef", d.AcctSvcrRef)
		w.leaf("PmtInfId", d.PmtInfID)
		w.leaf("InstrId", d.InstrID)
		w.leaf("EndToEndId", d.EndToEndID)
		w.leaf("TxId", d.TxID)
		w.leaf("MndtId", d.MandateID)
		w.close("Refs")
	}
	if d.Amount != nil {
		if d.Amount.Sign() < 0 {
			return fmt.Errorf("amount %s is negative", d.Amount)
		}
		if l.v08 {
			w.leafAlways("Amt", d.Amount.String(), "Ccy", d.Currency)
		} else {
			w.open("AmtDtls")
			w.open("TxAmt")
			w.leafAlways("Amt", d.Amount.String(), "Ccy", d.Currency)
			w.close("TxAmt")
			w.close("AmtDtls")
		}
	}
	w.bankTxCode(d.BankTxCode, false)
	if d.DebtorName != "" || d.DebtorIBAN != "" || d.UltimateDebtor != "" || d.CreditorName != "" || d.CreditorIBAN != "" || d.CreditorID != "" || d.UltimateCreditor != "" {
		w.open("RltdPties")
		w.party("Dbtr", d.DebtorName, "", l)
		w.account("DbtrAcct", d.DebtorIBAN)
		w.party("UltmtDbtr", d.UltimateDebtor, "", l)
		w.party("Cdtr", d.CreditorName, d.CreditorID, l)
		w.account("CdtrAcct", d.CreditorIBAN)
		w.party("UltmtCdtr", d.UltimateCreditor, "", l)
		w.close("RltdPties")
	}
	if d.DebtorBIC != "" || d.CreditorBIC != "" {
		w.open("RltdAgts")
		w.agent("DbtrAgt", d.DebtorBIC, l)
		w.agent("CdtrAgt", d.CreditorBIC, l)
		w.close("RltdAgts")
	}
	if d.PurposeCode != "" {
		w.open("Purp")
		w.leaf("Cd", d.PurposeCode)
		w.close("Purp")
	}
	if len(d.Remittance) > 0 || d.CreditorRef != "" {
		w.open("RmtInf")
		for _, u := range d.Remittance {
			w.leafAlways("Ustrd", u)
		}
		if d.CreditorRef != "" {
			w.open("Strd")
			w.open("CdtrRefInf")
			w.leaf("Ref", d.CreditorRef)
			w.close("CdtrRefInf")
			w.close("Strd")
		}
		w.close("RmtInf")
	}
	if d.ReturnReason != "" {
		w.open("RtrInf")
		w.open("Rsn")
		w.leaf("Cd", d.ReturnReason)
		w.close("Rsn")
		w.close("RtrInf")
	}
	w.leaf("AddtlTxInf", d.AdditionalInfo)
	w.close("TxDtls")
	return nil
}

// isoCodes are the ISO bank transaction codes (domain, family, sub-family)
// Kontor writes for a GVC.
var isoCodes = map[string][3]string{
	"104": {"PMNT", "RDDT", "BBDD"},
	"105": {"PMNT", "RDDT", "ESDD"},
	"106": {"PMNT", "CCRD", "POSD"},
	"107": {"PMNT", "RDDT", "ESDD"},
	"108": {"PMNT", "RDDT", "UPDD"},
	"109": {"PMNT", "RDDT", "UPDD"},
	"116": {"PMNT", "ICDT", "ESCT"},
	"117": {"PMNT", "ICDT", "STDO"},
	"118": {"PMNT", "ICDT", "ESCT"},
	"152": {"PMNT", "RCDT", "STDO"},
	"153": {"PMNT", "RCDT", "SALA"},
	"159": {"PMNT", "RCDT", "RRTN"},
	"166": {"PMNT", "RCDT", "ESCT"},
	"171": {"PMNT", "IDDT", "ESDD"},
	"177": {"PMNT", "ICDT", "ESCT"},
	"805": {"ACMT", "MDOP", "CHRG"},
	"808": {"ACMT", "MDOP", "CHRG"},
}

// NewCamtEntry maps a transaction onto a camt entry: CRDT or DBIT by the
// amount's sign, BOOK or PDNG, the transaction ID as AcctSvcrRef, an ISO
// bank transaction code and the German proprietary code
// ("NTRF+166+<primanota>") for its GVC, and one TxDtls with EndToEndId
// NOTPROVIDED, MndtId, the counterpart as debtor (credits) or creditor
// (debits), the creditor ID, the purpose code and the purpose as Ustrd
// lines of 140 characters. [CamtBookings] maps the entry back.
func NewCamtEntry(tx kontor.Transaction) CamtEntry {
	gvc := gvcOf(&tx)
	iso := isoCodes[gvc]
	if iso == ([3]string{}) {
		iso = [3]string{"PMNT", "RCDT", "OTHR"}
		if tx.Amount.Sign() < 0 {
			iso[1] = "ICDT"
		}
	}
	prop := cmp.Or(gvcs[gvc].swift, "NMSC") + "+" + gvc
	if p := codeOf(tx.Codes, kontor.CodePrimanota); p != "" {
		prop += "+" + p
	}
	e := CamtEntry{
		Amount:      tx.Amount.Abs(),
		Currency:    cmp.Or(tx.Currency, "EUR"),
		Indicator:   "CRDT",
		Status:      "BOOK",
		ValueDate:   day(tx.ValueDate.Time),
		AcctSvcrRef: tx.ID,
		BankTxCode: BankTxCode{Domain: iso[0], Family: iso[1], SubFamily: iso[2],
			Proprietary: prop, Issuer: "DK"},
		AdditionalInfo: BookingText(gvc),
	}
	if tx.Booked {
		e.BookingDate = day(tx.BookingDate.Time)
	} else {
		e.Status = "PDNG"
	}
	if e.ValueDate.IsZero() {
		e.ValueDate = day(tx.BookingDate.Time)
	}
	d := CamtTxDetails{
		EndToEndID:  "NOTPROVIDED",
		MandateID:   tx.MRef,
		CreditorID:  tx.CounterPart.CreditorID,
		PurposeCode: codeOf(tx.Codes, kontor.CodePurpose),
	}
	if tx.Amount.Sign() < 0 {
		e.Indicator = "DBIT"
		d.CreditorName, d.CreditorIBAN, d.CreditorBIC = tx.CounterPart.Name, tx.CounterPart.IBAN, tx.CounterPart.BIC
	} else {
		d.DebtorName, d.DebtorIBAN, d.DebtorBIC = tx.CounterPart.Name, tx.CounterPart.IBAN, tx.CounterPart.BIC
	}
	for r := []rune(tx.Purpose); len(r) > 0; {
		n := min(len(r), ustrdWidth)
		d.Remittance = append(d.Remittance, string(r[:n]))
		r = r[n:]
	}
	e.Details = []CamtTxDetails{d}
	return e
}

// NewCamtReports builds camt documents of the version given (such as
// "camt.052.001.08"; also camt.053) for the account's booked transactions
// (pending ones are skipped): one document per booking day, in date order,
// each with an opening (PRCD) and closing (CLBD) balance. opening is the
// balance before the first transaction.
func NewCamtReports(acct AccountRef, version string, opening kontor.Amount, txs []kontor.Transaction, created time.Time) ([]CamtDocument, error) {
	m := camtNamespace.FindStringSubmatch(version)
	if m == nil || m[0] != version {
		return nil, fmt.Errorf("building camt: version %s: want camt.05x.001.nn", quote(version))
	}
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
	created = created.UTC().Truncate(time.Second)
	var docs []CamtDocument
	balance := opening
	for i := 0; i < len(booked); {
		d := day(booked[i].BookingDate.Time)
		r := camtReportFor(acct, fmt.Sprintf("%s-%s", d.Format("20060102"), strconv.Itoa(len(docs)+1)), created)
		r.SequenceNumber = strconv.Itoa(len(docs) + 1)
		r.From, r.To = d, d.Add(24*time.Hour-time.Second)
		r.Balances = append(r.Balances, camtBalance("PRCD", balance, d.AddDate(0, 0, -1), cur))
		for ; i < len(booked) && day(booked[i].BookingDate.Time).Equal(d); i++ {
			var err error
			if balance, err = balance.Add(booked[i].Amount); err != nil {
				return nil, fmt.Errorf("building camt: %w", err)
			}
			r.Entries = append(r.Entries, NewCamtEntry(booked[i]))
		}
		r.Balances = append(r.Balances, camtBalance("CLBD", balance, d, cur))
		docs = append(docs, CamtDocument{
			Kind: m[1], Version: version, MessageID: r.ID, Created: created, Reports: []CamtReport{r},
		})
	}
	return docs, nil
}

// NewCamtPending builds one camt document of the account's pending
// transactions (booked ones are skipped), the shape of HICAZ's pending
// part.
func NewCamtPending(acct AccountRef, version string, txs []kontor.Transaction, created time.Time) (*CamtDocument, error) {
	m := camtNamespace.FindStringSubmatch(version)
	if m == nil || m[0] != version {
		return nil, fmt.Errorf("building camt: version %s: want camt.05x.001.nn", quote(version))
	}
	created = created.UTC().Truncate(time.Second)
	r := camtReportFor(acct, "PENDING-"+created.Format("20060102150405"), created)
	for _, tx := range txs {
		if !tx.Booked {
			r.Entries = append(r.Entries, NewCamtEntry(tx))
		}
	}
	return &CamtDocument{Kind: m[1], Version: version, MessageID: r.ID, Created: created, Reports: []CamtReport{r}}, nil
}

func camtReportFor(acct AccountRef, id string, created time.Time) CamtReport {
	return CamtReport{
		ID:          id,
		Created:     created,
		IBAN:        acct.IBAN,
		Currency:    acct.currency(),
		Owner:       acct.Owner,
		ServicerBIC: acct.BIC,
		Entries:     []CamtEntry{},
	}
}

func camtBalance(typ string, a kontor.Amount, d time.Time, currency string) CamtBalance {
	b := CamtBalance{Type: typ, Indicator: "CRDT", Amount: a.Abs(), Currency: currency, Date: d}
	if a.Sign() < 0 {
		b.Indicator = "DBIT"
	}
	return b
}
