package analysis_test

import (
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/analysis"
	"github.com/kontor-dev/kontor/analysis/evaluation"
)

// benchAccounts returns the evaluation set's person accounts, repeated
// until they hold at least n transactions.
func benchAccounts(tb testing.TB, t kontor.UserType, n int) []kontor.Account {
	tb.Helper()
	set, err := evaluation.Load("../testdata/analysis")
	if err != nil {
		tb.Fatal(err)
	}
	var out []kontor.Account
	count := 0
	for count < n {
		for _, u := range set.Users {
			if u.Type != t {
				continue
			}
			for _, a := range u.Accounts {
				a.Transactions = append([]kontor.Transaction(nil), a.Transactions...)
				out = append(out, a)
				count += len(a.Transactions)
			}
		}
	}
	return out
}

// BenchmarkCategorize measures categorising realistic transactions (the
// evaluation set, repeated to 10,000 transactions) on one goroutine. It
// reports transactions per second of CPU time (tx/s) and per second of
// wall time (tx/s-wall): on a busy machine the two differ.
func BenchmarkCategorize(b *testing.B) {
	for _, ut := range []kontor.UserType{kontor.UserPerson, kontor.UserCompany} {
		b.Run(string(ut), func(b *testing.B) {
			c, err := analysis.Default()
			if err != nil {
				b.Fatal(err)
			}
			m, err := c.Matcher(ut)
			if err != nil {
				b.Fatal(err)
			}
			accounts := benchAccounts(b, ut, 10000)
			n := 0
			for _, a := range accounts {
				n += len(a.Transactions)
			}
			m.CategorizeAccounts(accounts) // give every transaction room for its tags
			b.ReportAllocs()
			b.ResetTimer()
			cpu0, cpuOK := cpuTime()
			start := time.Now()
			loops := 0
			for b.Loop() {
				m.CategorizeAccounts(accounts)
				loops++
			}
			wall := time.Since(start)
			cpu1, _ := cpuTime()
			txs := float64(loops * n)
			b.ReportMetric(txs/wall.Seconds(), "tx/s-wall")
			if cpuOK && cpu1 > cpu0 {
				b.ReportMetric(txs/(cpu1-cpu0).Seconds(), "tx/s")
				b.ReportMetric(float64((cpu1-cpu0).Nanoseconds())/txs, "cpu-ns/tx")
			}
		})
	}
}
