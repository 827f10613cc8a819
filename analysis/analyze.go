package analysis

import (
	"fmt"

	"github.com/kontor-dev/kontor"
)

// Analysis is everything Kontor's analysis finds for one user.
type Analysis struct {
	UserType kontor.UserType `json:"userType"`
	// Recurring lists the recurring payments (see DetectRecurring).
	Recurring []Recurring `json:"recurring"`
	// Person holds the reports of a person, Company those of a company.
	Person  *PersonReports  `json:"person,omitempty"`
	Company *CompanyReports `json:"company,omitempty"`
}

// PersonReports are the reports of a person.
type PersonReports struct {
	Income   *IncomeReport   `json:"income"`
	Spending *SpendingReport `json:"spending"`
	Risk     *RiskReport     `json:"risk"`
}

// CompanyReports are the reports of a company.
type CompanyReports struct {
	Cash            *CashReport            `json:"cash"`
	Liquidity       *LiquidityReport       `json:"liquidity"`
	ForeignPayments *ForeignPaymentsReport `json:"foreignPayments"`
	Risk            *RiskReport            `json:"risk"`
}

// Analyze runs the whole analysis for one user: it categorises every
// transaction of the accounts with c (the built-in rules when c is nil)
// and the taxonomy of the user type, replacing the transactions' kontor
// tags; finds the recurring payments and tags their transactions; and
// computes the reports of the user type for the period.
func Analyze(c *Categorizer, t kontor.UserType, accounts []kontor.Account, p Period) (*Analysis, error) {
	if c == nil {
		var err error
		if c, err = Default(); err != nil {
			return nil, err
		}
	}
	m, err := c.Matcher(t)
	if err != nil {
		return nil, err
	}
	m.CategorizeAccounts(accounts)
	a := &Analysis{UserType: t, Recurring: DetectRecurring(m.Taxonomy(), accounts)}
	if a.Recurring == nil {
		a.Recurring = []Recurring{}
	}
	MarkRecurring(accounts, a.Recurring)
	switch t {
	case kontor.UserPerson:
		r := &PersonReports{}
		if r.Income, err = PersonIncome(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing person: %w", err)
		}
		if r.Spending, err = PersonSpending(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing person: %w", err)
		}
		if r.Risk, err = PersonRisk(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing person: %w", err)
		}
		a.Person = r
	case kontor.UserCompany:
		r := &CompanyReports{}
		if r.Cash, err = CompanyCash(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing company: %w", err)
		}
		if r.Liquidity, err = CompanyLiquidity(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing company: %w", err)
		}
		if r.ForeignPayments, err = CompanyForeignPayments(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing company: %w", err)
		}
		if r.Risk, err = CompanyRisk(accounts, p); err != nil {
			return nil, fmt.Errorf("analysing company: %w", err)
		}
		a.Company = r
	}
	return a, nil
}
