package kontor

// LoginSource tells how a login's data came to Kontor.
type LoginSource string

// Login sources.
const (
	// SourceUpload marks a login set by the API client (Set Logins).
	SourceUpload LoginSource = "upload"
	// SourceConnect marks a login connected by the user through the
	// Banking UI or refreshed from the bank.
	SourceConnect LoginSource = "connect"
)

// Login is one bank login of a user (a finAPI "bank connection"): the bank
// and the accounts reached through it. Its JSON shape is that of the finoOS
// v1 Get Logins response.
type Login struct {
	ID       string    `json:"id"`
	Bank     Bank      `json:"bank"`
	Accounts []Account `json:"accounts"`

	// AnalysisStatus is the state of the analysis of the user's data
	// (categories, recurring payments, reports): pending or running after
	// every change, then done or failed. Kontor sets it; uploads cannot.
	AnalysisStatus AnalysisStatus `json:"analysisStatus,omitempty"`

	// Source is how the login came to Kontor; it is not part of the
	// finoOS v1 login object.
	Source LoginSource `json:"-"`
}

// Bank identifies the bank of a login.
type Bank struct {
	Name     string `json:"name"`
	BIC      string `json:"bic"`
	BankCode string `json:"bankCode"`
	Logo     Logo   `json:"logo"`
}

// Logo is a bank's logo.
type Logo struct {
	URL  string `json:"url"`
	Type string `json:"type"`
}

// Account is a bank account: giro, savings, credit card, depot and so on.
type Account struct {
	IBAN                 string          `json:"iban"`
	ID                   string          `json:"id"`
	Number               string          `json:"number"`
	Name                 string          `json:"name"`
	Owner                string          `json:"owner"`
	Type                 string          `json:"type"`
	Balance              Amount          `json:"balance"`
	CreditLine           Amount          `json:"creditLine"`
	MonthlySpendingLimit Amount          `json:"monthlySpendingLimit"`
	Currency             string          `json:"currency"`
	Transactions         []Transaction   `json:"transactions"`
	StandingOrders       []StandingOrder `json:"standingOrders"`
	Securities           []Security      `json:"securities"`
}

// Account types Kontor's own connectors produce. The field is an open string:
// uploaded data may carry others.
const (
	AccountGiro       = "GIRO"
	AccountSavings    = "SPAR"
	AccountCreditCard = "KREDIT_KARTE"
	AccountDepot      = "DEPOT"
	AccountLoan       = "DARLEHEN"
)

// Transaction is a booked or pending account transaction. Amounts are
// negative for money going out in the data Kontor's connectors produce;
// uploaded data keeps the sign it was sent with.
type Transaction struct {
	ID          string      `json:"id"`
	AccountID   string      `json:"accountID"`
	BookingDate Timestamp   `json:"bookingDate"`
	ValueDate   Timestamp   `json:"valueDate"`
	Currency    string      `json:"currency"`
	MRef        string      `json:"mref"`
	Purpose     string      `json:"purpose"`
	Booked      bool        `json:"booked"`
	Amount      Amount      `json:"amount"`
	CounterPart CounterPart `json:"counterPart"`
	Tags        []Tag       `json:"tags"`
	Codes       []Code      `json:"codes"`

	// Encoded, when set, is the transaction's JSON as the store keeps it
	// (see AppendJSON), and the fields above are empty: the store's
	// EncodedLogins reads transactions this way for Get Logins.
	Encoded []byte `json:"-"`
}

// CounterPart is the other party of a transaction.
type CounterPart struct {
	BIC        string `json:"bic"`
	IBAN       string `json:"iban"`
	CreditorID string `json:"creditorId"`
	Name       string `json:"name"`
}

// Tag labels a transaction, for example with its category. Source tells who
// set it; Kontor's own analysis uses TagSourceKontor and never overwrites
// tags of any other source.
type Tag struct {
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
}

// TagSourceKontor is the source of tags set by Kontor's analysis.
const TagSourceKontor = "kontor"

// Code is a bank code attached to a transaction, such as a German
// Geschäftsvorfallcode ("transactionCode") or a SEPA purpose code.
type Code struct {
	Value string `json:"value"`
	Type  string `json:"type"`
}

// Code types Kontor's connectors produce.
const (
	CodeTransaction = "transactionCode" // GVC, e.g. "153" salary
	CodePurpose     = "purposeCode"     // SEPA purpose code, e.g. "SALA"
	CodePrimanota   = "primanota"
)

// StandingOrder is a standing order of an account.
type StandingOrder struct {
	ID                 string    `json:"id"`
	AccountID          string    `json:"accountID"`
	CreationDate       Timestamp `json:"creationDate"`
	FirstExecutionDate Timestamp `json:"firstExecutionDate"`
	LastExecutionDate  Timestamp `json:"lastExecutionDate"`
	ExecutionDay       int       `json:"executionDay"`
	Interval           string    `json:"interval"`
	Amount             Amount    `json:"amount"`
	Currency           string    `json:"currency"`
	Purpose            string    `json:"purpose"`
}

// Standing order intervals Kontor's connectors produce.
const (
	IntervalWeekly     = "WEEKLY"
	IntervalMonthly    = "MONTHLY"
	IntervalQuarterly  = "QUARTERLY"
	IntervalHalfYearly = "HALF_YEARLY"
	IntervalYearly     = "YEARLY"
)

// Security is a holding in a depot account.
type Security struct {
	ID                    string `json:"id"`
	AccountID             string `json:"accountID"`
	Amount                Amount `json:"amount"`
	PriceAmount           Amount `json:"priceAmount"`
	PurchasePriceAmount   Amount `json:"purchasePriceAmount"`
	Currency              string `json:"currency"`
	PriceCurrency         string `json:"priceCurrency"`
	PurchasePriceCurrency string `json:"purchasePriceCurrency"`
	ExchangeRate          Amount `json:"exchangeRate"`
	Quantity              Amount `json:"quantity"`
	ISIN                  string `json:"isin"`
	Name                  string `json:"name"`
	Market                string `json:"market"`
}
