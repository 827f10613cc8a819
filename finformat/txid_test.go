package finformat

import (
	"testing"

	"github.com/kontor-dev/kontor"
)

func TestTransactionID(t *testing.T) {
	base := Booking{Transaction: kontor.Transaction{
		BookingDate: tsd("2025-03-03"), Amount: amt("-64.00"), Currency: "EUR", Purpose: "Abschlag Strom",
		CounterPart: kontor.CounterPart{Name: "Stadtwerke", IBAN: "DE02120300000000202051"},
	}, BankRef: "X1"}
	id := TransactionID("DE29100200000001234567", &base, 0)
	if len(id) != 24 {
		t.Fatalf("id %q: want 24 hex characters", id)
	}
	same := base
	same.Amount = amt("-64")
	same.Purpose = "  abschlag   STROM "
	same.CounterPart.IBAN = "DE02 1203 0000 0000 2020 51"
	same.Booked = true
	same.ValueDate = tsd("2025-03-04")
	same.Codes = []kontor.Code{{Type: "transactionCode", Value: "105"}}
	if got := TransactionID("DE29100200000001234567", &same, 0); got != id {
		t.Errorf("same content, other form: %s != %s", got, id)
	}
	for name, change := range map[string]func(*Booking){
		"account":     func(b *Booking) {},
		"date":        func(b *Booking) { b.BookingDate = tsd("2025-03-04") },
		"amount":      func(b *Booking) { b.Amount = amt("-64.01") },
		"sign":        func(b *Booking) { b.Amount = amt("64.00") },
		"currency":    func(b *Booking) { b.Currency = "USD" },
		"counterpart": func(b *Booking) { b.CounterPart.IBAN = "DE02120300000000202052" },
		"name":        func(b *Booking) { b.CounterPart.Name = "Stadtwerke GmbH" },
		"purpose":     func(b *Booking) { b.Purpose = "Abschlag Gas" },
		"bank ref":    func(b *Booking) { b.BankRef = "X2" },
	} {
		b := base
		change(&b)
		account := "DE29100200000001234567"
		if name == "account" {
			account = "DE29100200000001234568"
		}
		if TransactionID(account, &b, 0) == id {
			t.Errorf("%s changed, id did not", name)
		}
	}
	if TransactionID("DE29100200000001234567", &base, 1) == id {
		t.Error("occurrence does not change the id")
	}

	// Twins get 0 and 1, and keep them on the next sync.
	bs := []Booking{base, base, {Transaction: kontor.Transaction{BookingDate: tsd("2025-03-03"), Amount: amt("1")}}}
	AssignIDs("acct", bs)
	if bs[0].ID == bs[1].ID || bs[0].ID != TransactionID("acct", &base, 0) || bs[1].ID != TransactionID("acct", &base, 1) {
		t.Errorf("twins: %s %s", bs[0].ID, bs[1].ID)
	}
	again := []Booking{base, base}
	AssignIDs("acct", again)
	if again[0].ID != bs[0].ID || again[1].ID != bs[1].ID {
		t.Error("ids changed between syncs")
	}
}

func TestMatchPending(t *testing.T) {
	pend := kontor.Transaction{
		AccountID: "a", BookingDate: tsd("2025-06-03"), ValueDate: tsd("2025-06-03"), Amount: amt("-42.10"), Currency: "EUR",
		Purpose: "2025-06-02T10.55 Debitk.1 2027-12", CounterPart: kontor.CounterPart{Name: "Tankstelle Beispiel"},
	}
	booked := pend
	booked.Booked = true
	booked.BookingDate, booked.ValueDate = tsd("2025-06-05"), tsd("2025-06-04")
	booked.Amount = amt("-42.1")
	booked.CounterPart.IBAN = "DE12500105170648489890"
	booked.Purpose = "2025-06-02T10.55  DEBITK.1 2027-12"

	other := pend
	other.Amount = amt("-42.11")
	far := pend
	far.ValueDate = tsd("2025-05-20")
	near := pend
	near.ValueDate = tsd("2025-06-04")
	alreadyBooked := near
	alreadyBooked.Booked = true

	if got := MatchPending(booked, []kontor.Transaction{other, far, pend, near, alreadyBooked}); got != 3 {
		t.Errorf("MatchPending = %d, want 3 (the nearest date)", got)
	}
	if got := MatchPending(booked, []kontor.Transaction{other, far}); got != -1 {
		t.Errorf("MatchPending = %d, want -1", got)
	}
	withIBAN := pend
	withIBAN.CounterPart.IBAN = "DE02120300000000202051"
	if got := MatchPending(booked, []kontor.Transaction{withIBAN}); got != -1 {
		t.Error("different IBANs matched")
	}
	otherAccount := pend
	otherAccount.AccountID = "b"
	if got := MatchPending(booked, []kontor.Transaction{otherAccount}); got != -1 {
		t.Error("other account matched")
	}
	otherPurpose := pend
	otherPurpose.Purpose = "Tanken"
	if got := MatchPending(booked, []kontor.Transaction{otherPurpose}); got != -1 {
		t.Error("other purpose matched")
	}
}

// TestPendingBookedAcrossFormats reads the same card payment pending from
// an MT942 and booked from an MT940 and matches them.
func TestPendingBookedAcrossFormats(t *testing.T) {
	pending, err := ParseMT940([]byte(":20:STARTDISPE\r\n:34F:EUR0,\r\n:13D:2506031200+0200\r\n:61:250603DR42,10NMSCNONREF\r\n:86:106?00KARTENZAHLUNG?20SVWZ+Tankstelle 4711?32TANKSTELLE BEISPIEL\r\n-\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	booked, err := ParseMT940([]byte(":20:STARTUMSE\r\n:60F:C250604EUR100,\r\n:61:2506040605DR42,10NMSCNONREF//9400123\r\n:86:106?00KARTENZAHLUNG?109400?20SVWZ+Tankstelle 4711?32Tankstelle Beispiel\r\n:62F:C250605EUR57,90\r\n-\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	p := MT940Bookings(pending, false)
	b := MT940Bookings(booked, true)
	AssignIDs("acct", p)
	AssignIDs("acct", b)
	if p[0].ID == b[0].ID {
		t.Error("pending and booked got the same content id")
	}
	if MatchPending(b[0].Transaction, []kontor.Transaction{p[0].Transaction}) != 0 {
		t.Errorf("no match:\n pending %+v\n booked  %+v", p[0].Transaction, b[0].Transaction)
	}
}
