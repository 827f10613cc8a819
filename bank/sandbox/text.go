package sandbox

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/kontor-dev/kontor"
)

// Business transaction codes (Geschäftsvorfallcodes) the sandbox uses, per
// the DK code list for SEPA payments.
const (
	gvcCash           = "083" // cash withdrawal
	gvcDirectDebit    = "105" // SEPA core direct debit
	gvcCard           = "106" // card payment
	gvcTransfer       = "116" // SEPA credit transfer, debit side
	gvcStandingOrder  = "117" // standing order, debit side
	gvcStandingCredit = "152" // standing order, credit side
	gvcSalary         = "153" // salary, wages, pension
	gvcCredit         = "166" // SEPA credit transfer, credit side
	gvcClosing        = "805" // account closing: interest
	gvcFee            = "808" // fees
)

const savingsPlanPurpose = "Sparplan Tagesgeld"

// textBuilder builds purposes in a reused buffer.
type textBuilder struct {
	o   *output
	buf []byte
}

func (tb *textBuilder) rentPurpose() string {
	p := tb.o.p
	b := append([]byte("Miete "), p.street...)
	b = append(b, ' ')
	b = appendPadded(b, p.house, 1)
	b = append(b, " Whg. "...)
	b = appendPadded(b, p.flat, 1)
	return string(b)
}

