package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// settleTimeout bounds the wait for a user's background analysis.
const settleTimeout = 5 * time.Minute

// importScenario times Set Logins of one login with -import-tx
// transactions against the driver's fastest bulk insert of the same rows,
// and reads the server's peak memory during the request. Every run starts
// the server afresh on the same database, so that each one's peak counts
// from the same state and not from what the analysis of the previous
// upload left in the heap.
func (b *bench) importScenario(ctx context.Context, backend string) (err error) {
	login := makeLogin("L1", b.cfg.importTx)
	body := loginsBody([]kontor.Login{login})
	db, err := b.newDatabase(ctx, "import", backend)
	if err != nil {
		return err
	}
	var (
		times         []time.Duration
		peak, before  int64
		resetFailures int
		k             *instance
	)
	for run := range b.cfg.importRuns {
		if k, err = b.restart(ctx, k, db, 1, len(body)); err != nil {
			return err
		}
		d, hwm, rss, resetErr, err := b.importRun(ctx, k, body, fmt.Sprintf("import-%s-run%d", backend, run+1), run == 0)
		if stopErr := k.stop(); err == nil {
			err = stopErr
		}
		if err != nil {
			return err
		}
		if resetErr != nil {
			resetFailures++
			b.logf("cannot reset the server's peak RSS (%v); the peak covers its whole life", resetErr)
		}
		times = append(times, d)
		peak, before = max(peak, hwm), max(before, rss)
		b.logf("import run %d: %v, peak RSS %s (RSS before %s)", run+1, d.Round(time.Millisecond), mib(hwm), mib(rss))
	}

	ins, err := newInserter(ctx, db, transactionRows(&login.Accounts[0]))
	if err != nil {
		return err
	}
	defer ins.close()
	var base, withFK []time.Duration
	for range b.cfg.importRuns {
		d, err := ins.insert(ctx, false)
		if err != nil {
			return err
		}
		base = append(base, d)
		if d, err = ins.insert(ctx, true); err != nil {
			return err
		}
		withFK = append(withFK, d)
	}
	kt, bt := median(times), median(base)
	how := map[string]string{"sqlite": "one prepared INSERT in one transaction", "postgres": "COPY through pgx"}[backend]
	b.add(resultRow{
		scenario: fmt.Sprintf("Import %s tx: time", count(b.cfg.importTx)), backend: backend,
		kontor: seconds(kt), baseline: seconds(bt) + " (" + how + ")",
		ratio: ratio(kt.Seconds() / bt.Seconds()), target: "≤ 2x", met: kt.Seconds() <= 2*bt.Seconds(),
	})
	b.add(resultRow{
		scenario: fmt.Sprintf("Import %s tx: server peak RSS", count(b.cfg.importTx)), backend: backend,
		kontor: mib(peak), baseline: mib(int64(len(body))) + " (request body)",
		ratio: ratio(float64(peak) / float64(len(body))), target: "≤ 4x", met: peak <= 4*int64(len(body)),
	})
	b.detailf("import/%s: Kontor runs %v (median %v), baseline runs %v (median %v), baseline into a table with Kontor's foreign key to accounts %v (median %v); body %d bytes; server RSS before the request at most %s, peak %s%s",
		backend, roundAll(times), kt.Round(time.Millisecond), roundAll(base), bt.Round(time.Millisecond), roundAll(withFK), median(withFK).Round(time.Millisecond),
		len(body), mib(before), mib(peak),
		map[bool]string{true: " (peak not reset: whole process life)", false: ""}[resetFailures > 0])
	return nil
}

