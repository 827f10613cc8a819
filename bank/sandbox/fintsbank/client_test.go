package fintsbank

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints"
	"github.com/kontor-dev/kontor/bank/sandbox"
	"github.com/kontor-dev/kontor/finformat"
)

// These tests drive the sandbox bank with Kontor's own FinTS client and
// compare what it fetched with sandbox.Generate's data for the same login
// and day.

// wantAccount returns the generated account the client's account is.
func wantAccount(t *testing.T, want []sandbox.AccountData, got fints.Account) sandbox.AccountData {
	t.Helper()
	for _, w := range want {
		if w.Number == got.Number {
			return w
		}
	}
	t.Fatalf("account %s (%s) is not one of the login's", got.Number, got.IBAN)
	return sandbox.AccountData{}
}

// amounts lists transaction amounts as strings, in order.
func amounts[T any](txs []T, amount func(T) kontor.Amount) []string {
	out := make([]string, len(txs))
	for i, tx := range txs {
		out[i] = amount(tx).String()
	}
	return out
}

func txAmount(tx kontor.Transaction) kontor.Amount    { return tx.Amount }
func bookingAmount(b finformat.Booking) kontor.Amount { return b.Amount }
func split(txs []kontor.Transaction) (booked, pend []kontor.Transaction) {
	for _, tx := range txs {
		if tx.Booked {
			booked = append(booked, tx)
		} else {
			pend = append(pend, tx)
		}
	}
	return booked, pend
}

// checkStatements compares fetched statements with the generated
// transactions of an account.
func checkStatements(t *testing.T, w sandbox.AccountData, sm *fints.Statements) {
	t.Helper()
	wantBooked, wantPending := split(w.Transactions)
	if sm == nil {
		if len(w.Transactions) > 0 {
			t.Fatalf("%s: no statements, want %d transactions", w.Name, len(w.Transactions))
		}
		return
	}
	var booked, pend []finformat.Booking
	switch sm.Format {
	case fints.FormatMT940:
		stmts, err := finformat.ParseMT940(sm.MT940)
		if err != nil {
			t.Fatalf("%s: MT940: %v", w.Name, err)
		}
		for i := range stmts {
			if err := stmts[i].CheckBalance(); err != nil {
				t.Errorf("%s: statement %d: %v", w.Name, i, err)
			}
		}
		booked = finformat.MT940Bookings(stmts, true)
		if len(sm.MT942) > 0 {
			p, err := finformat.ParseMT940(sm.MT942)
			if err != nil {
				t.Fatalf("%s: MT942: %v", w.Name, err)
			}
			pend = finformat.MT940Bookings(p, false)
		}
	case fints.FormatCamt:
		for _, doc := range sm.Camt {
			d, err := finformat.ParseCamt(doc)
			if err != nil {
				t.Fatalf("%s: camt: %v", w.Name, err)
			}
			booked = append(booked, finformat.CamtBookings(d)...)
		}
		for _, doc := range sm.CamtPending {
			d, err := finformat.ParseCamt(doc)
			if err != nil {
				t.Fatalf("%s: camt pending: %v", w.Name, err)
			}
			pend = append(pend, finformat.CamtBookings(d)...)
		}
	default:
		t.Fatalf("%s: statement format %q", w.Name, sm.Format)
	}
	if got, want := amounts(booked, bookingAmount), amounts(wantBooked, txAmount); !slices.Equal(got, want) {
		t.Errorf("%s (%s): %d booked transactions, want %d; amounts equal: %v", w.Name, sm.Format, len(got), len(want), slices.Equal(got, want))
	}
	if got, want := amounts(pend, bookingAmount), amounts(wantPending, txAmount); !slices.Equal(got, want) {
		t.Errorf("%s (%s): pending amounts %v, want %v", w.Name, sm.Format, got, want)
	}
	for i := range min(len(booked), len(wantBooked)) {
		if g, w := booked[i].Purpose, wantBooked[i].Purpose; g != w {
			t.Errorf("%s: transaction %d purpose %q, want %q", w, i, g, w)
			break
		}
	}
}

