package fints

import (
	"bytes"
	"fmt"
	"time"
)

// State is everything the client remembers about one bank login between
// calls. It is plain data, marshals to JSON, and is updated in place by
// Sync and Resume (also when they fail): persist it after every call.
//
// State never holds the PIN or a TAN; pass the PIN again on every call.
// It does hold the bank's parameter data, the user's account list, the
// dialog ID and task reference of a paused dialog, and the data fetched so
// far, so keep it server-side and encrypted at rest, never in cookies or
// other client-side storage.
type State struct {
	// Session is long-lived: keep it for as long as the login exists.
	Session Session `json:"session"`
	// Op is the operation in progress; nil when none is.
	Op *Operation `json:"op,omitempty"`

	cache parsedParams
}

// parsedParams caches the parsed BPD and UPD of a State between the
// messages of one call; it is never serialised.
type parsedParams struct {
	bpdRaw, updRaw []byte
	bpd            *BPD
	upd            *UPD
}

// bpd returns the parsed Session.BPD.
func (s *State) bpd() (*BPD, error) {
	if s.cache.bpd != nil && bytes.Equal(s.cache.bpdRaw, s.Session.BPD) {
		return s.cache.bpd, nil
	}
	b, err := ParseBPD(s.Session.BPD)
	if err != nil {
		return nil, fmt.Errorf("%w: stored BPD: %w", ErrProtocol, err)
	}
	s.cache.bpd, s.cache.bpdRaw = b, s.Session.BPD
	return b, nil
}

// upd returns the parsed Session.UPD; empty UPD parse as no accounts.
func (s *State) upd() (*UPD, error) {
	if len(s.Session.UPD) == 0 {
		return &UPD{}, nil
	}
	if s.cache.upd != nil && bytes.Equal(s.cache.updRaw, s.Session.UPD) {
		return s.cache.upd, nil
	}
	u, err := ParseUPD(s.Session.UPD)
	if err != nil {
		return nil, fmt.Errorf("%w: stored UPD: %w", ErrProtocol, err)
	}
	s.cache.upd, s.cache.updRaw = u, s.Session.UPD
	return u, nil
}

// Session is the long-lived part of the state.
type Session struct {
	// SystemID is the customer system ID from HKSYN. Never lose it: a
	// new one looks like a new device to the bank.
	SystemID string `json:"systemId,omitempty"`
	// BPD and UPD are the raw bank and user parameter segments.
	BPD []byte `json:"bpd,omitempty"`
	UPD []byte `json:"upd,omitempty"`
	// AllowedMethods are the security functions of return code 3920, the
	// methods the bank allows for this user; nil when not known yet.
	AllowedMethods []string `json:"allowedMethods,omitempty"`
	// TANMethod and TANMedium are the user's choice.
	TANMethod string `json:"tanMethod,omitempty"`
	TANMedium string `json:"tanMedium,omitempty"`
}

// Paused reports whether an operation waits for Resume.
func (s *State) Paused() bool { return s.Op != nil && s.Op.Waiting != "" }

// phase is a stage of an operation.
type phase string

const (
	phaseSync   phase = "sync"   // obtain a system ID and the BPD
	phaseChoose phase = "choose" // choose TAN method and medium
	phaseInit   phase = "init"   // open the working dialog
	phaseJobs   phase = "jobs"   // run the planned jobs
	phaseEnd    phase = "end"    // end the dialog
)

// Operation is a sync in progress.
type Operation struct {
	Request Request   `json:"request"`
	Phase   phase     `json:"phase"`
	Started time.Time `json:"started"`
	// Waiting names what the operation waits for when paused: a
	// StepKind's name, or "" while it runs.
	Waiting string `json:"waiting,omitempty"`
	// Options are the TAN methods offered while waiting for a choice.
	Options []TANOption `json:"options,omitempty"`
	// Dialog is the open dialog, if any.
	Dialog *DialogState `json:"dialog,omitempty"`
	// SCA is the open TAN process, if any.
	SCA *PendingSCA `json:"sca,omitempty"`
	// Jobs is the plan, Next the index of the job in progress, Touchdown
	// the continuation point of its next page and Pages the pages so far.
	Jobs      []Job  `json:"jobs,omitempty"`
	Planned   bool   `json:"planned,omitempty"`
	Next      int    `json:"next"`
	Touchdown string `json:"touchdown,omitempty"`
	Pages     int    `json:"pages,omitempty"`
	// Retried counts restarts after the bank withdrew the TAN method.
	Retried int `json:"retried,omitempty"`
	// Result collects the data fetched so far.
	Result Result `json:"result"`
}

