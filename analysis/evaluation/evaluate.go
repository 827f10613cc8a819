package evaluation

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/analysis"
)

// Targets are the figures the analysis must reach on the set.
type Targets struct {
	Accuracy        float64 // overall category accuracy
	SalaryPrecision float64
	SalaryRecall    float64
	RecurringF1     float64
}

// DefaultTargets are the targets Kontor's built-in rules are held to.
var DefaultTargets = Targets{Accuracy: 0.95, SalaryPrecision: 0.99, SalaryRecall: 0.97, RecurringF1: 0.90}

// Result holds the figures of one evaluation.
type Result struct {
	Transactions int
	Correct      int
	// Categories holds the figures of every expected category, sorted
	// by name.
	Categories []CategoryResult
	// ByType holds overall accuracy per user type.
	ByType map[kontor.UserType]Ratio

	// Salary counts transactions labelled or categorised as salary.
	SalaryTP, SalaryFP, SalaryFN int

	// Contracts counts labelled recurring contracts, series found and
	// series matching a contract (see Evaluate).
	Contracts, Series, Matched int

	// Mistakes lists the transactions categorised wrongly.
	Mistakes []Mistake
	// MissedContracts and ExtraSeries describe recurring contracts not
	// found and series found that match no contract.
	MissedContracts []string
	ExtraSeries     []string
}

// Ratio is a count of correct results out of a total.
type Ratio struct{ Correct, Total int }

// Value returns Correct/Total, or 1 for an empty ratio.
func (r Ratio) Value() float64 {
	if r.Total == 0 {
		return 1
	}
	return float64(r.Correct) / float64(r.Total)
}

// CategoryResult is the accuracy for one expected category.
type CategoryResult struct {
	Category string
	Ratio
}

// Mistake is a transaction categorised wrongly.
type Mistake struct {
	Where, Want, Got, Rule, Text string
}

// Accuracy returns the overall category accuracy.
func (r *Result) Accuracy() float64 { return Ratio{r.Correct, r.Transactions}.Value() }

// SalaryPrecision returns the share of transactions categorised as salary
// that are salary.
func (r *Result) SalaryPrecision() float64 { return Ratio{r.SalaryTP, r.SalaryTP + r.SalaryFP}.Value() }

// SalaryRecall returns the share of salary transactions categorised as
// salary.
func (r *Result) SalaryRecall() float64 { return Ratio{r.SalaryTP, r.SalaryTP + r.SalaryFN}.Value() }

// RecurringPrecision returns the share of series found that match a
// labelled contract.
func (r *Result) RecurringPrecision() float64 { return Ratio{r.Matched, r.Series}.Value() }

// RecurringRecall returns the share of labelled contracts found.
func (r *Result) RecurringRecall() float64 { return Ratio{r.Matched, r.Contracts}.Value() }

// RecurringF1 returns the harmonic mean of recurring precision and recall.
func (r *Result) RecurringF1() float64 {
	p, q := r.RecurringPrecision(), r.RecurringRecall()
	if p+q == 0 {
		return 0
	}
	return 2 * p * q / (p + q)
}

// Check returns a message for every target missed.
func (r *Result) Check(t Targets) []string {
	var out []string
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"overall category accuracy", r.Accuracy(), t.Accuracy},
		{"salary precision", r.SalaryPrecision(), t.SalaryPrecision},
		{"salary recall", r.SalaryRecall(), t.SalaryRecall},
		{"recurring-contract F1", r.RecurringF1(), t.RecurringF1},
	} {
		if c.got < c.want {
			out = append(out, fmt.Sprintf("%s %.4f is below the target %.2f", c.name, c.got, c.want))
		}
	}
	return out
}

// minOverlap is the least Jaccard overlap (shared transactions over the
// transactions of either) at which a series found counts as a labelled
// contract.
const minOverlap = 0.5

// Evaluate categorises a copy of every user's accounts with c, finds their
// recurring payments and compares both with the labels. A series found
// matches a labelled contract when they share at least half of their
// transactions together (Jaccard index ≥ 0.5); each contract and each
// series matches at most once, best overlaps first.
func Evaluate(c *analysis.Categorizer, s *Set) (*Result, error) {
	r := &Result{ByType: map[kontor.UserType]Ratio{}}
	byCat := map[string]*Ratio{}
	for _, u := range s.Users {
		m, err := c.Matcher(u.Type)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", u.ID, err)
		}
		accounts := cloneAccounts(u.Accounts)
		holder := analysis.NewHolder(accounts)
		rules := map[string]string{}
		for i := range accounts {
			for j := range accounts[i].Transactions {
				tx := &accounts[i].Transactions[j]
				match := m.Categorize(tx, holder)
				rules[tx.ID] = match.Rule
			}
		}
		tax := m.Taxonomy()
		typ := r.ByType[u.Type]
		for i := range accounts {
			for j := range accounts[i].Transactions {
				tx := &accounts[i].Transactions[j]
				want := u.Labels[tx.ID]
				got := analysis.CategoryOf(tax, tx).Name
				rc := byCat[want.Category]
				if rc == nil {
					rc = &Ratio{}
					byCat[want.Category] = rc
				}
				rc.Total++
				typ.Total++
				r.Transactions++
				if got == want.Category {
					rc.Correct++
					typ.Correct++
					r.Correct++
				} else {
					r.Mistakes = append(r.Mistakes, Mistake{Where: want.Where, Want: want.Category, Got: got,
						Rule: rules[tx.ID], Text: tx.CounterPart.Name + " | " + tx.Purpose})
				}
				isSalary := got == "income.salary"
				switch {
				case isSalary && want.Salary:
					r.SalaryTP++
				case isSalary:
					r.SalaryFP++
				case want.Salary:
					r.SalaryFN++
				}
			}
		}
		r.ByType[u.Type] = typ
		r.compareRecurring(u, analysis.DetectRecurring(tax, accounts))
	}
	for name, rc := range byCat {
		r.Categories = append(r.Categories, CategoryResult{Category: name, Ratio: *rc})
	}
	slices.SortFunc(r.Categories, func(a, b CategoryResult) int { return cmp.Compare(a.Category, b.Category) })
	return r, nil
}