// transaction builds the kontor.Transaction of an event on account a.
func (o *output) transaction(a acct, e *event) kontor.Transaction {
	p := o.p
	t := kontor.Transaction{
		ID:        o.transactionID(a, e),
		AccountID: o.ids[a],
		Currency:  "EUR",
		Booked:    e.booking <= o.asOf,
		Amount:    kontor.AmountFromCents(e.cents),
		Tags:      []kontor.Tag{},
	}
	if t.Booked {
		t.BookingDate = kontor.Timestamp{Time: e.booking.date()}
		t.ValueDate = kontor.Timestamp{Time: e.value.date()}
	} else { // pending: the authorisation day
		t.BookingDate = kontor.Timestamp{Time: e.origin.date()}
		t.ValueDate = t.BookingDate
	}

	var gvc, purposeCode string
	b := o.text.buf[:0]
	own := func(x acct) kontor.CounterPart {
		return kontor.CounterPart{BIC: BIC, IBAN: o.ibans[x], Name: p.owner()}
	}
	self := kontor.CounterPart{BIC: BIC, Name: BankName}
	debit := func(creditor, mrefPrefix string) {
		gvc = gvcDirectDebit
		t.CounterPart = o.creditor(creditor)
		t.MRef = mrefPrefix + p.contract[creditor]
	}
	switch e.kind {
	case kSalary:
		gvc, purposeCode = gvcSalary, "SALA"
		t.CounterPart = kontor.CounterPart{BIC: p.employerBIC, IBAN: p.employerIBAN, Name: p.employer}
		b = append(b, "LOHN/GEHALT "...)
		b = appendMonth(b, e.origin)
	case kRent:
		gvc = gvcStandingOrder
		t.CounterPart = kontor.CounterPart{BIC: p.landlordBIC, IBAN: p.landlordIBAN, Name: p.landlord}
		b = append(b, o.text.rentPurpose()...)
	case kSavingsPlanOut:
		gvc, t.CounterPart = gvcStandingOrder, own(aSavings)
		b = append(b, savingsPlanPurpose...)
	case kSavingsPlanIn:
		gvc, t.CounterPart = gvcStandingCredit, own(aGiro)
		b = append(b, savingsPlanPurpose...)
	case kPocketMoney:
		gvc = gvcStandingOrder
		t.CounterPart = kontor.CounterPart{BIC: p.childBIC, IBAN: p.childIBAN, Name: p.child}
		b = append(b, "Taschengeld "...)
		b = append(b, firstWord(p.child)...)
	case kAccountFee:
		gvc, t.CounterPart = gvcFee, self
		b = append(b, "Entgelt Kontofuehrung "...)
		b = appendMonth(b, e.origin)
	case kInsurance:
		debit(credAllianz, "ALZ-")
		b = append(b, "Allianz Hausrat + Privathaftpflicht Vers.-Nr. AS-"...)
		b = append(b, p.contract[credAllianz]...)
		b = append(b, " Beitrag "...)
		b = appendMonth(b, e.origin)
	case kCarInsurance:
		debit(credHUK, "HUK")
		b = append(b, "Kfz-Versicherung "...)
		b = appendPadded(b, int(e.origin.info().year), 4)
		b = append(b, " Vers.-Nr. "...)
		b = append(b, p.contract[credHUK]...)
	case kTelco:
		debit(credTelekom, "TDG")
		b = append(b, "Festnetz/Internet Kundenkonto "...)
		b = append(b, p.contract[credTelekom]...)
		b = append(b, " Rechnung "...)
		b = appendMonth(b, e.origin)
	case kMobile:
		debit(p.mobileCreditor, "MOB-")
		b = append(b, "Mobilfunk Kundennummer "...)
		b = append(b, p.contract[p.mobileCreditor]...)
		b = append(b, " Rechnung "...)
		b = appendMonth(b, e.origin)
	case kEnergy:
		debit(p.city.energy, "EN")
		t.MRef = "EN" + p.contract["energy"]
		b = append(b, "Abschlag Strom "...)
		b = appendMonth(b, e.origin)
		b = append(b, " Vertragskonto "...)
		b = append(b, p.contract["energy"]...)
	case kEnergySettlement:
		t.CounterPart = o.creditor(p.city.energy)
		if e.cents > 0 {
			gvc = gvcCredit
			b = append(b, "Guthaben"...)
		} else {
			gvc = gvcDirectDebit
			t.MRef = "EN" + p.contract["energy"]
			b = append(b, "Nachzahlung"...)
		}
		b = append(b, " Jahresabrechnung Strom "...)
		b = appendPadded(b, int(e.origin.info().year)-1, 4)
		b = append(b, " Vertragskonto "...)
		b = append(b, p.contract["energy"]...)
	case kBroadcast:
		debit(credBroadcast, "BNR")
		i := e.origin.info()
		b = append(b, "Rundfunk "...)
		b = appendPadded(b, int(i.month)-1, 2)
		b = append(b, '.')
		b = appendPadded(b, int(i.year), 4)
		b = append(b, " - "...)
		b = appendPadded(b, int(i.month)+1, 2)
		b = append(b, '.')
		b = appendPadded(b, int(i.year), 4)
		b = append(b, " Beitragsnr. "...)
		b = append(b, p.contract[credBroadcast]...)
	case kGym:
		debit(credGym, "RSG-")
		b = append(b, "McFIT Mitgliedsbeitrag "...)
		b = appendMonth(b, e.origin)
		b = append(b, " Mitgl.-Nr. "...)
		b = append(b, p.contract[credGym]...)
	case kTicket:
		debit(credTicket, "DBDT-")
		b = append(b, "Deutschlandticket "...)
		b = appendMonth(b, e.origin)
		b = append(b, " Abo-Nr. "...)
		b = append(b, p.contract[credTicket]...)
	case kCardPayment:
		m := &giroMerchants[e.ref]
		gvc, t.CounterPart = gvcCard, o.merchant(m.name)
		b = append(b, m.text...)
		b = append(b, ' ')
		b = appendPadded(b, int(e.r%100000000), 8)
		b = append(b, "//"...)
		b = append(b, p.city.upper...)
		b = append(b, "/DE "...)
		b = appendTime(b, e)
		b = append(b, " Debitkarte "...)
		b = append(b, p.debitCard...)
	case kNetflix:
		gvc, t.CounterPart = gvcCard, kontor.CounterPart{Name: netflixName}
		b = append(b, "NETFLIX.COM AMSTERDAM/NL "...)
		b = appendTime(b, e)
		b = append(b, " Debitkarte "...)
		b = append(b, p.debitCard...)
	case kATM:
		gvc = gvcCash
		bank := banks[p.city.bank]
		t.CounterPart = kontor.CounterPart{BIC: bank.bic, Name: bank.name}
		b = append(b, "Bargeldauszahlung GA "...)
		b = appendPadded(b, int(e.r%100000000), 8)
		b = append(b, " BLZ "...)
		b = append(b, bank.code...)
		b = append(b, ' ')
		b = appendTime(b, e)
		b = append(b, " Debitkarte "...)
		b = append(b, p.debitCard...)
	case kRefund:
		gvc, t.CounterPart = gvcCredit, o.merchant(refunders[e.ref])
		b = append(b, "Erstattung Retoure Bestellnr. "...)
		b = appendPadded(b, int(e.r%100000000000), 11)
	case kSurplusOut:
		gvc, t.CounterPart = gvcTransfer, own(aSavings)
		b = append(b, "Umbuchung auf Tagesgeld"...)
	case kSurplusIn:
		gvc, t.CounterPart = gvcCredit, own(aGiro)
		b = append(b, "Umbuchung vom Girokonto"...)
	case kTopUpOut:
		gvc, t.CounterPart = gvcTransfer, own(aGiro)
		b = append(b, "Umbuchung auf Girokonto"...)
	case kTopUpIn:
		gvc, t.CounterPart = gvcCredit, own(aSavings)
		b = append(b, "Umbuchung vom Tagesgeld"...)
	case kCardSettleOut:
		gvc, t.CounterPart = gvcTransfer, self
		b = append(b, "Kreditkartenabrechnung "...)
		b = appendMonth(b, dayOfMonth(e.origin, 1)-1)
		b = append(b, " Karte "...)
		b = append(b, p.creditCard...)
	case kCardSettleIn:
		gvc, t.CounterPart = gvcCredit, own(aGiro)
		b = append(b, "Ausgleich Kreditkartenabrechnung "...)
		b = appendMonth(b, dayOfMonth(e.origin, 1)-1)
	case kCardPurchase:
		m := &cardMerchants[e.ref]
		gvc, t.CounterPart = gvcCard, kontor.CounterPart{Name: m.name}
		b = append(b, m.text...)
		b = append(b, ' ')
		b = appendDate(b, e.origin)
	case kSpotify:
		gvc, t.CounterPart = gvcCard, kontor.CounterPart{Name: spotifyName}
		b = append(b, "SPOTIFY P"...)
		b = append(b, p.contract["mref"]...)
		b = append(b, " STOCKHOLM/SE "...)
		b = appendDate(b, e.origin)
	case kInterest:
		gvc, t.CounterPart = gvcClosing, self
		b = append(b, "Abschluss Habenzinsen "...)
		b = appendDateDE(b, dayOfMonth(e.value, 1))
		b = append(b, " - "...)
		b = appendDateDE(b, e.value)
		b = append(b, " Zinssatz "...)
		b = appendPadded(b, int(e.ref/100), 1)
		b = append(b, ',')
		b = appendPadded(b, int(e.ref%100), 2)
		b = append(b, " p.a."...)
	case kShopTakings:
		gvc = gvcCredit
		t.CounterPart = o.merchant(paymentProvider)
		b = append(b, "Auszahlung Kartenumsaetze "...)
		b = appendDateDE(b, e.origin)
		b = append(b, " Haendler-Nr. "...)
		b = append(b, p.contract["mref"]...)
	}
	t.Purpose = string(b)
	o.text.buf = b
	t.Codes = []kontor.Code{{Value: gvc, Type: kontor.CodeTransaction}}
	if purposeCode != "" {
		t.Codes = append(t.Codes, kontor.Code{Value: purposeCode, Type: kontor.CodePurpose})
	}
	return t
}