// checkResult compares a whole sync with the generated data.
func checkResult(t *testing.T, login string, res *fints.Result) {
	t.Helper()
	want := sandbox.Generate(login, testNow)
	if len(res.Accounts) != len(want) {
		t.Fatalf("%d accounts, want %d", len(res.Accounts), len(want))
	}
	for _, got := range res.Accounts {
		w := wantAccount(t, want, got)
		if len(got.Errors) > 0 {
			t.Errorf("%s: job errors %v", w.Name, got.Errors)
		}
		if got.IBAN != w.IBAN || got.Owner != w.Owner || got.Type != w.Type || got.Currency != w.Currency {
			t.Errorf("account %+v, want IBAN %s owner %s type %s", got, w.IBAN, w.Owner, w.Type)
		}
		if w.Type == kontor.AccountDepot {
			checkHoldings(t, w, got.Holdings)
			continue
		}
		if got.Balance == nil || !got.Balance.Booked.Equal(w.Balance) {
			t.Errorf("%s: balance %+v, want %s", w.Name, got.Balance, w.Balance)
		}
		checkStatements(t, w, got.Statements)
		checkStandingOrders(t, w, got.StandingOrders)
	}
}

func checkHoldings(t *testing.T, w sandbox.AccountData, mt535 []byte) {
	t.Helper()
	stmts, err := finformat.ParseMT535(mt535)
	if err != nil {
		t.Fatalf("MT535: %v", err)
	}
	got := finformat.MT535Securities(stmts)
	if len(got) != len(w.Securities) {
		t.Fatalf("%d holdings, want %d", len(got), len(w.Securities))
	}
	for i, s := range got {
		ws := w.Securities[i]
		if s.ISIN != ws.ISIN || !s.Quantity.Equal(ws.Quantity) || !s.Amount.Equal(ws.Amount) || !s.PriceAmount.Equal(ws.PriceAmount) {
			t.Errorf("holding %d: %s %s × %s = %s, want %s %s × %s = %s", i, s.ISIN, s.Quantity, s.PriceAmount, s.Amount,
				ws.ISIN, ws.Quantity, ws.PriceAmount, ws.Amount)
		}
	}
}

func checkStandingOrders(t *testing.T, w sandbox.AccountData, got []fints.StandingOrder) {
	t.Helper()
	if len(got) != len(w.StandingOrders) {
		t.Fatalf("%s: %d standing orders, want %d", w.Name, len(got), len(w.StandingOrders))
	}
	for i, g := range got {
		ws := w.StandingOrders[i]
		so, _, err := finformat.StandingOrderFromHICDB(g.OrderID, finformat.StandingOrderSchedule{
			FirstExecution: g.FirstExecution, Unit: g.Unit, Turnus: g.Interval, ExecutionDay: g.Day, LastExecution: g.LastExecution,
		}, g.Pain)
		if err != nil {
			t.Fatalf("standing order %d: %v", i, err)
		}
		if so.ID != ws.ID || !so.Amount.Equal(ws.Amount) || so.Purpose != ws.Purpose || so.Interval != ws.Interval ||
			so.ExecutionDay != ws.ExecutionDay || !so.FirstExecutionDate.Time.Equal(ws.FirstExecutionDate.Time) {
			t.Errorf("standing order %d: %+v, want %+v", i, so, ws)
		}
	}
}

// allHistory asks for everything the sandbox holds.
func allHistory(login string, f fints.StatementFormat) fints.Request {
	from := testNow
	for _, a := range sandbox.Generate(login, testNow) {
		if !a.From.IsZero() && a.From.Before(from) {
			from = a.From
		}
	}
	return fints.Request{Fetch: fints.FetchAll, From: from, Format: f}
}

