// Package evaluation measures Kontor's analysis engine against a labelled
// set of bank transactions: category accuracy, salary precision and recall,
// and how well recurring contracts are found. The set lives in
// testdata/analysis (see its README.md); cmd/kontor-eval prints the
// figures and a test in this package fails when they miss their targets.
package evaluation

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kontor-dev/kontor"
)

// Set is a labelled evaluation set: users with their accounts and the
// expected result for every transaction.
type Set struct {
	Users []*User
}

// User is one user of the set.
type User struct {
	ID       string
	Type     kontor.UserType
	Accounts []kontor.Account
	// Labels holds the expected result of every transaction by ID.
	Labels map[string]Label
}

// Label is the expected result for one transaction.
type Label struct {
	// Category is the expected category tag.
	Category string
	// Contract names the recurring contract the transaction belongs to
	// ("" for none); it is unique within the user.
	Contract string
	// Salary is true for salary and wages received.
	Salary bool
	// Where is "file:line", for messages.
	Where string
}

// Transactions returns the number of transactions of the set.
func (s *Set) Transactions() int {
	n := 0
	for _, u := range s.Users {
		n += len(u.Labels)
	}
	return n
}

// Load reads an evaluation set from dir: accounts.csv and every CSV file in
// dir/transactions.
func Load(dir string) (*Set, error) {
	s := &Set{}
	users := map[string]*User{}
	if err := readCSV(filepath.Join(dir, "accounts.csv"), func(r record) error {
		return s.addAccount(users, r)
	}); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "transactions", "*.csv"))
	if err != nil {
		return nil, fmt.Errorf("listing transactions: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no transaction files in %s", filepath.Join(dir, "transactions"))
	}
	slices.Sort(files)
	for _, f := range files {
		if err := readCSV(f, func(r record) error { return addTransaction(users, r) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Set) addAccount(users map[string]*User, r record) error {
	id := r.get("user")
	u := users[id]
	if u == nil {
		u = &User{ID: id, Type: kontor.UserType(r.get("type")), Labels: map[string]Label{}}
		if !u.Type.Valid() {
			return r.errorf("type %q is not person or company", u.Type)
		}
		users[id] = u
		s.Users = append(s.Users, u)
	}
	bal, err := kontor.ParseAmount(r.get("balance"))
	if err != nil {
		return r.errorf("balance: %v", err)
	}
	u.Accounts = append(u.Accounts, kontor.Account{
		ID:       r.get("account"),
		IBAN:     r.get("iban"),
		Type:     r.get("accountType"),
		Owner:    r.get("owner"),
		Name:     r.get("accountType") + " " + r.get("owner"),
		Balance:  bal,
		Currency: r.get("currency"),
	})
	return nil
}

func addTransaction(users map[string]*User, r record) error {
	u := users[r.get("user")]
	if u == nil {
		return r.errorf("user %q is not in accounts.csv", r.get("user"))
	}
	acc := &u.Accounts[0]
	if id := r.get("account"); id != "" {
		i := slices.IndexFunc(u.Accounts, func(a kontor.Account) bool { return a.ID == id })
		if i < 0 {
			return r.errorf("account %q is not in accounts.csv", id)
		}
		acc = &u.Accounts[i]
	}
	date, err := time.Parse("2006-01-02", r.get("date"))
	if err != nil {
		return r.errorf("date: %v", err)
	}
	amount, err := kontor.ParseAmount(r.get("amount"))
	if err != nil {
		return r.errorf("amount: %v", err)
	}
	tx := kontor.Transaction{
		ID:          fmt.Sprintf("%s-%s-%d", u.ID, strings.TrimSuffix(filepath.Base(r.file), ".csv"), r.line),
		AccountID:   acc.ID,
		BookingDate: kontor.TimestampOf(date),
		ValueDate:   kontor.TimestampOf(date),
		Currency:    "EUR",
		MRef:        r.get("mref"),
		Purpose:     r.get("purpose"),
		Booked:      true,
		Amount:      amount,
		CounterPart: kontor.CounterPart{
			Name:       r.get("name"),
			IBAN:       r.get("iban"),
			BIC:        r.get("bic"),
			CreditorID: r.get("creditorId"),
		},
	}
	if v := r.get("gvc"); v != "" {
		tx.Codes = append(tx.Codes, kontor.Code{Type: kontor.CodeTransaction, Value: v})
	}
	if v := r.get("purposeCode"); v != "" {
		tx.Codes = append(tx.Codes, kontor.Code{Type: kontor.CodePurpose, Value: v})
	}
	label := Label{
		Category: r.get("category"),
		Contract: r.get("contract"),
		Where:    fmt.Sprintf("%s:%d", filepath.Base(r.file), r.line),
	}
	switch r.get("salary") {
	case "1":
		label.Salary = true
	case "0", "":
	default:
		return r.errorf("salary must be 0 or 1")
	}
	if label.Category == "" {
		return r.errorf("category is missing")
	}
	acc.Transactions = append(acc.Transactions, tx)
	u.Labels[tx.ID] = label
	return nil
}

// record is one row of a CSV file, read by column name.
type record struct {
	file   string
	line   int
	header map[string]int
	fields []string
}

func (r record) get(col string) string {
	i, ok := r.header[col]
	if !ok || i >= len(r.fields) {
		return ""
	}
	return strings.TrimSpace(r.fields[i])
}

func (r record) errorf(format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", r.file, r.line, fmt.Sprintf(format, args...))
}

// readCSV calls f for every row of a CSV file with a header line.
func readCSV(path string, f func(record) error) error {
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading evaluation set: %w", err)
	}
	defer file.Close()
	cr := csv.NewReader(file)
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: reading header: %w", path, err)
	}
	header := map[string]int{}
	for i, h := range head {
		header[strings.TrimSpace(h)] = i
	}
	for {
		fields, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		line, _ := cr.FieldPos(0)
		if err := f(record{file: path, line: line, header: header, fields: fields}); err != nil {
			return err
		}
	}
}
