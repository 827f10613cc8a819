package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/kontor-dev/kontor"
)

// Generated bank data: German, varied and deterministic, shaped like the
// finoOS sample (counterparts, mandate references, codes, some tags).
var (
	purposes = []string{
		"Miete Wohnung Oktober", "REWE Markt GmbH Einkauf", "Gehalt ACME GmbH", "Stadtwerke Abschlag Strom",
		"Amazon EU S.a.r.l. Bestellung", "Kartenzahlung Tankstelle", "Rundfunkbeitrag Quartal",
		"Versicherung Kfz Beitrag", "Bargeldauszahlung Automat", "Restaurant Zum Anker",
	}
	counterparts = []kontor.CounterPart{
		{BIC: "GENODEF1S04", IBAN: "DE83701999010000002000", CreditorID: "DE97ZZZ12345678901", Name: "Schettchens Schnittchen"},
		{BIC: "COBADEFFXXX", IBAN: "DE89370400440532013000", CreditorID: "", Name: "REWE Markt GmbH"},
		{BIC: "DEUTDEFFXXX", IBAN: "DE02500105170137075030", CreditorID: "DE12ZZZ00000012345", Name: "Stadtwerke München GmbH"},
		{BIC: "INGDDEFFXXX", IBAN: "DE12500105170648489890", CreditorID: "", Name: "ACME GmbH"},
	}
	tagNames = []string{"groceries", "rent", "salary", "utilities", "shopping", "fuel", "insurance", "cash", "restaurants"}
	epoch    = time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)
)

// makeLogin returns one login with one giro account holding n transactions.
func makeLogin(id string, n int) kontor.Login {
	a := kontor.Account{
		IBAN: "DE64100200007791587578", ID: "A1", Number: "7791587578", Name: "Girokonto", Owner: "Erika Mustermann",
		Type: kontor.AccountGiro, Balance: kontor.AmountFromCents(200441), CreditLine: kontor.AmountFromCents(150000),
		MonthlySpendingLimit: kontor.AmountFromCents(600000), Currency: "EUR",
		Transactions:   make([]kontor.Transaction, n),
		StandingOrders: []kontor.StandingOrder{},
		Securities:     []kontor.Security{},
	}
	for i := range a.Transactions {
		day := kontor.TimestampOf(epoch.Add(-time.Duration(i/20) * 24 * time.Hour))
		cents := int64(i%99_991 + 1)
		if i%7 != 3 {
			cents = -cents
		}
		t := kontor.Transaction{
			ID: "T" + strconv.Itoa(i), AccountID: a.ID, BookingDate: day, ValueDate: day, Currency: "EUR",
			MRef: "MREF" + strconv.Itoa(100000+i), Purpose: purposes[i%len(purposes)] + " " + strconv.Itoa(i),
			Booked: i%50 != 0, Amount: kontor.AmountFromCents(cents), CounterPart: counterparts[i%len(counterparts)],
			Tags:  []kontor.Tag{},
			Codes: []kontor.Code{{Value: strconv.Itoa(100 + i%90), Type: kontor.CodeTransaction}},
		}
		if i%3 == 0 {
			t.Tags = []kontor.Tag{{Name: tagNames[i%len(tagNames)], Source: "app"}}
		}
		a.Transactions[i] = t
	}
	return kontor.Login{
		ID:       id,
		Bank:     kontor.Bank{Name: "fino Bank", BIC: "SUBSDE71", BankCode: "70199901", Logo: kontor.Logo{URL: "", Type: ""}},
		Accounts: []kontor.Account{a},
	}
}

// loginsBody is the Set Logins request (and the Get Logins response) of
// logins.
func loginsBody(logins []kontor.Login) []byte {
	b, err := json.Marshal(struct {
		Logins []kontor.Login `json:"logins"`
	}{logins})
	if err != nil {
		panic(fmt.Sprintf("encoding logins: %v", err)) // generated data always encodes
	}
	return b
}

// transactionRow is one row of the transactions table: the account's
// position of the transaction and its JSON document.
type transactionRow struct {
	pos int32
	doc []byte
}

// transactionRows flattens the transactions of an account into rows, each
// transaction encoded as Kontor stores it (encoding/json writes the same).
func transactionRows(a *kontor.Account) []transactionRow {
	rows := make([]transactionRow, len(a.Transactions))
	for i := range a.Transactions {
		doc, err := json.Marshal(&a.Transactions[i])
		if err != nil {
			panic(fmt.Sprintf("encoding transaction: %v", err)) // generated data always encodes
		}
		rows[i] = transactionRow{pos: int32(i), doc: doc}
	}
	return rows
}