// TestScenarios runs every login of the sandbox catalogue through
// Kontor's FinTS client.
func TestScenarios(t *testing.T) {
	for _, sc := range sandbox.Scenarios() {
		t.Run(sc.Login, func(t *testing.T) {
			if sc.Behaviour == sandbox.BehaviourLargeHistory && testing.Short() {
				t.Skip("the large history takes a few seconds; skipped with -short")
			}
			b := newBank(t)
			st := &fints.State{}
			pin := sc.PIN
			if pin == "" {
				pin = "12345"
			}
			res, stats, err := run(t, b.client(t, sc.Login), st, pin, allHistory(sc.Login, fints.FormatMT940), "")
			switch sc.Behaviour {
			case sandbox.BehaviourWrongPIN:
				wantErr(t, err, fints.ErrWrongPIN)
			case sandbox.BehaviourLocked:
				wantErr(t, err, fints.ErrLocked)
			case sandbox.BehaviourUnavailable:
				wantErr(t, err, fints.ErrBankUnavailable)
			default:
				if err != nil {
					t.Fatal(err)
				}
				checkResult(t, sc.Login, res)
				switch sc.Behaviour {
				case sandbox.BehaviourDecoupled:
					if stats.tans != 0 || stats.polls < 1 {
						t.Errorf("decoupled: %+v, want polls and no TAN", stats)
					}
				case sandbox.BehaviourTANMethodChoice:
					if stats.choices != 1 || stats.tans != 1 {
						t.Errorf("TAN method choice: %+v, want one choice and one TAN", stats)
					}
				default:
					if stats.tans != 1 || stats.choices != 0 {
						t.Errorf("%+v, want exactly one TAN", stats)
					}
				}
			}
		})
	}
}

// TestCamt fetches the transactions as camt.052.
func TestCamt(t *testing.T) {
	b := newBank(t)
	res, _, err := run(t, b.client(t, "dummy"), &fints.State{}, sandbox.DummyPIN, allHistory("dummy", fints.FormatAuto), "")
	if err != nil {
		t.Fatal(err)
	}
	giro := res.Accounts[0]
	if giro.Statements == nil || giro.Statements.Format != fints.FormatCamt {
		t.Fatalf("giro statements %+v, want camt", giro.Statements)
	}
	checkResult(t, "dummy", res)
}

// TestDefaultRange fetches the client's default 90 days and checks that
// exactly the transactions booked in that range came.
func TestDefaultRange(t *testing.T) {
	b := newBank(t, func(c *Config) { c.Now = time.Now })
	now := time.Now()
	res, _, err := run(t, b.client(t, "dummy"), &fints.State{}, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchTransactions, Format: fints.FormatMT940}, "")
	if err != nil {
		t.Fatal(err)
	}
	from := dayOf(now.Add(-90 * 24 * time.Hour))
	want := sandbox.Generate("dummy", now)[0]
	stmts, err := finformat.ParseMT940(res.Accounts[0].Statements.MT940)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tx := range want.Transactions {
		if tx.Booked && !tx.BookingDate.Time.Before(from) {
			n++
		}
	}
	if got := len(finformat.MT940Bookings(stmts, true)); got != n || n == 0 {
		t.Errorf("%d booked transactions in the last 90 days, want %d", got, n)
	}
}

// TestLargePaging pages 50,000 transactions with touchdowns and checks
// that pages stay bounded.
func TestLargePaging(t *testing.T) {
	if testing.Short() {
		t.Skip("the large history takes a few seconds; skipped with -short")
	}
	const page = 2000
	b := newBank(t, func(c *Config) { c.MaxPageEntries = page })
	req := allHistory("large", fints.FormatMT940)
	req.Fetch = fints.FetchTransactions
	req.Accounts = []string{sandbox.Generate("large", testNow)[0].IBAN}
	res, _, err := run(t, b.client(t, "large"), &fints.State{}, sandbox.DummyPIN, req, "")
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.Generate("large", testNow)[0]
	got := res.Accounts[0]
	checkStatements(t, want, got.Statements)
	if minPages := sandbox.LargeHistoryTransactions / page; b.requests < minPages {
		t.Errorf("%d requests, want at least %d pages", b.requests, minPages)
	}
	// A page of 2,000 entries (whole days, so a little more) stays far
	// below the 12 MB of the whole history.
	if b.maxBytes > 2<<20 {
		t.Errorf("largest answer %d bytes", b.maxBytes)
	}
	if n := b.openDialogs(); n != 0 {
		t.Errorf("%d dialogs left open", n)
	}
}