// importRun warms a fresh server up, uploads body for a new user, and
// returns the request's time, the server's peak RSS during it and its RSS
// before. check reads the upload back.
func (b *bench) importRun(ctx context.Context, k *instance, body []byte, phase string, check bool) (d time.Duration, hwm, rss int64, resetErr, err error) {
	warm, _, err := k.api.createUser(ctx, k.token)
	if err != nil {
		return
	}
	if _, err = k.api.setLogins(ctx, k.token, warm, loginsBody([]kontor.Login{makeLogin("W", 100)})); err != nil {
		return
	}
	if err = k.api.settle(ctx, k.token, warm, settleTimeout); err != nil {
		return
	}
	user, _, err := k.api.createUser(ctx, k.token)
	if err != nil {
		return
	}
	resetErr = k.resetPeakRSS()
	if rss, err = k.procStatus("VmRSS"); err != nil {
		return
	}
	err = b.profile(ctx, k, phase, func() error {
		start := time.Now()
		_, err := k.api.setLogins(ctx, k.token, user, body)
		d = time.Since(start)
		return err
	})
	if err != nil {
		return
	}
	if hwm, err = k.procStatus("VmHWM"); err != nil {
		return
	}
	if err = k.api.settle(ctx, k.token, user, settleTimeout); err != nil {
		return
	}
	if check {
		if err = checkLogins(ctx, k, user, b.cfg.importTx); err != nil {
			return
		}
	}
	for _, u := range []string{warm, user} {
		if err = k.api.deleteUser(ctx, k.token, u); err != nil {
			return
		}
	}
	return
}

// checkLogins reads a user's logins once and checks the number of
// transactions.
func checkLogins(ctx context.Context, k *instance, user string, want int) error {
	r, err := k.api.getLogins(ctx, k.token, user)
	if err != nil {
		return err
	}
	var got struct{ Logins []kontor.Login }
	if err := json.Unmarshal(r.body, &got); err != nil {
		return fmt.Errorf("decoding Get Logins: %w", err)
	}
	n := 0
	for _, l := range got.Logins {
		for _, a := range l.Accounts {
			n += len(a.Transactions)
		}
	}
	if n != want {
		return fmt.Errorf("Get Logins returned %d transactions, want %d", n, want)
	}
	return nil
}

// readScenario measures the throughput of Get Logins of a user with
// -read-tx transactions from -read-clients clients, against a plain
// handler that encodes the same data from memory.
func (b *bench) readScenario(ctx context.Context, backend string) (err error) {
	body := loginsBody([]kontor.Login{makeLogin("L1", b.cfg.readTx)})
	k, err := b.startKontor(ctx, "read", backend, b.cfg.readClients, len(body))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, k.stop()) }()
	user, _, err := k.api.createUser(ctx, k.token)
	if err != nil {
		return err
	}
	if _, err := k.api.setLogins(ctx, k.token, user, body); err != nil {
		return err
	}
	if err := k.api.settle(ctx, k.token, user, settleTimeout); err != nil {
		return err
	}
	if err := checkLogins(ctx, k, user, b.cfg.readTx); err != nil {
		return err
	}
	first, err := k.api.getLogins(ctx, k.token, user)
	if err != nil {
		return err
	}

	get := func(a *api, token string) func(ctx context.Context, w int, rec *recorder) error {
		return func(ctx context.Context, w int, rec *recorder) error {
			return rec.time("get logins", func() (int64, error) {
				status, n, err := a.discard(ctx, "GET", loginsPath(user), token)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("Get Logins: status %d", status)
				}
				return n, err
			})
		}
	}
	var kres *loadResult
	err = b.profile(ctx, k, "read-"+backend, func() (err error) {
		kres, err = runLoad(ctx, b.cfg.readClients, b.cfg.warmup, b.cfg.readDuration, get(k.api, k.token))
		return err
	})
	if err != nil {
		return err
	}
	if err := k.stop(); err != nil {
		return err
	}

	// The baseline holds Kontor's answer, decoded, and encodes it per
	// request.
	var held struct {
		Logins []kontor.Login `json:"logins"`
	}
	if err := json.Unmarshal(first.body, &held); err != nil {
		return fmt.Errorf("decoding Get Logins: %w", err)
	}
	plain, err := startPlain(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		json.NewEncoder(w).Encode(held)
	}))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, plain.stop()) }()
	pa := newAPI(plain.base, b.cfg.readClients)
	defer pa.close()
	same, err := pa.getLogins(ctx, "x", user)
	if err != nil {
		return err
	}
	bres, err := runLoad(ctx, b.cfg.readClients, b.cfg.warmup, b.cfg.readDuration, get(pa, "x"))
	if err != nil {
		return err
	}
	kt, bt := kres.throughput(), bres.throughput()
	b.add(resultRow{
		scenario: fmt.Sprintf("Read %s tx, %d clients: throughput", count(b.cfg.readTx), b.cfg.readClients), backend: backend,
		kontor: rate(kt), baseline: rate(bt) + " (plain handler, data in memory)",
		ratio: ratio(kt / bt), target: "≥ 0.5x", met: kt >= 0.5*bt,
	})
	b.detailf("read/%s: response %d bytes (baseline's %s); Kontor %d requests, p50 %s, p99 %s, %.0f MB/s; baseline p50 %s, p99 %s, %.0f MB/s",
		backend, len(first.body), map[bool]string{true: "byte for byte the same", false: fmt.Sprintf("%d bytes, different", len(same.body))}[bytes.Equal(first.body, same.body)],
		kres.requests(), ms(kres.quantile(.5)), ms(kres.quantile(.99)), float64(kres.bytes)/kres.elapsed.Seconds()/1e6,
		ms(bres.quantile(.5)), ms(bres.quantile(.99)), float64(bres.bytes)/bres.elapsed.Seconds()/1e6)
	return nil
}

