package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"github.com/kontor-dev/kontor"
)

var (
	transactionColumns   = []string{"account_pk", "pos", "doc"}
	standingOrderColumns = []string{"account_pk", "pos", "id", "account_id", "creation_date", "first_execution_date",
		"last_execution_date", "execution_day", "exec_interval", "amount", "currency", "purpose"}
	securityColumns = []string{"account_pk", "pos", "id", "account_id", "amount", "price_amount", "purchase_price_amount",
		"currency", "price_currency", "purchase_price_currency", "exchange_rate", "quantity", "isin", "name", "market"}
)

// The queries of this file, with ? placeholders.
const (
	qDeleteUploaded = `DELETE FROM logins WHERE user_pk = ? AND source = ?`
	qDeleteLogin    = `DELETE FROM logins WHERE user_pk = ? AND id = ?`
	qInsertLogin    = `INSERT INTO logins (user_pk, id, source, bank_name, bank_bic, bank_code, logo_url, logo_type, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`
	qInsertAccount = `INSERT INTO accounts (login_pk, pos, id, iban, number, name, owner, type, balance, credit_line, monthly_spending_limit, currency)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk`
)

// insertSQL is an INSERT of n rows into table, made once per table and
// count: every upload asks for the same few.
func insertSQL(table string, columns []string, n int) string {
	return generated("insert", table, n, func() string {
		return "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " +
			repeated("("+repeated("?", len(columns))+")", n)
	})
}

// repeated is n copies of s separated by commas, such as "?, ?, ?".
func repeated(s string, n int) string {
	return strings.TrimSuffix(strings.Repeat(s+", ", n), ", ")
}

// generatedSQL holds the statements generated for tables, by kind, table
// and row count; a table's columns never change.
var generatedSQL sync.Map // generatedKey -> string

type generatedKey struct {
	kind, table string
	n           int
}

// generated returns the statement of that kind, table and row count,
// made by build the first time.
func generated(kind, table string, n int, build func() string) string {
	key := generatedKey{kind, table, n}
	if v, ok := generatedSQL.Load(key); ok {
		return v.(string)
	}
	v, _ := generatedSQL.LoadOrStore(key, build())
	return v.(string)
}

// readQueries holds the queries of Logins with ? placeholders.
//
// The first query reads the user, the status of its analysis and its
// logins in one round trip. The accounts query counts each account's
// items, from the same snapshot, so that their slices are made once at
// their size and the queries of empty kinds are left out.
//
// On SQLite the later queries find their rows by the user's key; the
// transactions query's IN form lets SQLite read the rows in primary key
// order, where a join makes it sort them all in a temporary B-tree.
// Timestamps are read as the text the driver stored (an expression has no
// declared type the driver would parse) and parsed by kontor.Timestamp,
// which knows that text's one layout, rather than by the driver, which
// tries several.
//
// On PostgreSQL they find them by the keys the query before returned, as
// arrays: a plan on an index for any statistics, where a join by the
// user's key is planned from statistics that lag behind a table growing
// from empty (seen as sequential scans of accounts on every read). Items
// come unordered with their positions and are put in their places in
// slices made at the counted size: PostgreSQL sorted a large account's
// transactions on disk otherwise, past work_mem. SQLite reads them in
// order by account key and position, without either: every column read
// costs it a mutex (one more column per row cost a fifth of the read's
// time), and the accounts' counts tell where each row belongs.
type readQueries struct {
	logins, accounts, standingOrders, securities, docs string
	// byKeys: accounts are read by their logins' keys and items by their
	// accounts' keys, each given as an array, and an item's row begins
	// with its account's key and its position; else by the user's key,
	// items in order without either.
	byKeys bool
}

func (db *DB) readQueries() *readQueries {
	if db.dialect.name() == "sqlite" {
		return &sqliteReadQueries
	}
	return &postgresReadQueries
}