// TestTANMethodChoice picks each of the two methods of "twotan".
func TestTANMethodChoice(t *testing.T) {
	for _, method := range []string{"912", "921"} {
		t.Run(method, func(t *testing.T) {
			b := newBank(t)
			c := b.client(t, "twotan")
			st := &fints.State{}
			step, err := c.Sync(t.Context(), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances})
			if err != nil {
				t.Fatal(err)
			}
			if step.Kind != fints.StepChooseTANMethod || len(step.Options) != 2 {
				t.Fatalf("step %+v, want a choice of two methods", step)
			}
			var ids []string
			for _, o := range step.Options {
				ids = append(ids, o.Method)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, []string{"912", "921"}) {
				t.Errorf("options %v", ids)
			}
			step, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{TANMethod: method})
			if err != nil {
				t.Fatal(err)
			}
			if step.Kind != fints.StepTAN {
				t.Fatalf("step %s, want tan", step.Kind)
			}
			name := map[string]string{"912": "chipTAN optisch", "921": "pushTAN"}[method]
			if want := "Sandbox: Ihre TAN für " + name + " lautet "; len(step.Challenge.Text) < len(want) || step.Challenge.Text[:len(want)] != want {
				t.Errorf("challenge %q", step.Challenge.Text)
			}
			step, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{TAN: tanOf(t, step.Challenge)})
			if err != nil {
				t.Fatal(err)
			}
			if step.Kind != fints.StepDone || step.Result.Accounts[0].Balance == nil {
				t.Fatalf("step %+v", step)
			}
			if st.Session.TANMethod != method {
				t.Errorf("session method %s", st.Session.TANMethod)
			}
		})
	}
}

// TestWrongTAN: a wrong TAN is refused and the right one still works.
func TestWrongTAN(t *testing.T) {
	b := newBank(t)
	c := b.client(t, "dummy")
	st := &fints.State{}
	step, err := c.Sync(t.Context(), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != fints.StepTAN {
		t.Fatalf("step %s", step.Kind)
	}
	good := tanOf(t, step.Challenge)
	bad := otherTAN(good)
	_, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{TAN: bad})
	wantErr(t, err, fints.ErrTANInvalid)
	step, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{TAN: good})
	if err != nil {
		t.Fatal(err)
	}
	if step.Kind != fints.StepDone {
		t.Fatalf("step %s", step.Kind)
	}
}

// otherTAN returns a TAN that differs from tan.
func otherTAN[S ~string](tan S) S {
	if tan == "000000" {
		return "111111"
	}
	return "000000"
}

// TestDecoupledPolls checks that approval comes after the scenario's
// number of status queries.
func TestDecoupledPolls(t *testing.T) {
	b := newBank(t)
	c := b.client(t, "decoupled")
	st := &fints.State{}
	step, err := c.Sync(t.Context(), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances})
	if err != nil {
		t.Fatal(err)
	}
	sc, _ := sandbox.ScenarioFor("decoupled")
	polls := 0
	for step.Kind == fints.StepDecoupled {
		if !step.Challenge.Decoupled || !step.Challenge.AutoPoll || step.Challenge.Text != sc.Challenge {
			t.Fatalf("challenge %+v", step.Challenge)
		}
		polls++
		if step, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{}); err != nil {
			t.Fatal(err)
		}
	}
	if polls != sc.ApprovePolls {
		t.Errorf("approved after %d polls, want %d", polls, sc.ApprovePolls)
	}
	if step.Kind != fints.StepDone || len(step.Result.Accounts) != 4 {
		t.Fatalf("step %+v", step)
	}
}