// compareRecurring matches the series found for a user with its labelled
// contracts.
func (r *Result) compareRecurring(u *User, found []analysis.Recurring) {
	contracts := map[string]map[string]bool{}
	var names []string
	for id, l := range u.Labels {
		if l.Contract == "" {
			continue
		}
		if contracts[l.Contract] == nil {
			contracts[l.Contract] = map[string]bool{}
			names = append(names, l.Contract)
		}
		contracts[l.Contract][id] = true
	}
	slices.Sort(names)
	type pair struct {
		contract, series int
		overlap          float64
	}
	var pairs []pair
	for ci, name := range names {
		want := contracts[name]
		for si, s := range found {
			shared := 0
			for _, id := range s.TransactionIDs {
				if want[id] {
					shared++
				}
			}
			if shared == 0 {
				continue
			}
			j := float64(shared) / float64(len(want)+len(s.TransactionIDs)-shared)
			pairs = append(pairs, pair{ci, si, j})
		}
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return cmp.Compare(b.overlap, a.overlap) })
	usedC := make([]bool, len(names))
	usedS := make([]bool, len(found))
	for _, p := range pairs {
		if p.overlap < minOverlap || usedC[p.contract] || usedS[p.series] {
			continue
		}
		usedC[p.contract], usedS[p.series] = true, true
		r.Matched++
	}
	r.Contracts += len(names)
	r.Series += len(found)
	for ci, name := range names {
		if !usedC[ci] {
			r.MissedContracts = append(r.MissedContracts, fmt.Sprintf("%s/%s (%d payments)", u.ID, name, len(contracts[name])))
		}
	}
	for si, s := range found {
		if !usedS[si] {
			r.ExtraSeries = append(r.ExtraSeries, fmt.Sprintf("%s/%s %s %s %s ×%d", u.ID, s.Category, s.CounterPart.Name,
				s.Cycle, s.Amount, s.Count))
		}
	}
}

// cloneAccounts copies accounts deeply enough that categorising the copy
// leaves the original alone.
func cloneAccounts(in []kontor.Account) []kontor.Account {
	out := slices.Clone(in)
	for i := range out {
		out[i].Transactions = slices.Clone(in[i].Transactions)
		for j := range out[i].Transactions {
			out[i].Transactions[j].Tags = slices.Clone(in[i].Transactions[j].Tags)
		}
	}
	return out
}

// Print writes the figures as a table; verbose adds every mistake, missed
// contract and extra series.
func (r *Result) Print(w io.Writer, verbose bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "category\tcorrect\t total\taccuracy\n")
	for _, c := range r.Categories {
		fmt.Fprintf(tw, "%s\t%7d\t%6d\t%7.1f %%\n", c.Category, c.Correct, c.Total, 100*c.Value())
	}
	fmt.Fprintf(tw, "\t\t\t\n")
	for _, t := range []kontor.UserType{kontor.UserPerson, kontor.UserCompany} {
		if v, ok := r.ByType[t]; ok {
			fmt.Fprintf(tw, "all %s transactions\t%7d\t%6d\t%7.1f %%\n", t, v.Correct, v.Total, 100*v.Value())
		}
	}
	fmt.Fprintf(tw, "overall\t%7d\t%6d\t%7.2f %%\n", r.Correct, r.Transactions, 100*r.Accuracy())
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing result: %w", err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nsalary: precision %.2f %% (%d of %d), recall %.2f %% (%d of %d)\n",
		100*r.SalaryPrecision(), r.SalaryTP, r.SalaryTP+r.SalaryFP,
		100*r.SalaryRecall(), r.SalaryTP, r.SalaryTP+r.SalaryFN)
	fmt.Fprintf(&b, "recurring contracts: %d labelled, %d found, %d matched: precision %.3f, recall %.3f, F1 %.3f\n",
		r.Contracts, r.Series, r.Matched, r.RecurringPrecision(), r.RecurringRecall(), r.RecurringF1())
	if verbose {
		if len(r.Mistakes) > 0 {
			b.WriteString("\nmistakes:\n")
			for _, m := range r.Mistakes {
				fmt.Fprintf(&b, "  %s: want %s, got %s (rule %q): %s\n", m.Where, m.Want, m.Got, m.Rule, m.Text)
			}
		}
		if len(r.MissedContracts) > 0 {
			b.WriteString("\ncontracts not found:\n")
			for _, m := range r.MissedContracts {
				fmt.Fprintf(&b, "  %s\n", m)
			}
		}
		if len(r.ExtraSeries) > 0 {
			b.WriteString("\nseries matching no contract:\n")
			for _, m := range r.ExtraSeries {
				fmt.Fprintf(&b, "  %s\n", m)
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("writing result: %w", err)
	}
	return nil
}