// DialogState is an open FinTS dialog.
type DialogState struct {
	ID string `json:"id"`
	// NextMessage is the number of the next message to send.
	NextMessage int `json:"nextMessage"`
	// Profile and Function are the PIN/TAN profile (1 or 2) and security
	// function used for every message of the dialog.
	Profile  int    `json:"profile"`
	Function string `json:"function"`
	// TANVersion is the HKTAN version of the dialog, 0 for one-step.
	TANVersion int    `json:"tanVersion,omitempty"`
	Medium     string `json:"medium,omitempty"`
	// Anonymous dialogs are sent unsigned.
	Anonymous bool `json:"anonymous,omitempty"`
	// Closed is set when the bank ended the dialog itself.
	Closed bool `json:"closed,omitempty"`
}

// PendingSCA is a TAN process waiting for the user.
type PendingSCA struct {
	// For is what the TAN authorises: "init" or the job's segment type.
	For       string    `json:"for"`
	TaskRef   string    `json:"taskRef"`
	Challenge Challenge `json:"challenge"`
	// Polls counts decoupled status queries sent; MaxPolls is the bank's
	// limit (0 = none); NextDelay the wait between queries.
	Polls     int           `json:"polls,omitempty"`
	MaxPolls  int           `json:"maxPolls,omitempty"`
	NextDelay time.Duration `json:"nextDelay,omitempty"`
	Created   time.Time     `json:"created"`
}

// Fetch selects what a sync fetches besides the account list.
type Fetch uint8

// Things to fetch.
const (
	FetchBalances Fetch = 1 << iota
	FetchTransactions
	FetchStandingOrders
	FetchHoldings

	FetchAll = FetchBalances | FetchTransactions | FetchStandingOrders | FetchHoldings
)

// StatementFormat chooses between camt.052 and MT940 for transactions.
type StatementFormat string

// Statement formats.
const (
	// FormatAuto uses camt.052 when the bank offers HKCAZ for the account
	// and MT940 otherwise: camt is structured, and some banks have
	// dropped MT940.
	FormatAuto  StatementFormat = ""
	FormatCamt  StatementFormat = "camt"
	FormatMT940 StatementFormat = "mt940"
)

// Request says what a sync fetches.
type Request struct {
	Fetch Fetch `json:"fetch"`
	// From and To bound the transactions; a zero From means 90 days
	// before today (older data often needs a TAN), a zero To means up to
	// today.
	From time.Time `json:"from,omitzero"`
	To   time.Time `json:"to,omitzero"`
	// Accounts restricts the jobs to accounts with these IBANs or account
	// numbers; empty means all.
	Accounts []string `json:"accounts,omitempty"`
	// Format selects the transaction format.
	Format StatementFormat `json:"format,omitempty"`
}

// JobKind is the kind of a planned job.
type JobKind string

// Job kinds.
const (
	JobAccounts       JobKind = "accounts"       // HKSPA
	JobBalance        JobKind = "balance"        // HKSAL
	JobMT940          JobKind = "mt940"          // HKKAZ
	JobCamt           JobKind = "camt"           // HKCAZ
	JobHoldings       JobKind = "holdings"       // HKWPD
	JobStandingOrders JobKind = "standingOrders" // HKCDB
)

// Job is one planned job: its kind and the index of its account in
// Result.Accounts (-1 for jobs about all accounts).
type Job struct {
	Kind    JobKind `json:"kind"`
	Account int     `json:"account"`
}
