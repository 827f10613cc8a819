// Package analysis is Kontor's analysis engine: it categorises transactions
// into a two-level taxonomy, finds recurring payments (contracts and regular
// income) and computes the person and company reports. It works on the
// domain types of package kontor only and knows nothing of HTTP or SQL; its
// functions are safe for concurrent use unless they say otherwise.
//
// # Categorisation
//
// The taxonomy (taxonomy.yaml, explained in TAXONOMY.md) names categories
// "<group>.<category>", for example income.salary or housing.rent; persons
// and companies have a taxonomy each, and the user's type selects it
// (TaxonomyFor). Rules map the signals of a transaction to a category —
// bank transaction codes (GVC), SEPA purpose codes, creditor IDs, mandate
// references, counterpart IBANs and names, and keywords in the purpose —
// and the strongest signal wins (see rules/README.md). The built-in rules
// are rules/default.yaml, embedded in the binary (DefaultRules).
//
// ParseRules reads and validates a rules file, reporting every problem in
// one *RulesError; ParseClientRules also checks an API client's file against
// the built-in rules; Merge lays a client's rules over the defaults so that
// they win; Compile turns a rule set into a Categorizer. Default returns the
// Categorizer of the built-in rules and WithClientRules one with a client's
// rules laid over them.
//
// A Categorizer has a Matcher per user type. Matching normalises the
// counterpart name and the purpose once, scans both with one Aho-Corasick
// automaton over all keywords, looks codes and identifiers up in tables,
// and scores only the rules something pointed at; it does not allocate per
// transaction. The result is written as a tag with source
// kontor.TagSourceKontor (SetCategory): tags of any other source are kept,
// and running it again replaces only Kontor's own tags. CategoryOf reads
// the category back, preferring a category tag set by the API client.
//
// # Recurring payments
//
// DetectRecurring groups a user's categorised transactions by direction,
// category and counterpart and finds weekly, monthly, quarterly,
// half-yearly and yearly series, tolerating weekend and month-length
// jitter, a missed payment and small price changes. Each Recurring carries
// the counterpart, the cycle, the typical (median) amount and the next
// expected date. MarkRecurring tags the transactions of the series with
// TagRecurring.
//
// # Reports
//
// The reports are pure functions of categorised accounts with
// JSON-taggable results and exact amounts: PersonIncome (monthly income by
// finoOS income kind), PersonSpending (monthly spending by category) and
// PersonRisk (returned debits, garnishments, debt collection, gambling and
// overdraft days per month) for persons; CompanyCash (money in and out),
// CompanyLiquidity (income, expenses and minimum, maximum and end-of-month
// balance per account), CompanyForeignPayments (by counterpart country) and
// CompanyRisk for companies. Balances are reconstructed backwards from each
// account's current balance and its booked transactions. Analyze runs
// categorisation, recurring detection and the reports of the user type in
// one go.
//
// Amounts are exact decimals (kontor.Amount) throughout; nothing passes
// through float64.
package analysis