// TestDecoupledApproveAfter: the approval also comes once ApproveAfter has
// passed, whatever the number of polls.
func TestDecoupledApproveAfter(t *testing.T) {
	now := testNow
	b := newBank(t, func(c *Config) { c.Now = func() time.Time { return now } })
	c := b.client(t, "decoupled")
	st := &fints.State{}
	step, err := c.Sync(t.Context(), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances})
	if err != nil || step.Kind != fints.StepDecoupled {
		t.Fatalf("step %+v, %v", step, err)
	}
	sc, _ := sandbox.ScenarioFor("decoupled")
	now = now.Add(sc.ApproveAfter)
	if step, err = c.Resume(t.Context(), st, sandbox.DummyPIN, fints.Input{}); err != nil {
		t.Fatal(err)
	}
	if step.Kind != fints.StepDone {
		t.Fatalf("step %s after %s, want done", step.Kind, sc.ApproveAfter)
	}
}

// TestPINLockout: three wrong PINs lock the login (9931), also for the
// right PIN, until the lock expires.
func TestPINLockout(t *testing.T) {
	now := testNow
	b := newBank(t, func(c *Config) { c.Now = func() time.Time { return now } })
	c := b.client(t, "dummy")
	// Two wrong PINs do not lock: the right one resets the count.
	for range 2 {
		_, _, err := run(t, c, &fints.State{}, "99999", fints.Request{}, "")
		wantErr(t, err, fints.ErrWrongPIN)
	}
	if _, _, err := run(t, c, &fints.State{}, sandbox.DummyPIN, fints.Request{}, ""); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		_, _, err := run(t, c, &fints.State{}, "99999", fints.Request{}, "")
		wantErr(t, err, fints.ErrWrongPIN)
	}
	_, _, err := run(t, c, &fints.State{}, sandbox.DummyPIN, fints.Request{}, "")
	wantErr(t, err, fints.ErrLocked)
	if msg := fmt.Sprint(err); !strings.Contains(msg, "9931") {
		t.Errorf("error %q, want 9931", msg)
	}
	now = now.Add(DefaultDialogTTL + time.Minute)
	if _, _, err := run(t, c, &fints.State{}, sandbox.DummyPIN, fints.Request{}, ""); err != nil {
		t.Fatalf("after the lock expired: %v", err)
	}
}

// TestSecondSyncReusesSession: a second sync reuses the system ID without a new
// synchronisation dialog, and without a TAN (see TestSCAExemption).
func TestSecondSyncReusesSession(t *testing.T) {
	b := newBank(t)
	c := b.client(t, "dummy")
	st := &fints.State{}
	if _, _, err := run(t, c, st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, ""); err != nil {
		t.Fatal(err)
	}
	sys := st.Session.SystemID
	if sys == "" {
		t.Fatal("no system ID")
	}
	before := b.requests
	res, stats, err := run(t, c, st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, "")
	if err != nil {
		t.Fatal(err)
	}
	if st.Session.SystemID != sys {
		t.Errorf("system ID changed")
	}
	// init, HKSPA, 3 × HKSAL, HKEND: no synchronisation dialog, no TAN.
	if n := b.requests - before; n != 6 || stats != (syncStats{}) {
		t.Errorf("%d messages and %+v for the second sync, want 6 and no TAN", n, stats)
	}
	if res.Accounts[0].Balance == nil {
		t.Error("no balance")
	}
}

