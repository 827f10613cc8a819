// Package fintsbank serves Kontor's sandbox bank, "fino Bank" with bank
// code 10020000, over FinTS 3.0 PIN/TAN, so that Kontor's own FinTS client
// and independent FinTS clients (AqBanking, lib-fints, python-fints, …)
// can be tested end to end against a bank whose data is known.
//
// New returns an http.Handler for one URL: every request is a POST whose
// body is a base64-encoded FinTS message (any Content-Type, line breaks
// and spaces in the base64 are ignored); the answer is a 200 with the
// bank's base64 message, whose return codes (HIRMG, HIRMS) say what went
// wrong, as FinTS prescribes. Only a body that is not base64 gets an HTTP
// error (400).
//
// # What the bank does
//
// The logins and their behaviour are those of package sandbox
// (sandbox.Scenarios): the PIN, the TAN methods offered (return code 3920),
// whether the dialog initialisation needs strong customer authentication
// with a TAN or with a decoupled approval in an app, and the failures
// (wrong PIN 9942, locked access 3938, bank unavailable 9010, as the
// scenario's FinTSCode says; three wrong PINs in a row lock a login for a
// while with 9931). The data is sandbox.Generate's for the login on the
// day the dialog started.
//
//   - Anonymous dialogs (customer ID 9999999999) get the bank parameter
//     data (BPD).
//   - The synchronisation dialog (HKSYN, security function 999) hands out
//     a customer system ID, the BPD and the allowed TAN methods. Leniently,
//     a one-step dialog also carries the UPD (the account list) and may
//     run HKSPA, as AqBanking's account setup expects; every other job
//     needs a two-step dialog.
//   - The working dialog is signed with a two-step method (PIN:2) and
//     opens with HKTAN process 4 for HKIDN. The bank answers 0030 and a
//     challenge whose text tells the TAN, generated for the dialog
//     ("Sandbox: Ihre TAN für <method> lautet NNNNNN."), or 3955 for a
//     decoupled method, which the sandbox approves by itself after a few
//     status queries (HKTAN process S with HKTAN 7, process 2 without TAN
//     with HKTAN 6; 3956 while pending). After the approval the user
//     parameter data (UPD) follow, and the jobs run without further
//     challenges (3076). A client that opens the dialog without HKTAN is
//     asked for SCA at the first TAN-relevant job instead.
//   - Account information without SCA, as PSD2 allows (RTS Art. 10): the
//     bank remembers, per login and customer system ID, when the last
//     strong customer authentication succeeded. For
//     sandbox.SCAExemptionPeriod (90 days) after it, a personal dialog
//     with that system ID gets 3076 "Starke Kundenauthentifizierung nicht
//     notwendig" and the dummy HITAN instead of a challenge, both for the
//     HKTAN of the initialisation and for that of the jobs HKSPA, HKSAL,
//     HKKAZ, HKCAZ, HKWPD, HKCDB and HKTAB: a client that keeps its
//     system ID refreshes without the user. A new system ID (a new
//     installation) needs SCA first, and the period is not extended by
//     such refreshes, only by a new SCA. PIN, lock and availability are
//     checked as always.
//   - Jobs: HKSPA (SEPA accounts), HKSAL (balance), HKKAZ (MT940 booked,
//     MT942 pending), HKCAZ (camt.052), HKWPD (MT535 holdings), HKCDB
//     (standing orders with pain.001) and HKTAB (TAN media). Long
//     transaction lists are paged with return code 3040 and a touchdown;
//     a page holds at most MaxPageEntries transactions (or the number the
//     client asks for), and pages end at a statement boundary.
//
// # State
//
// Dialogs, pending TAN processes, touchdowns and PIN failure counters live
// in the memory of the process that serves them and expire after
// DialogTTL of inactivity. The times of the last strong customer
// authentication per login and system ID live there too, for
// sandbox.SCAExemptionPeriod (at most 100,000 of them; beyond that the
// oldest is forgotten): after a restart, or on another replica, a refresh
// needs SCA again. A dialog therefore has to be continued on the
// same Kontor process that opened it: behind a load balancer, route the
// sandbox's FinTS URL to one replica (or use session affinity). Real
// banks bind dialogs to one server in the same way; the client is
// unaffected, since every FinTS operation runs its dialogs from start to
// end.
//
// # Secrets
//
// PINs and TANs are never logged and never appear in answers or errors;
// messages are logged at debug level with the HNSHA signature masked.
package fintsbank