// mixOps are the API mix's requests in the order each client makes them.
var mixOps = []string{"token", "create user", "get user", "set logins", "get logins"}

// mixScenario runs the API mix from -mix-clients clients for
// -mix-duration, against a plain handler answering bodies of the same
// sizes.
func (b *bench) mixScenario(ctx context.Context, backend string) (err error) {
	setBody := loginsBody([]kontor.Login{makeLogin("L1", b.cfg.mixTx)})
	k, err := b.startKontor(ctx, "mix", backend, b.cfg.mixClients, len(setBody))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, k.stop()) }()
	authReq := authBody(k.demoName, k.demoSecret)

	// cycle makes one client's requests once; capture, when not nil,
	// receives the response bodies.
	cycle := func(a *api, capture map[string][]byte) func(ctx context.Context, w int, rec *recorder) error {
		return func(ctx context.Context, w int, rec *recorder) error {
			var token, user string
			steps := []func() (reply, error){
				func() (r reply, err error) { token, r, err = a.token(ctx, authReq); return r, err },
				func() (r reply, err error) { user, r, err = a.createUser(ctx, token); return r, err },
				func() (reply, error) { return a.getUser(ctx, token, user) },
				func() (reply, error) { return a.setLogins(ctx, token, user, setBody) },
				func() (reply, error) { return a.getLogins(ctx, token, user) },
			}
			for i, step := range steps {
				err := rec.time(mixOps[i], func() (int64, error) {
					r, err := step()
					if capture != nil {
						capture[mixOps[i]] = r.body
					}
					return int64(len(r.body)), err
				})
				if err != nil {
					return err
				}
			}
			return nil
		}
	}
	// One cycle, unmeasured, for the response bodies the baseline answers.
	canned := map[string][]byte{}
	if err := cycle(k.api, canned)(ctx, 0, &recorder{}); err != nil {
		return err
	}

	var kres *loadResult
	err = b.profile(ctx, k, "mix-"+backend, func() (err error) {
		kres, err = runLoad(ctx, b.cfg.mixClients, b.cfg.warmup, b.cfg.mixDuration, cycle(k.api, nil))
		return err
	})
	if err != nil {
		return err
	}
	analyses, err := analysisCounts(k.db)
	if err != nil {
		return err
	}
	// The baseline runs on a quiet machine: without the server, and the
	// analyses it still had queued.
	if err := k.stop(); err != nil {
		return err
	}

	mux := http.NewServeMux()
	mux.Handle("POST /api/v1/auth", cannedHandler(http.StatusOK, canned["token"]))
	mux.Handle("POST /api/v1/users", cannedHandler(http.StatusOK, canned["create user"]))
	mux.Handle("GET /api/v1/users/{id}", cannedHandler(http.StatusOK, canned["get user"]))
	mux.Handle("POST /api/v1/users/{id}/banking/logins", cannedHandler(http.StatusNoContent, nil))
	mux.Handle("GET /api/v1/users/{id}/banking/logins", cannedHandler(http.StatusOK, canned["get logins"]))
	plain, err := startPlain(mux)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, plain.stop()) }()
	pa := newAPI(plain.base, b.cfg.mixClients)
	defer pa.close()
	bres, err := runLoad(ctx, b.cfg.mixClients, b.cfg.warmup, b.cfg.mixDuration, cycle(pa, nil))
	if err != nil {
		return err
	}

	kt, bt := kres.throughput(), bres.throughput()
	name := fmt.Sprintf("API mix, %d clients, %v", b.cfg.mixClients, b.cfg.mixDuration)
	b.add(resultRow{
		scenario: name + ": throughput", backend: backend,
		kontor: rate(kt), baseline: rate(bt) + " (plain handler, same body sizes)",
		ratio: ratio(kt / bt), target: "≥ 0.3x", met: kt >= 0.3*bt,
	})
	p99 := kres.quantile(.99)
	latency := resultRow{
		scenario: name + ": latency p50 / p99", backend: backend,
		kontor: ms(kres.quantile(.5)) + " / " + ms(p99), baseline: ms(bres.quantile(.5)) + " / " + ms(bres.quantile(.99)),
		ratio: ratio(p99.Seconds() / bres.quantile(.99).Seconds()), target: "p99 < 50 ms", met: p99 < 50*time.Millisecond,
	}
	if kres.requests() == 0 {
		latency.kontor, latency.ratio, latency.met = "no request completed", "-", false
	}
	b.add(latency)
	var per []string
	for _, op := range mixOps {
		s := kres.ops[op]
		per = append(per, fmt.Sprintf("%s p50 %s p99 %s", op, ms(quantile(s, .5)), ms(quantile(s, .99))))
	}
	b.detailf("mix/%s: Kontor %d requests (%s); baseline %d requests; analyses when the load ended: %s",
		backend, kres.requests(), strings.Join(per, ", "), bres.requests(), analyses)
	if backend != "postgres" {
		return nil
	}
	fres, err := b.mixFloor(ctx, k.db, k.demoName, makeLogin("L1", b.cfg.mixTx))
	if err != nil {
		return err
	}
	ft := fres.throughput()
	b.detailf("mix/postgres database floor (the requests' least database work, one statement each, through pgx without HTTP, %d clients): "+
		"%s, %s of the plain handler; p50 / p99 %s / %s", b.cfg.mixClients, rate(ft), ratio(ft/bt), ms(fres.quantile(.5)), ms(fres.quantile(.99)))
	return nil
}

