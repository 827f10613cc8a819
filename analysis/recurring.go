package analysis

import (
	"cmp"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// TagRecurring is the tag MarkRecurring puts on transactions that belong to
// a recurring payment.
const TagRecurring = "recurring"

// Cycles of recurring payments. They are the interval names of standing
// orders (kontor.IntervalMonthly and so on).
const (
	CycleWeekly     = kontor.IntervalWeekly
	CycleMonthly    = kontor.IntervalMonthly
	CycleQuarterly  = kontor.IntervalQuarterly
	CycleHalfYearly = kontor.IntervalHalfYearly
	CycleYearly     = kontor.IntervalYearly
)

// Recurring is a recurring payment: a contract the user pays (rent,
// insurance, a subscription, a loan) or regular income (salary, pension,
// rent received).
type Recurring struct {
	// ID identifies the series; it stays the same as long as the
	// counterpart, category, direction and cycle do.
	ID string `json:"id"`
	// Category is the category of the payments.
	Category string `json:"category"`
	// Direction is "in" for income and "out" for payments.
	Direction string `json:"direction"`
	// CounterPart is the counterpart of the latest payment.
	CounterPart kontor.CounterPart `json:"counterPart"`
	// MRef is the mandate reference of the latest payment, if any.
	MRef string `json:"mref,omitempty"`
	// Cycle is CycleWeekly, CycleMonthly, CycleQuarterly,
	// CycleHalfYearly or CycleYearly.
	Cycle string `json:"cycle"`
	// Amount is the typical amount, signed like the payments: the
	// median (for an even count the larger of the two middle amounts).
	Amount kontor.Amount `json:"amount"`
	// MinAmount and MaxAmount are the smallest and largest payment by
	// absolute value, signed like the payments.
	MinAmount kontor.Amount `json:"minAmount"`
	MaxAmount kontor.Amount `json:"maxAmount"`
	// Currency is the currency of the latest payment.
	Currency string `json:"currency,omitempty"`
	// Count is the number of payments found.
	Count int `json:"count"`
	// FirstDate and LastDate are the booking dates of the first and
	// the latest payment.
	FirstDate kontor.Timestamp `json:"firstDate"`
	LastDate  kontor.Timestamp `json:"lastDate"`
	// NextDate is when the next payment is expected: one cycle after
	// the latest on the series' usual day of the month, moved to Monday
	// when it falls on a weekend.
	NextDate kontor.Timestamp `json:"nextDate"`
	// Active is false when the next payment is overdue by more than the
	// cycle's tolerance at the date of the newest transaction analysed.
	Active bool `json:"active"`
	// AccountID is the account of the latest payment.
	AccountID string `json:"accountId"`
	// TransactionIDs lists the payments, oldest first.
	TransactionIDs []string `json:"transactionIds"`
}

// cycle describes how a cycle is recognised.
type cycle struct {
	name   string
	days   int // length in days, for weekly
	months int // length in months, for the others
	tol    day // how far a payment may be off its expected day
	min    int // the fewest payments that make a series
	skip   int // how many missed payments in a row are tolerated
}

// cycles are tried shortest first, so that a monthly series is never
// taken for a quarterly one.
var cycles = []cycle{
	{name: CycleWeekly, days: 7, tol: 2, min: 4, skip: 1},
	{name: CycleMonthly, months: 1, tol: 7, min: 3, skip: 1},
	{name: CycleQuarterly, months: 3, tol: 12, min: 2},
	{name: CycleHalfYearly, months: 6, tol: 15, min: 2},
	{name: CycleYearly, months: 12, tol: 20, min: 2},
}

// after returns the day n cycles after d.
func (c *cycle) after(d day, n int) day {
	if c.days > 0 {
		return d + day(n*c.days)
	}
	return addMonths(d, n*c.months)
}

// Amount tolerances of fixed-amount contracts: consecutive amounts (sorted)
// of one contract differ by at most relTolerance of the smaller one or
// absTolerance cents, whichever is more. A price rise of a few percent
// stays in its contract; two subscriptions of different prices with one
// provider do not merge.
const (
	relTolerance = 0.10
	absTolerance = 100
	// variableTolerance is the relative tolerance of a two-payment series
	// in a variable category.
	variableTolerance = 0.25
)

// recItem is a transaction considered for recurring payments.
type recItem struct {
	tx    *kontor.Transaction
	acc   string
	day   day
	cents int64 // absolute amount in cents, for grouping
	cat   *Category
}

// DetectRecurring finds the recurring payments among the booked
// transactions of a user's accounts, categorised with the taxonomy (see
// CategoryOf). Payments are grouped by direction, category and counterpart
// (creditor ID and mandate reference, else IBAN, else name); within a
// group, payments of clearly different amounts are told apart unless the
// category is marked variable. A series is a chain of payments one cycle
// apart, give or take a few days (weekends, month lengths), with at most
// one missed payment in a weekly or monthly series. Categories marked
// oneOff are skipped. The result is sorted by category, then counterpart.
func DetectRecurring(tax *Taxonomy, accounts []kontor.Account) []Recurring {
	groups := map[string][]recItem{}
	var keys []string
	var newest day
	for i := range accounts {
		acc := &accounts[i]
		for j := range acc.Transactions {
			tx := &acc.Transactions[j]
			if !tx.Booked || tx.BookingDate.IsZero() || tx.Amount.Sign() == 0 {
				continue
			}
			d := dayOf(tx.BookingDate.Time)
			newest = max(newest, d)
			cat := CategoryOf(tax, tx)
			if cat.OneOff || cat.Name == Uncategorized {
				continue
			}
			cents, ok := tx.Amount.Abs().Cents()
			if !ok {
				continue
			}
			k := recurringKey(tx, cat)
			if _, seen := groups[k]; !seen {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], recItem{tx: tx, acc: acc.ID, day: d, cents: cents, cat: cat})
		}
	}
	var out []Recurring
	ids := map[string]int{}
	for _, k := range keys {
		items := groups[k]
		for _, cluster := range amountClusters(items) {
			slices.SortStableFunc(cluster, func(a, b recItem) int { return cmp.Compare(a.day, b.day) })
			for _, s := range findSeries(cluster) {
				r := summarize(k, s.cycle, s.items, newest)
				ids[r.ID]++
				if n := ids[r.ID]; n > 1 {
					r.ID += "-" + strconv.Itoa(n)
				}
				out = append(out, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Recurring) int {
		return cmp.Or(
			cmp.Compare(a.Category, b.Category),
			cmp.Compare(a.CounterPart.Name, b.CounterPart.Name),
			cmp.Compare(a.FirstDate.Unix(), b.FirstDate.Unix()),
		)
	})
	return out
}

// MarkRecurring adds the kontor tag TagRecurring to every transaction of
// the accounts that belongs to one of the series. Run it after
// categorising: categorising drops every kontor tag.
func MarkRecurring(accounts []kontor.Account, series []Recurring) {
	in := map[string]bool{}
	for _, r := range series {
		for _, id := range r.TransactionIDs {
			in[id] = true
		}
	}
	for i := range accounts {
		txs := accounts[i].Transactions
		for j := range txs {
			if txs[j].ID != "" && in[txs[j].ID] {
				addKontorTag(&txs[j], TagRecurring)
			}
		}
	}
}

// IsRecurring reports whether tx carries the kontor tag TagRecurring.
func IsRecurring(tx *kontor.Transaction) bool {
	for _, t := range tx.Tags {
		if t.Name == TagRecurring && t.Source == kontor.TagSourceKontor {
			return true
		}
	}
	return false
}

// recurringKey returns the group of a transaction: direction, category and
// counterpart.
func recurringKey(tx *kontor.Transaction, cat *Category) string {
	var b strings.Builder
	if tx.Amount.Sign() > 0 {
		b.WriteString("in|")
	} else {
		b.WriteString("out|")
	}
	b.WriteString(cat.Name)
	b.WriteByte('|')
	var n normalizer
	n.reset()
	ids := addPurpose(&n, tx.Purpose)
	cred, mref := tx.CounterPart.CreditorID, tx.MRef
	if cred == "" {
		cred = ids.cred
	}
	if mref == "" {
		mref = ids.mref
	}
	switch {
	case cred != "":
		b.WriteString("c:")
		b.Write(appendCreditorKey(nil, cred))
		b.WriteByte('/')
		b.Write(appendCompactUpper(nil, mref))
	case tx.CounterPart.IBAN != "":
		b.WriteString("i:")
		b.Write(appendCompactUpper(nil, tx.CounterPart.IBAN))
	default:
		b.WriteString("n:")
		b.WriteString(nameKey(tx.CounterPart.Name))
	}
	return b.String()
}

// legalForms are words of company names that vary between statements of
// the same counterpart.
var legalForms = map[string]bool{
	"gmbh": true, "mbh": true, "ag": true, "se": true, "kg": true, "kgaa": true, "co": true,
	"ohg": true, "gbr": true, "ug": true, "ev": true, "e": true, "v": true, "eg": true,
	"sa": true, "sarl": true, "sca": true, "ltd": true, "limited": true, "inc": true,
	"bv": true, "nv": true, "plc": true, "haftungsbeschraenkt": true,
}

// nameKey returns what identifies a counterpart by name: the first word of
// its name in normal form that is neither a number, a legal form nor
// shorter than three letters ("NETFLIX.COM" and "Netflix International
// B.V." are both "netflix"), or the whole name when no word qualifies.
func nameKey(name string) string {
	n := strings.TrimSpace(normalize(name))
	for _, w := range strings.Fields(n) {
		if len(w) >= 3 && !legalForms[w] && !isDigits(w) {
			return w
		}
	}
	return n
}

// amountClusters splits a group into payments of similar amounts: sorted
// by amount, a new cluster starts where two neighbours differ by more
// than the tolerance. Groups of a variable category stay whole.
func amountClusters(items []recItem) [][]recItem {
	if len(items) == 0 {
		return nil
	}
	if items[0].cat.Variable {
		return [][]recItem{items}
	}
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b recItem) int { return cmp.Compare(a.cents, b.cents) })
	var out [][]recItem
	start := 0
	for i := 1; i < len(sorted); i++ {
		prev, cur := sorted[i-1].cents, sorted[i].cents
		if cur-prev > max(int64(float64(prev)*relTolerance), absTolerance) {
			out = append(out, sorted[start:i])
			start = i
		}
	}
	return append(out, sorted[start:])
}

