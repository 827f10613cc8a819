// Package fints is Kontor's FinTS 3.0 PIN/TAN client. It fetches the
// accounts of a bank login with their balances, transactions, standing
// orders and securities holdings, with strong customer authentication,
// from German banks and from Kontor's sandbox bank.
//
// The package is layered:
//
//	wire     lexical syntax, message envelope, return codes (client and server)
//	segment  typed segments: build and decode, for client and server
//	fints    dialogs, TAN methods, SCA, jobs: the client
//
// # Operations
//
// A Client is configured for one login (Config) and keeps no state of its
// own. Sync runs an operation and returns a Step: StepDone with the
// Result, or what the user must do first (choose a TAN method, enter a
// TAN, approve in an app). Resume continues the operation with the user's
// Input, typically in a later HTTP request and possibly in another
// process. Everything needed to resume lives in the State the caller
// passes; it marshals to JSON. The PIN is never part of it and must be
// passed to every call.
//
// A sync runs these dialogs:
//
//  1. When the State has no system ID (or no BPD): a one-step dialog
//     (PIN:1, security function 999) with HKIDN, HKVVB and HKSYN, which
//     yields the system ID, the BPD and the allowed TAN methods (3920).
//  2. When the chosen method needs a TAN medium name and the user has
//     several media: an HKTAB dialog.
//  3. The working dialog, signed with the chosen two-step method: HKIDN,
//     HKVVB and HKTAN process 4 for HKIDN, then one job per message, each
//     with HKTAN process 4 when HIPINS marks the job as TAN-relevant, then
//     HKEND. The bank may ask for SCA at the initialisation or for any
//     job; the operation then pauses and Resume sends HKTAN process 2
//     (with the TAN) or, for decoupled methods, process S status queries.
//
// Job versions are the highest the BPD offer and the client implements.
// Transactions are fetched as camt.052 (HKCAZ) when the bank offers it for
// the account, because camt is structured and some banks have dropped
// MT940; otherwise as MT940 (HKKAZ), following touchdowns (3040) until
// the bank has sent everything. Financial documents (MT940/MT942,
// camt.052, MT535, pain.001) are returned raw for the parsers in package
// finformat.
//
// # Errors
//
// Errors wrap one of the sentinel errors (ErrWrongPIN, ErrLocked,
// ErrBankUnavailable, ErrProtocol, ErrDialogAborted, ErrTANInvalid,
// ErrTANExpired, ErrRejected, ErrUnsupported, ErrInvalidInput); errors the
// bank reported are *BankError values carrying the bank's codes and texts.
// Never retry a PIN the bank rejected: a few failures lock the access.
//
// # Secrets
//
// PINs and TANs are held as wire.Secret, which prints as a mask; messages
// are logged (at debug level) with the HNSHA signature masked. The State
// holds the dialog ID and task reference of a paused dialog and the user's
// account data: keep it server-side and encrypted at rest.
package fints