var (
	sqliteReadQueries = makeReadQueries(storedText,
		`FROM accounts a JOIN logins l ON l.pk = a.login_pk WHERE l.user_pk = ?`,
		func(alias string) string {
			return alias + `.account_pk IN (SELECT a.pk FROM accounts a JOIN logins l ON l.pk = a.login_pk WHERE l.user_pk = ?)
				ORDER BY ` + alias + `.account_pk, ` + alias + `.pos`
		}, false)
	postgresReadQueries = makeReadQueries(func(col string) string { return col },
		`FROM accounts a WHERE a.login_pk = ANY(?)`,
		func(alias string) string { return alias + `.account_pk = ANY(?)` }, true)
)

// storedText reads a SQLite timestamp column as the text the driver
// stored, which kontor.Timestamp parses (an expression has no declared type
// the driver would parse).
func storedText(col string) string { return col + ` || ''` }

// makeReadQueries makes the queries of Logins with ts applied to the
// timestamp columns, accounts choosing the accounts and items choosing
// (and on SQLite ordering) the rows of a table of accounts' items by its
// alias.
func makeReadQueries(ts func(col string) string, accounts string, items func(alias string) string, byKeys bool) readQueries {
	pos := func(alias string) string {
		if byKeys {
			return alias + ".account_pk, " + alias + ".pos, "
		}
		return ""
	}
	return readQueries{byKeys: byKeys, logins: `
		SELECT u.pk, COALESCE(an.status, ''), l.pk, COALESCE(l.id, ''), COALESCE(l.source, ''), COALESCE(l.bank_name, ''),
			COALESCE(l.bank_bic, ''), COALESCE(l.bank_code, ''), COALESCE(l.logo_url, ''), COALESCE(l.logo_type, '')
		FROM users u LEFT JOIN analyses an ON an.user_pk = u.pk LEFT JOIN logins l ON l.user_pk = u.pk
		WHERE u.id = ? AND u.client_id = ? ORDER BY l.pk`, accounts: `
		SELECT a.pk, a.login_pk, a.id, a.iban, a.number, a.name, a.owner, a.type, a.balance, a.credit_line,
			a.monthly_spending_limit, a.currency,
			(SELECT COUNT(*) FROM transactions t WHERE t.account_pk = a.pk),
			(SELECT COUNT(*) FROM standing_orders s WHERE s.account_pk = a.pk),
			(SELECT COUNT(*) FROM securities s WHERE s.account_pk = a.pk)
		` + accounts + ` ORDER BY a.login_pk, a.pos`, standingOrders: `
		SELECT ` + pos("s") + `s.id, s.account_id, ` + ts("s.creation_date") + `, ` + ts("s.first_execution_date") + `, ` + ts("s.last_execution_date") + `,
			s.execution_day, s.exec_interval, s.amount, s.currency, s.purpose
		FROM standing_orders s WHERE ` + items("s"), securities: `
		SELECT ` + pos("s") + `s.id, s.account_id, s.amount, s.price_amount, s.purchase_price_amount, s.currency,
			s.price_currency, s.purchase_price_currency, s.exchange_rate, s.quantity, s.isin, s.name, s.market
		FROM securities s WHERE ` + items("s"), docs: `
		SELECT ` + pos("t") + `t.doc FROM transactions t WHERE ` + items("t")}
}

// txQueries runs queries in a transaction.
type txQueries struct {
	db  *DB
	ctx context.Context
	tx  *sql.Tx
}

// in returns the queries of tx.
func (db *DB) in(ctx context.Context, tx *sql.Tx) txQueries {
	return txQueries{db, ctx, tx}
}

func (q txQueries) query(query string, args ...any) (*sql.Rows, error) {
	return q.tx.QueryContext(q.ctx, q.db.q(query), args...)
}

func (q txQueries) queryRow(query string, args ...any) *sql.Row {
	return q.tx.QueryRowContext(q.ctx, q.db.q(query), args...)
}

func (q txQueries) exec(query string, args ...any) (sql.Result, error) {
	return q.tx.ExecContext(q.ctx, q.db.q(query), args...)
}

// each runs query and calls fn for every row.
func (q txQueries) each(query string, args []any, fn func(*sql.Rows) error) error {
	return q.db.each(q.ctx, q.tx, query, args, fn)
}