// series is a run of payments one cycle apart.
type series struct {
	cycle *cycle
	items []recItem
}

// findSeries finds the series among payments sorted by date, trying the
// cycles shortest first; a payment belongs to one series at most.
func findSeries(items []recItem) []series {
	if len(items) < 2 {
		return nil
	}
	used := make([]bool, len(items))
	var out []series
	for ci := range cycles {
		c := &cycles[ci]
		for start := range items {
			if used[start] {
				continue
			}
			chain := chainFrom(items, used, start, c)
			if len(chain) < c.min || !plausible(items, chain) {
				continue
			}
			s := series{cycle: c}
			for _, i := range chain {
				used[i] = true
				s.items = append(s.items, items[i])
			}
			out = append(out, s)
		}
	}
	return out
}

// chainFrom follows payments from items[start] one cycle at a time: the
// next link is the unused payment closest to the expected day, within the
// cycle's tolerance. Expected days count from the first payment, so that
// jitter does not add up.
func chainFrom(items []recItem, used []bool, start int, c *cycle) []int {
	chain := []int{start}
	anchor := items[start].day
	n, last := 0, start
	for {
		next := -1
		for skip := 1; skip <= 1+c.skip && next < 0; skip++ {
			want := c.after(anchor, n+skip)
			best := c.tol + 1
			for j := last + 1; j < len(items) && items[j].day <= want+c.tol; j++ {
				if used[j] {
					continue
				}
				off := items[j].day - want
				if off < 0 {
					off = -off
				}
				if off < best {
					best, next = off, j
				}
			}
			if next >= 0 {
				n += skip
			}
		}
		if next < 0 {
			return chain
		}
		chain = append(chain, next)
		last = next
	}
}