// appendTime appends the event's authorisation day and a time of day made
// from its random bits: YYYY-MM-DDTHH:MM:SS.
func appendTime(b []byte, e *event) []byte {
	b = appendDate(b, e.origin)
	b = append(b, 'T')
	b = appendPadded(b, 7+int(e.r>>27%14), 2)
	b = append(b, ':')
	b = appendPadded(b, int(e.r>>32%60), 2)
	b = append(b, ':')
	return appendPadded(b, int(e.r>>38%60), 2)
}

// transactionID derives a transaction's ID from the login, the account,
// the day the transaction arose and its number within that day; it equals
// stableID("transaction", key, account, YYYY-MM-DD, seq).
func (o *output) transactionID(a acct, e *event) string {
	b := o.text.buf[:0]
	for _, part := range []string{"transaction", o.p.key, acctKeys[a]} {
		b = append(b, part...)
		b = append(b, 0x1f)
	}
	b = appendDate(b, e.origin)
	b = append(b, 0x1f)
	b = appendPadded(b, int(e.seq), 1)
	b = append(b, 0x1f)
	sum := sha256.Sum256(b)
	o.text.buf = b
	return hex.EncodeToString(sum[:12])
}

// creditor returns the counterparty of a direct debit creditor.
func (o *output) creditor(name string) kontor.CounterPart {
	if cp, ok := o.parties["creditor:"+name]; ok {
		return cp
	}
	iban, bic := counterpartyAccount("creditor", name)
	cp := kontor.CounterPart{BIC: bic, IBAN: iban, CreditorID: creditorOf(name), Name: name}
	o.parties["creditor:"+name] = cp
	return cp
}

// merchant returns the counterparty of a shop or company that is not a
// direct debit creditor.
func (o *output) merchant(name string) kontor.CounterPart {
	if cp, ok := o.parties["merchant:"+name]; ok {
		return cp
	}
	iban, bic := counterpartyAccount("merchant", name)
	cp := kontor.CounterPart{BIC: bic, IBAN: iban, Name: name}
	o.parties["merchant:"+name] = cp
	return cp
}