// TestSCAExemption: the bank remembers the last strong customer
// authentication per login and system ID, and for 90 days a sync of the
// same installation gets its account information without a TAN; a new
// installation (a fresh session, so a new system ID) still needs one.
func TestSCAExemption(t *testing.T) {
	now := testNow
	b := newBank(t, func(c *Config) { c.Now = func() time.Time { return now } })
	c := b.client(t, "dummy")
	req := fints.Request{Fetch: fints.FetchAll, Format: fints.FormatAuto}
	sync := func(t *testing.T, st *fints.State, wantTANs int) *fints.Result {
		t.Helper()
		res, stats, err := run(t, c, st, sandbox.DummyPIN, req, "")
		if err != nil {
			t.Fatal(err)
		}
		if stats.tans != wantTANs || stats.choices != 0 || stats.polls != 0 {
			t.Fatalf("sync went through %+v, want %d TANs", stats, wantTANs)
		}
		return res
	}

	first := &fints.State{}
	sync(t, first, 1)
	sys := first.Session.SystemID
	// The next day: the same session, no TAN, and all the data.
	now = now.Add(24 * time.Hour)
	res := sync(t, first, 0)
	if first.Session.SystemID != sys {
		t.Fatal("the second sync changed the system ID")
	}
	if len(res.Accounts) != 4 || len(res.Errors) != 0 {
		t.Fatalf("refresh result: %d accounts, errors %v", len(res.Accounts), res.Errors)
	}
	for _, a := range res.Accounts {
		if len(a.Errors) != 0 {
			t.Errorf("account %s: %v", a.Number, a.Errors)
		}
	}
	if res.Accounts[0].Balance == nil || res.Accounts[0].Statements == nil {
		t.Error("refresh without the giro account's balance or transactions")
	}
	// A fresh session is a new installation: TAN again, new system ID.
	fresh := &fints.State{}
	sync(t, fresh, 1)
	if fresh.Session.SystemID == sys {
		t.Fatal("a fresh session got the old system ID")
	}
	// The exemption does not excuse a wrong PIN.
	_, _, err := run(t, c, first, "99999", req, "")
	wantErr(t, err, fints.ErrWrongPIN)

	// 89 days after the SCA still none; 91 days after it the TAN again,
	// which starts a new period.
	now = testNow.Add(89 * 24 * time.Hour)
	sync(t, first, 0)
	now = testNow.Add(91 * 24 * time.Hour)
	sync(t, first, 1)
	sync(t, first, 0)
	if first.Session.SystemID != sys {
		t.Error("the system ID changed")
	}

	// Method choice and app approval are skipped the same way.
	for _, login := range []string{"twotan", "decoupled"} {
		lc := b.client(t, login)
		st := &fints.State{}
		if _, stats, err := run(t, lc, st, sandbox.DummyPIN, req, ""); err != nil || stats == (syncStats{}) {
			t.Fatalf("%s: first sync %+v, %v; want SCA", login, stats, err)
		}
		if _, stats, err := run(t, lc, st, sandbox.DummyPIN, req, ""); err != nil || stats != (syncStats{}) {
			t.Errorf("%s: refresh %+v, %v; want no interaction", login, stats, err)
		}
	}
}

// TestSCAExemptionFailures: locked and unavailable logins fail as before,
// even with a system ID the bank remembers an SCA for.
func TestSCAExemptionFailures(t *testing.T) {
	b := newBank(t)
	st := &fints.State{}
	if _, _, err := run(t, b.client(t, "dummy"), st, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, ""); err != nil {
		t.Fatal(err)
	}
	for login, want := range map[string]error{"locked": fints.ErrLocked, "down": fints.ErrBankUnavailable, "wrongpin": fints.ErrWrongPIN} {
		b.server.mu.Lock()
		b.server.scas[scaKey{login: login, systemID: st.Session.SystemID}] = testNow
		b.server.mu.Unlock()
		forged := &fints.State{Session: st.Session}
		_, _, err := run(t, b.client(t, login), forged, sandbox.DummyPIN, fints.Request{Fetch: fints.FetchBalances}, "")
		wantErr(t, err, want)
	}
}