// insertRows inserts n rows into table, row(i) giving the values of row i
// in the order of columns, the dialect's fastest way.
func (q txQueries) insertRows(conn *sql.Conn, table string, columns []string, n int, row func(i int) []any) error {
	return q.db.dialect.bulkInsert(q.ctx, conn, q.tx, table, columns, n, row)
}

// ReplaceUploadedLogins replaces the user's uploaded logins in one
// transaction.
func (db *DB) ReplaceUploadedLogins(ctx context.Context, clientID, userID string, logins []kontor.Login) error {
	docs := encodeAhead(logins)
	return db.inTx(ctx, func(ctx context.Context, conn *sql.Conn, tx *sql.Tx) error {
		userPK, connected, err := db.lockUserLogins(ctx, tx, clientID, userID, kontor.SourceConnect)
		if err != nil {
			return err
		}
		for _, l := range logins {
			if connected[l.ID] {
				return kontor.Errorf(kontor.ECONFLICT, "Conflict. Login %q was connected through the Banking UI and cannot be replaced by Set Logins", l.ID)
			}
		}
		if _, err := db.in(ctx, tx).exec(qDeleteUploaded, userPK, string(kontor.SourceUpload)); err != nil {
			return fmt.Errorf("deleting uploaded logins: %w", err)
		}
		for i := range logins {
			logins[i].Source = kontor.SourceUpload
		}
		if err := db.insertLogins(ctx, conn, tx, userPK, logins, docs); err != nil {
			return err
		}
		return db.queueAnalysis(ctx, tx, userPK)
	})
}

