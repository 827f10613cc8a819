// Package finformat reads and writes the bank statement formats German banks
// deliver over FinTS, and maps them onto Kontor's domain types:
//
//   - MT940 (booked) and MT942 (pending) account statements, including the
//     structured German ":86:" field with its Geschäftsvorfallcode (GVC) and
//     SEPA tags (EREF+, MREF+, CRED+, SVWZ+, ...): [ParseMT940],
//     [GenerateMT940], [MT940Bookings], [NewMT940Statements],
//     [NewMT942Statement];
//   - camt.052, camt.053 and camt.054 (ISO 20022 account reports, statements
//     and notifications) in the .02 and .08 layouts, read
//     namespace-agnostically: [ParseCamt], [GenerateCamt], [CamtBookings],
//     [NewCamtReports];
//   - MT535 statements of holdings: [ParseMT535], [GenerateMT535],
//     [MT535Securities], [NewMT535];
//   - pain.001 credit transfer initiations as HICDB carries them for SEPA
//     standing orders: [ParsePain001], [GeneratePain001],
//     [StandingOrderFromHICDB], [HICDBFromStandingOrder].
//
// Every parser takes bytes as the bank sent them, never panics, and reports
// malformed input with an error that names the line or element at fault
// (see [ParseError]). Amounts are exact decimals ([kontor.Amount]); dates are
// calendar days at midnight UTC unless a format carries a time of day.
//
// Every generator writes what its parser reads back unchanged, so the
// sandbox bank can serve Kontor's data in the same formats real banks use.
//
// Transactions get stable identifiers from their content with
// [TransactionID] and [AssignIDs]; [MatchPending] finds the pending
// transaction that a booked one settles.
package finformat