// analysisCounts returns how many of the users' analyses are in each
// state, as "done 812, pending 95".
func analysisCounts(d *database) (string, error) {
	db, err := d.openSQL()
	if err != nil {
		return "", err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT status, COUNT(*) FROM analyses GROUP BY status ORDER BY status`)
	if err != nil {
		return "", fmt.Errorf("counting analyses: %w", err)
	}
	defer rows.Close()
	var counts []string
	for rows.Next() {
		var (
			status string
			n      int
		)
		if err := rows.Scan(&status, &n); err != nil {
			return "", fmt.Errorf("counting analyses: %w", err)
		}
		counts = append(counts, fmt.Sprintf("%s %d", status, n))
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("counting analyses: %w", err)
	}
	if len(counts) == 0 {
		return "none", nil
	}
	return strings.Join(counts, ", "), nil
}

// scaleScenario measures the p50 latency of Get Logins of one user with
// each of -scale-users users in the database. Every size gets a database
// and a server of its own, all running at once, and the requests alternate
// between them, so that every size is measured under the same conditions
// and the machine's changing load does not pass for an effect of size.
func (b *bench) scaleScenario(ctx context.Context, backend string) (err error) {
	type sized struct {
		k    *instance
		user string
		lat  []time.Duration
	}
	var sizes []*sized
	defer func() {
		for _, z := range sizes {
			err = errors.Join(err, z.k.stop())
		}
	}()
	for i, n := range b.cfg.scaleUsers {
		k, err := b.startKontor(ctx, fmt.Sprintf("scale%d", i), backend, 1, 0)
		if err != nil {
			return err
		}
		z := &sized{k: k}
		sizes = append(sizes, z)
		if z.user, _, err = k.api.createUser(ctx, k.token); err != nil {
			return err
		}
		if _, err := k.api.setLogins(ctx, k.token, z.user, loginsBody([]kontor.Login{makeLogin("L1", b.cfg.scaleTx)})); err != nil {
			return err
		}
		if err := k.api.settle(ctx, k.token, z.user, settleTimeout); err != nil {
			return err
		}
		db, err := k.db.openSQL()
		if err != nil {
			return err
		}
		start := time.Now()
		err = seedUsers(ctx, db, backend, 1, n-1, b.cfg.scaleUserTx)
		db.Close()
		if err != nil {
			return err
		}
		b.logf("seeded %d users in %v", n-1, time.Since(start).Round(time.Millisecond))
	}

	get := func(z *sized) (time.Duration, error) {
		start := time.Now()
		status, _, err := z.k.api.discard(ctx, "GET", loginsPath(z.user), z.k.token)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("Get Logins: status %d", status)
		}
		return time.Since(start), err
	}
	for round := range 50 + b.cfg.scaleRequests {
		for _, z := range sizes {
			d, err := get(z)
			if err != nil {
				return err
			}
			if round >= 50 { // the first rounds warm the servers up
				z.lat = append(z.lat, d)
			}
		}
	}
	for i, z := range sizes {
		slices.Sort(z.lat)
		b.detailf("scale/%s: %s users (%s transactions each, the read user %s): Get Logins p50 %s, p90 %s, p99 %s",
			backend, count(b.cfg.scaleUsers[i]), count(b.cfg.scaleUserTx), count(b.cfg.scaleTx),
			ms(quantile(z.lat, .5)), ms(quantile(z.lat, .9)), ms(quantile(z.lat, .99)))
	}
	first := quantile(sizes[0].lat, .5)
	for i := 1; i < len(sizes); i++ {
		p50 := quantile(sizes[i].lat, .5)
		r := p50.Seconds() / first.Seconds()
		b.add(resultRow{
			scenario: fmt.Sprintf("Scale: Get Logins p50, %s vs %s users", count(b.cfg.scaleUsers[i]), count(b.cfg.scaleUsers[0])),
			backend:  backend, kontor: ms(p50), baseline: ms(first) + " (" + count(b.cfg.scaleUsers[0]) + " users)",
			ratio: ratio(r), target: "≤ 1.2x", met: r <= 1.2,
		})
	}
	return nil
}

// seedUsers adds n users of the demo client straight to the database, each
// with one login, one account and perUser transactions, numbered after
// the have users there are. This is set-up, not measured; it takes
// seconds where the API would take minutes.
func seedUsers(ctx context.Context, db *sql.DB, backend string, have, n, perUser int) error {
	if n <= 0 {
		return nil
	}
	var clientID string
	if err := db.QueryRowContext(ctx, `SELECT id FROM clients WHERE name = 'demo'`).Scan(&clientID); err != nil {
		return fmt.Errorf("finding the demo client: %w", err)
	}
	series := func(lo, hi int) string { // integers lo..hi as a row source s(x)
		if backend == "postgres" {
			return fmt.Sprintf("generate_series(%d, %d) AS s(x)", lo, hi)
		}
		return fmt.Sprintf("(WITH RECURSIVE r(x) AS (SELECT %d UNION ALL SELECT x + 1 FROM r WHERE x < %d) SELECT x FROM r) AS s", lo, hi)
	}
	now, amount := "CURRENT_TIMESTAMP", "'-12.34'"
	if backend == "postgres" {
		amount = "-12.34"
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	defer tx.Rollback()
	var maxUser, maxLogin, maxAccount int64
	for q, dst := range map[string]*int64{
		`SELECT COALESCE(MAX(pk), 0) FROM users`: &maxUser, `SELECT COALESCE(MAX(pk), 0) FROM logins`: &maxLogin,
		`SELECT COALESCE(MAX(pk), 0) FROM accounts`: &maxAccount,
	} {
		if err := tx.QueryRowContext(ctx, q).Scan(dst); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
	}
	statements := []string{
		fmt.Sprintf(`INSERT INTO users (id, client_id, type, created_at)
			SELECT 'seed' || x, '%s', 'person', %s FROM %s`, clientID, now, series(have+1, have+n)),
		fmt.Sprintf(`INSERT INTO logins (user_pk, id, source, bank_name, bank_bic, bank_code, logo_url, logo_type, created_at)
			SELECT pk, 'L1', 'upload', 'fino Bank', 'SUBSDE71', '70199901', '', '', %s FROM users WHERE pk > %d`, now, maxUser),
		fmt.Sprintf(`INSERT INTO accounts (login_pk, pos, id, iban, number, name, owner, type, balance, credit_line, monthly_spending_limit, currency)
			SELECT pk, 0, 'A1', 'DE64100200007791587578', '7791587578', 'Girokonto', 'Erika Mustermann', 'GIRO', %[1]s, %[1]s, %[1]s, 'EUR'
			FROM logins WHERE pk > %[2]d`, amount, maxLogin),
	}
	if perUser > 0 {
		// Each transaction is its JSON document, as Kontor writes it.
		doc := `'{"id":"T' || s.x || '","accountID":"A1","bookingDate":"2026-11-20T00:00:00Z","valueDate":"2026-11-20T00:00:00Z",` +
			`"currency":"EUR","mref":"MREF' || s.x || '","purpose":"REWE Markt GmbH Einkauf ' || s.x || '","booked":true,` +
			`"amount":-12.34,"counterPart":{"bic":"COBADEFFXXX","iban":"DE89370400440532013000","creditorId":"","name":"REWE Markt GmbH"},` +
			`"tags":[],"codes":[{"value":"105","type":"transactionCode"}]}'`
		if backend == "postgres" {
			doc = "convert_to(" + doc + ", 'UTF8')"
		} else {
			doc = "CAST(" + doc + " AS BLOB)"
		}
		statements = append(statements, fmt.Sprintf(`INSERT INTO transactions (account_pk, pos, doc)
			SELECT a.pk, s.x, %s FROM accounts a, %s WHERE a.pk > %d`, doc, series(0, perUser-1), maxAccount))
	}
	for _, q := range statements {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("seeding: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("seeding: %w", err)
	}
	if backend == "postgres" {
		// A settled database has statistics: autovacuum would have
		// analysed the new rows by the time they are read.
		if _, err := db.ExecContext(ctx, `ANALYZE`); err != nil {
			return fmt.Errorf("analyzing: %w", err)
		}
	}
	return nil
}

// median returns the median of durations.
func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// roundAll rounds durations to milliseconds, for the details.
func roundAll(d []time.Duration) []time.Duration {
	out := make([]time.Duration, len(d))
	for i, v := range d {
		out[i] = v.Round(time.Millisecond)
	}
	return out
}