// lockUserLogins locks the user as lockUser does and returns, from the
// same query, the IDs of its logins from one source.
func (db *DB) lockUserLogins(ctx context.Context, tx *sql.Tx, clientID, userID string, source kontor.LoginSource) (int64, map[string]bool, error) {
	rows, err := db.in(ctx, tx).query(`
		SELECT u.pk, l.id FROM users u LEFT JOIN logins l ON l.user_pk = u.pk AND l.source = ?
		WHERE u.id = ? AND u.client_id = ?`+db.dialect.forUpdateOf("u"), string(source), userID, clientID)
	if err != nil {
		return 0, nil, fmt.Errorf("reading user: %w", err)
	}
	defer rows.Close()
	var (
		userPK int64
		found  bool
		ids    = map[string]bool{}
	)
	for rows.Next() {
		var id sql.NullString
		if err := rows.Scan(&userPK, &id); err != nil {
			return 0, nil, fmt.Errorf("reading user: %w", err)
		}
		found = true
		if id.Valid {
			ids[id.String] = true
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("reading user: %w", err)
	}
	if !found {
		return 0, nil, errUserNotFound()
	}
	return userPK, ids, nil
}

// encodeAheadMax is the most transactions an upload has whose documents
// are encoded before its write transaction.
const encodeAheadMax = 1024

// encodeAhead returns the documents of the logins' transactions, in the
// order insertLogins stores them, when there are at most encodeAheadMax:
// encoded by the caller, they take no time of SQLite's single writer (a
// tenth of its time for Set Logins in the API mix). Larger uploads are
// encoded as they are loaded, so that their documents are not all held at
// once; for them it returns nil.
func encodeAhead(logins []kontor.Login) [][]byte {
	n := 0
	for _, l := range logins {
		for _, a := range l.Accounts {
			n += len(a.Transactions)
		}
	}
	if n == 0 || n > encodeAheadMax {
		return nil
	}
	var arena docArena
	docs := make([][]byte, 0, n)
	for _, l := range logins {
		for _, a := range l.Accounts {
			for i := range a.Transactions {
				docs = append(docs, arena.encode(&a.Transactions[i]))
			}
		}
	}
	return docs
}

// insertLogins inserts logins with all their data. Accounts are inserted
// one by one for their keys; transactions, standing orders and securities
// are bulk-loaded. docs are the transactions' documents encoded ahead
// (encodeAhead), or nil to encode them here.
func (db *DB) insertLogins(ctx context.Context, conn *sql.Conn, tx *sql.Tx, userPK int64, logins []kontor.Login, docs [][]byte) error {
	type owned struct {
		pk      int64
		account *kontor.Account
	}
	var (
		accounts                []owned
		nTx, nOrders, nSecurity int
		now                     = time.Now().UTC()
	)
	q := db.in(ctx, tx)
	for li := range logins {
		l := &logins[li]
		var loginPK int64
		err := q.queryRow(qInsertLogin,
			userPK, l.ID, string(l.Source), l.Bank.Name, l.Bank.BIC, l.Bank.BankCode, l.Bank.Logo.URL, l.Bank.Logo.Type, now,
		).Scan(&loginPK)
		switch {
		case db.dialect.isUniqueViolation(err):
			return kontor.Errorf(kontor.ECONFLICT, "Conflict. The user has a login %q already", l.ID)
		case err != nil:
			return fmt.Errorf("inserting login: %w", err)
		}
		for ai := range l.Accounts {
			a := &l.Accounts[ai]
			var accountPK int64
			err := q.queryRow(qInsertAccount,
				loginPK, ai, a.ID, a.IBAN, a.Number, a.Name, a.Owner, a.Type, a.Balance, a.CreditLine, a.MonthlySpendingLimit, a.Currency,
			).Scan(&accountPK)
			if err != nil {
				return fmt.Errorf("inserting account: %w", err)
			}
			accounts = append(accounts, owned{accountPK, a})
			nTx += len(a.Transactions)
			nOrders += len(a.StandingOrders)
			nSecurity += len(a.Securities)
		}
	}

	// Flatten (account, position) pairs so each table loads in one go.
	type ref struct {
		account int // index into accounts
		pos     int
	}
	flatten := func(n int, count func(*kontor.Account) int) []ref {
		refs := make([]ref, 0, n)
		for ai, a := range accounts {
			for p := range count(a.account) {
				refs = append(refs, ref{ai, p})
			}
		}
		return refs
	}

	refs := flatten(nTx, func(a *kontor.Account) int { return len(a.Transactions) })
	buf := make([]any, len(transactionColumns))
	var arena docArena
	err := q.insertRows(conn, "transactions", transactionColumns, len(refs), func(i int) []any {
		r := refs[i]
		o := accounts[r.account]
		if docs != nil {
			buf = append(buf[:0], o.pk, r.pos, docs[i])
		} else {
			buf = append(buf[:0], o.pk, r.pos, arena.encode(&o.account.Transactions[r.pos]))
		}
		return buf
	})
	if err != nil {
		return err
	}

	refs = flatten(nOrders, func(a *kontor.Account) int { return len(a.StandingOrders) })
	err = q.insertRows(conn, "standing_orders", standingOrderColumns, len(refs), func(i int) []any {
		r := refs[i]
		o := accounts[r.account]
		s := &o.account.StandingOrders[r.pos]
		return []any{o.pk, r.pos, s.ID, s.AccountID, timeValue(s.CreationDate), timeValue(s.FirstExecutionDate), timeValue(s.LastExecutionDate),
			s.ExecutionDay, s.Interval, db.amountValue(s.Amount), s.Currency, s.Purpose}
	})
	if err != nil {
		return err
	}

	refs = flatten(nSecurity, func(a *kontor.Account) int { return len(a.Securities) })
	return q.insertRows(conn, "securities", securityColumns, len(refs), func(i int) []any {
		r := refs[i]
		o := accounts[r.account]
		s := &o.account.Securities[r.pos]
		return []any{o.pk, r.pos, s.ID, s.AccountID, db.amountValue(s.Amount), db.amountValue(s.PriceAmount), db.amountValue(s.PurchasePriceAmount), s.Currency,
			s.PriceCurrency, s.PurchasePriceCurrency, db.amountValue(s.ExchangeRate), db.amountValue(s.Quantity), s.ISIN, s.Name, s.Market}
	})
}

// timeValue returns a timestamp as the drivers take it natively: NULL for
// the zero Timestamp, else the time in UTC. It stores what
// kontor.Timestamp's Value stores, without the detour through
// driver.Valuer that pgx's COPY pays for on every value.
func timeValue(t kontor.Timestamp) any {
	if t.IsZero() {
		return nil
	}
	return t.Time.UTC()
}

// amountValue returns an amount as the driver takes it natively: the exact
// decimal text on SQLite (what kontor.Amount's Value stores), and a
// pgtype.Numeric of the same coefficient and scale on PostgreSQL, which
// pgx's binary COPY encodes twice as fast as text.
func (db *DB) amountValue(a kontor.Amount) any {
	if _, ok := db.dialect.(postgresDialect); !ok {
		return a.String()
	}
	d := a.Decimal()
	coef := new(big.Int).SetUint64(d.Coef())
	if d.Sign() < 0 {
		coef.Neg(coef)
	}
	return pgtype.Numeric{Int: coef, Exp: -int32(d.Scale()), Valid: true}
}

// Logins returns the user's logins with all their data, read from one
// snapshot.
func (db *DB) Logins(ctx context.Context, clientID, userID string) ([]kontor.Login, error) {
	return db.logins(ctx, clientID, userID, false)
}

// EncodedLogins returns the user's logins with each transaction as its
// stored JSON document.
func (db *DB) EncodedLogins(ctx context.Context, clientID, userID string) ([]kontor.Login, error) {
	return db.logins(ctx, clientID, userID, true)
}

func (db *DB) logins(ctx context.Context, clientID, userID string, encoded bool) ([]kontor.Login, error) {
	queries := db.readQueries()
	logins := []kontor.Login{}
	err := db.readTx(ctx, func(conn *sql.Conn, tx *sql.Tx) error {
		q := db.in(ctx, tx)
		var (
			found     bool
			status    kontor.AnalysisStatus
			userPK    int64
			loginPKs  []int64
			loginIdx  = map[int64]int{}
			accountOf = map[int64]accountAt{}
		)
		err := q.each(queries.logins, []any{userID, clientID}, func(rows *sql.Rows) error {
			var (
				pk sql.NullInt64
				l  kontor.Login
			)
			if err := rows.Scan(&userPK, &status, &pk, &l.ID, &l.Source, &l.Bank.Name, &l.Bank.BIC, &l.Bank.BankCode,
				&l.Bank.Logo.URL, &l.Bank.Logo.Type); err != nil {
				return err
			}
			found = true
			if !pk.Valid {
				return nil // a user without logins
			}
			l.Accounts = []kontor.Account{}
			loginIdx[pk.Int64] = len(logins)
			loginPKs = append(loginPKs, pk.Int64)
			logins = append(logins, l)
			return nil
		})
		switch {
		case err != nil:
			return fmt.Errorf("reading logins: %w", err)
		case !found:
			return errUserNotFound()
		case len(logins) == 0:
			return nil
		}
		if status == "" {
			status = kontor.AnalysisNone
		}
		for i := range logins {
			logins[i].AnalysisStatus = status
		}

		// Accounts are addressed by (login index, account index) rather
		// than by pointer, since appending may move them.
		var (
			accountPKs []int64
			counts     []itemCounts
			totals     [3]int // items of each kind, as itemCounts.n
		)
		err = q.each(queries.accounts, []any{queries.scope(userPK, loginPKs)}, func(rows *sql.Rows) error {
			var (
				pk, loginPK    int64
				a              kontor.Account
				nTx, nSO, nSec int
			)
			if err := rows.Scan(&pk, &loginPK, &a.ID, &a.IBAN, &a.Number, &a.Name, &a.Owner, &a.Type, &a.Balance,
				&a.CreditLine, &a.MonthlySpendingLimit, &a.Currency, &nTx, &nSO, &nSec); err != nil {
				return err
			}
			// The counts, from the same snapshot, size the slices; each
			// item goes to its position.
			a.Transactions = make([]kontor.Transaction, nTx)
			a.StandingOrders = make([]kontor.StandingOrder, nSO)
			a.Securities = make([]kontor.Security, nSec)
			li := loginIdx[loginPK]
			n := [3]int{nTx, nSO, nSec}
			accountOf[pk] = accountAt{li, len(logins[li].Accounts), n}
			logins[li].Accounts = append(logins[li].Accounts, a)
			accountPKs = append(accountPKs, pk)
			counts = append(counts, itemCounts{pk, n})
			for k := range totals {
				totals[k] += n[k]
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading accounts: %w", err)
		}
		items := []any{queries.scope(userPK, accountPKs)}
		slices.SortFunc(counts, func(a, b itemCounts) int { return cmp.Compare(a.pk, b.pk) })
		var (
			lastPK int64 = -1
			last   accountAt
		)
		// each reads the rows of one kind of item (an index into
		// itemCounts.n), calling fn with the item's account and its
		// position there, checked against the account's count, after
		// scanning into item.
		each := func(kind int, query string, item []any, fn func(a *kontor.Account, pos int) error) error {
			r := itemRow{positions: queries.byKeys, kind: kind, counts: counts}
			return db.dialect.eachRow(ctx, conn, tx, db.q(query), items, append(r.prefix(), item...), func() error {
				pk, pos, err := r.next()
				if err != nil {
					return err
				}
				if pk != lastPK { // rows mostly come grouped by account
					lastPK, last = pk, accountOf[pk]
				}
				if pos < 0 || pos >= last.n[kind] {
					return fmt.Errorf("%s at position %d is outside the %d of its account", itemKinds[kind], pos, last.n[kind])
				}
				return fn(&logins[last.login].Accounts[last.account], pos)
			})
		}

		switch {
		case totals[0] == 0:
		case encoded:
			var (
				docs docArena
				doc  sql.RawBytes
			)
			err = each(0, queries.docs, []any{&doc}, func(a *kontor.Account, pos int) error {
				a.Transactions[pos].Encoded = docs.copy(doc)
				return nil
			})
		default:
			var doc sql.RawBytes
			err = each(0, queries.docs, []any{&doc}, func(a *kontor.Account, pos int) error {
				return decodeTransaction(doc, &a.Transactions[pos])
			})
		}
		if err != nil {
			return fmt.Errorf("reading transactions: %w", err)
		}

		if totals[1] > 0 {
			var s kontor.StandingOrder
			err = each(1, queries.standingOrders, []any{&s.ID, &s.AccountID, &s.CreationDate, &s.FirstExecutionDate, &s.LastExecutionDate,
				&s.ExecutionDay, &s.Interval, &s.Amount, &s.Currency, &s.Purpose}, func(a *kontor.Account, pos int) error {
				a.StandingOrders[pos], s = s, kontor.StandingOrder{}
				return nil
			})
			if err != nil {
				return fmt.Errorf("reading standing orders: %w", err)
			}
		}

		if totals[2] > 0 {
			var s kontor.Security
			err = each(2, queries.securities, []any{&s.ID, &s.AccountID, &s.Amount, &s.PriceAmount, &s.PurchasePriceAmount, &s.Currency,
				&s.PriceCurrency, &s.PurchasePriceCurrency, &s.ExchangeRate, &s.Quantity, &s.ISIN, &s.Name, &s.Market}, func(a *kontor.Account, pos int) error {
				a.Securities[pos], s = s, kontor.Security{}
				return nil
			})
			if err != nil {
				return fmt.Errorf("reading securities: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return logins, nil
}

// scope is the argument that chooses the rows of the next read query: the
// keys read by the query before, or the user's key.
func (queries *readQueries) scope(userPK int64, keys []int64) any {
	if queries.byKeys {
		return keys
	}
	return userPK
}

// each runs query and calls fn for every row.
func (db *DB) each(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	return eachRow(ctx, tx, db.q(query), args, fn)
}

// eachRow runs query, in the dialect's placeholders, and calls fn for every
// row.
func eachRow(ctx context.Context, tx *sql.Tx, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// DeleteLogin removes one login of the user with all its data.
func (db *DB) DeleteLogin(ctx context.Context, clientID, userID, loginID string) error {
	return db.inTx(ctx, func(ctx context.Context, _ *sql.Conn, tx *sql.Tx) error {
		userPK, err := db.lockUser(ctx, tx, clientID, userID)
		if err != nil {
			return err
		}
		res, err := db.in(ctx, tx).exec(qDeleteLogin, userPK, loginID)
		if err != nil {
			return fmt.Errorf("deleting login: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("deleting login: %w", err)
		} else if n == 0 {
			return kontor.Errorf(kontor.ENOTFOUND, "Not found. Login does not exist")
		}
		return db.queueAnalysis(ctx, tx, userPK)
	})
}

// decodeTransaction decodes a stored transaction's document into t.
func decodeTransaction(doc []byte, t *kontor.Transaction) error {
	if err := json.Unmarshal(doc, t); err != nil {
		return fmt.Errorf("decoding stored transaction: %w", err)
	}
	return nil
}

// docArena encodes transactions' JSON documents into shared chunks, so
// that a bulk load allocates a chunk per few hundred rows rather than a
// slice per row. A document stays valid after the arena moves on to a new
// chunk; chunks whose rows are written become garbage.
type docArena struct{ chunk []byte }

// docChunkMin and docChunk bound the size of an arena's chunks: the
// first is small, each next twice the last up to docChunk, so that the
// few documents of a small upload or read take little memory and the many
// of a large one few allocations.
const (
	docChunkMin = 16 << 10
	docChunk    = 64 << 10
)

// docHeadroom is the room encode wants left in a chunk before it encodes a
// document there; a larger document still fits, by growing the chunk.
const docHeadroom = 4 << 10

// grow starts a new chunk with room for at least n bytes.
func (a *docArena) grow(n int) {
	size := min(docChunk, max(docChunkMin, 2*cap(a.chunk)))
	a.chunk = make([]byte, 0, max(size, n))
}

// encode returns t's JSON document as a read of the stored transaction
// returns it: with empty lists of tags and codes where t has none.
func (a *docArena) encode(t *kontor.Transaction) []byte {
	if t.Tags == nil || t.Codes == nil {
		stored := *t
		if stored.Tags == nil {
			stored.Tags = []kontor.Tag{}
		}
		if stored.Codes == nil {
			stored.Codes = []kontor.Code{}
		}
		t = &stored
	}
	if cap(a.chunk)-len(a.chunk) < docHeadroom {
		a.grow(docHeadroom)
	}
	start := len(a.chunk)
	a.chunk = t.AppendJSON(a.chunk)
	return a.chunk[start:len(a.chunk):len(a.chunk)]
}

// copy returns a copy of doc kept in the arena.
func (a *docArena) copy(doc []byte) []byte {
	if cap(a.chunk)-len(a.chunk) < len(doc) {
		a.grow(len(doc))
	}
	start := len(a.chunk)
	a.chunk = append(a.chunk, doc...)
	return a.chunk[start:len(a.chunk):len(a.chunk)]
}

// itemCounts are an account's numbers of transactions, standing orders
// and securities.
type itemCounts struct {
	pk int64
	n  [3]int
}

// itemRow tells the account and position of each row of an item query:
// read from the row's first columns, or, without them, counted off the
// accounts' numbers of items of the kind, in the order of the rows.
type itemRow struct {
	positions bool
	pk        int64
	pos       int

	kind        int          // index into itemCounts.n
	counts      []itemCounts // the accounts by key
	at, counted int
}

// prefix returns the destinations of the row's first columns.
func (r *itemRow) prefix() []any {
	if r.positions {
		return []any{&r.pk, &r.pos}
	}
	return nil
}

// next returns the account and position of the row just scanned.
func (r *itemRow) next() (int64, int, error) {
	if r.positions {
		return r.pk, r.pos, nil
	}
	for r.at < len(r.counts) && r.counted == r.counts[r.at].n[r.kind] {
		r.at, r.counted = r.at+1, 0
	}
	if r.at == len(r.counts) {
		return 0, 0, errors.New("more items than the accounts count")
	}
	r.counted++
	return r.counts[r.at].pk, r.counted - 1, nil
}

// accountAt is where an account stands in the logins being read, and its
// numbers of items of each kind.
type accountAt struct {
	login, account int
	n              [3]int
}

// itemKinds name the kinds of items, in the order of itemCounts.n.
var itemKinds = [3]string{"transaction", "standing order", "security"}