// plausible rejects a chain of only two payments that is weak evidence:
// payments a quarter or a year apart say little unless their amounts are
// alike (within the tolerance of their category; variable categories allow
// the larger to be up to a quarter more than the smaller) and no other
// payment of the group falls between them.
func plausible(items []recItem, chain []int) bool {
	if len(chain) > 2 {
		return true
	}
	if chain[1] != chain[0]+1 {
		return false
	}
	a, b := items[chain[0]].cents, items[chain[1]].cents
	lo, hi := min(a, b), max(a, b)
	rel := relTolerance
	if items[chain[0]].cat.Variable {
		rel = variableTolerance
	}
	return hi-lo <= max(int64(float64(lo)*rel), absTolerance)
}

// summarize describes a series; newest is the newest booking day seen.
func summarize(key string, c *cycle, items []recItem, newest day) Recurring {
	latest := items[len(items)-1]
	r := Recurring{
		Category:    latest.cat.Name,
		Direction:   "out",
		CounterPart: latest.tx.CounterPart,
		MRef:        latest.tx.MRef,
		Cycle:       c.name,
		Currency:    latest.tx.Currency,
		Count:       len(items),
		FirstDate:   items[0].day.timestamp(),
		LastDate:    latest.day.timestamp(),
		AccountID:   latest.acc,
	}
	if latest.tx.Amount.Sign() > 0 {
		r.Direction = "in"
	}
	byAmount := slices.Clone(items)
	slices.SortStableFunc(byAmount, func(a, b recItem) int { return a.tx.Amount.Abs().Cmp(b.tx.Amount.Abs()) })
	r.Amount = byAmount[len(byAmount)/2].tx.Amount
	r.MinAmount = byAmount[0].tx.Amount
	r.MaxAmount = byAmount[len(byAmount)-1].tx.Amount
	for _, it := range items {
		r.TransactionIDs = append(r.TransactionIDs, it.tx.ID)
	}

	next := nextDay(c, items)
	r.NextDate = next.timestamp()
	r.Active = newest <= next+c.tol
	h := fnv.New64a()
	h.Write([]byte(key))
	h.Write([]byte{0})
	h.Write([]byte(c.name))
	r.ID = strconv.FormatUint(h.Sum64(), 16)
	return r
}

