package fints

import (
	"time"

	"github.com/kontor-dev/kontor"
)

// Result is the data a sync fetched. Financial documents are returned raw,
// for the MT940/MT942, camt.052, MT535 and pain.001 parsers.
type Result struct {
	Accounts []Account `json:"accounts"`
	// Errors lists jobs the bank refused that concern no single account.
	Errors []JobError `json:"errors,omitempty"`
}

// Account is one account of the login with what was fetched for it.
type Account struct {
	IBAN       string `json:"iban,omitempty"`
	BIC        string `json:"bic,omitempty"`
	Number     string `json:"number,omitempty"`
	SubAccount string `json:"subAccount,omitempty"`
	BankCode   string `json:"bankCode,omitempty"`
	CustomerID string `json:"customerId,omitempty"`
	// FinTSType is the FinTS account type number (1–99); Type is its
	// Kontor account type (kontor.AccountGiro, …).
	FinTSType int    `json:"fintsType,omitempty"`
	Type      string `json:"type,omitempty"`
	Currency  string `json:"currency,omitempty"`
	Owner     string `json:"owner,omitempty"`
	Product   string `json:"product,omitempty"`
	// SEPA is set when HISPA lists the account as SEPA-capable.
	SEPA bool `json:"sepa,omitempty"`
	// Jobs are the job types the UPD allow for the account; empty when
	// the UPD make no statement.
	Jobs []string `json:"jobs,omitempty"`

	Balance        *Balance        `json:"balance,omitempty"`
	Statements     *Statements     `json:"statements,omitempty"`
	Holdings       []byte          `json:"holdings,omitempty"` // MT535
	StandingOrders []StandingOrder `json:"standingOrders,omitempty"`
	// Errors lists jobs the bank refused for this account.
	Errors []JobError `json:"errors,omitempty"`
}

// Balance is an account balance from HISAL. Amounts are exact and signed
// (a debit balance is negative).
type Balance struct {
	Booked     kontor.Amount  `json:"booked"`
	Currency   string         `json:"currency"`
	Date       time.Time      `json:"date"`
	Pending    *kontor.Amount `json:"pending,omitempty"`
	CreditLine *kontor.Amount `json:"creditLine,omitempty"`
	Available  *kontor.Amount `json:"available,omitempty"`
}

// Statements holds the raw transaction documents of one account, in one
// format. Pages are already joined: MT940 pages may break anywhere, even
// inside a record, so parse the concatenation.
type Statements struct {
	// Format is FormatMT940 or FormatCamt.
	Format StatementFormat `json:"format"`
	// MT940 holds the booked transactions, MT942 the pending ones.
	MT940 []byte `json:"mt940,omitempty"`
	MT942 []byte `json:"mt942,omitempty"`
	// Camt holds camt.052 documents with booked entries, CamtPending
	// those with pending entries; CamtFormat is the descriptor.
	Camt        [][]byte `json:"camt,omitempty"`
	CamtPending [][]byte `json:"camtPending,omitempty"`
	CamtFormat  string   `json:"camtFormat,omitempty"`
}

// StandingOrder is one standing order from HICDB: the raw pain.001 with
// amount, creditor and purpose, and the schedule the bank sends beside it.
type StandingOrder struct {
	OrderID string `json:"orderId,omitempty"`
	// Format is the pain descriptor and Pain the document.
	Format string `json:"format,omitempty"`
	Pain   []byte `json:"pain"`
	// FirstExecution, Unit ("M" monthly, "W" weekly), Interval (units
	// between executions), Day (1–30 or 1–7; 97–99 month-end variants)
	// and LastExecution come from the details group.
	FirstExecution time.Time `json:"firstExecution,omitzero"`
	Unit           string    `json:"unit,omitempty"`
	Interval       int       `json:"interval,omitempty"`
	Day            int       `json:"day,omitempty"`
	LastExecution  time.Time `json:"lastExecution,omitzero"`
}

// kontorAccountType maps a FinTS account type number to Kontor's type.
func kontorAccountType(n int) string {
	switch {
	case n >= 1 && n <= 9:
		return kontor.AccountGiro
	case n >= 10 && n <= 29:
		return kontor.AccountSavings
	case n >= 30 && n <= 39, n >= 60 && n <= 69:
		return kontor.AccountDepot
	case n >= 40 && n <= 49, n >= 70 && n <= 79:
		return kontor.AccountLoan
	case n >= 50 && n <= 59:
		return kontor.AccountCreditCard
	}
	return ""
}

// isDepot reports whether a FinTS account type is a securities account.
func isDepot(n int) bool { return (n >= 30 && n <= 39) || (n >= 60 && n <= 69) }