// nextDay returns when the payment after the series' latest is expected:
// a week after it for weekly series, else one cycle after it on the
// series' usual day of the month (see usualDay), moved to the Monday after
// when it falls on a weekend.
func nextDay(c *cycle, items []recItem) day {
	last := items[len(items)-1].day
	if c.days > 0 {
		return (last + day(c.days)).businessDay()
	}
	dom := usualDay(items)
	m := monthOfDay(last)
	// A payment moved into the neighbouring month (a salary due on the
	// 1st paid on the 30th) still belongs to the month it was due in.
	switch lastDom := last.time().Day(); {
	case dom < 8 && lastDom > 20:
		m++
	case dom > 20 && lastDom < 8:
		m--
	}
	next := onDay(m+month(c.months), dom).businessDay()
	for next <= last {
		m += month(c.months)
		next = onDay(m+month(c.months), dom).businessDay()
	}
	return next
}

// usualDay returns the day of the month the payments of a series are due
// on: the day that explains the payments best. A payment explains its own
// day best; a payment on a Monday also explains the weekend before it
// (banks move due dates to the next business day), and less so a payment on
// a Friday the weekend after it (salaries are paid early rather than late).
// A day beyond the end of a short month stands for the month's last day.
// Of equally good days the one nearest the median day of the payments wins.
func usualDay(items []recItem) int {
	const own, movedLater, movedEarlier = 4, 3, 2
	var votes [32]int
	doms := make([]int, len(items))
	for i, it := range items {
		doms[i] = it.day.time().Day()
		m := monthOfDay(it.day)
		wd := it.day.weekday()
		for dom := 1; dom <= 31; dom++ {
			switch d := onDay(m, dom); {
			case d == it.day:
				votes[dom] += own
			case wd == time.Monday && d < it.day && d >= it.day-2:
				votes[dom] += movedLater
			case wd == time.Friday && d > it.day && d <= it.day+2:
				votes[dom] += movedEarlier
			}
		}
	}
	slices.Sort(doms)
	median := doms[(len(doms)-1)/2]
	best := median
	for dom := 1; dom <= 31; dom++ {
		if votes[dom] > votes[best] || votes[dom] == votes[best] && abs(dom-median) < abs(best-median) {
			best = dom
		}
	}
	return best
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
