// Package bankdir is the directory of German banks: bank code (BLZ), BIC,
// name, cities and FinTS PIN/TAN address. The data is a list of the German
// banking industry's FinTS institutes that is embedded in the binary (see
// data/README.md for its origin); it is parsed once, at first use.
//
// Several rows of the list can share a bank code (the branches of one bank
// in different cities); the directory merges them into one Bank with all
// their cities.
//
// Banks that are not in the list, such as Kontor's sandbox bank, are added
// at start-up with Register. The directory itself stays pure data.
//
// All functions are safe for concurrent use.
package bankdir

import (
	"bytes"
	_ "embed" // for the embedded institute list
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kontor-dev/kontor"
)

//go:embed data/german-banks-fints.csv
var embeddedCSV []byte

// Bank is one bank of the directory, identified by its bank code.
type Bank struct {
	// BankCode is the eight-digit German bank code (Bankleitzahl).
	BankCode string
	// BIC is the bank's BIC with 8 or 11 characters as the list gives it,
	// or "" when the list has none or only a placeholder.
	BIC string
	// Name is the bank's name.
	Name string
	// OtherNames are further names the list gives for the same bank code
	// (former names, branch names), without Name; often empty.
	OtherNames []string
	// Cities are the cities of the bank's branches, in list order, without
	// duplicates; the first is the main one. It can be empty.
	Cities []string
	// FinTSURL is the FinTS PIN/TAN address, or "" when the bank has none.
	FinTSURL string
	// FinTSVersion is the FinTS version the list gives, such as
	// "FinTS V3.0", or "".
	FinTSVersion string
	// LastChanged is the day the bank's entry was last changed in the
	// list (midnight UTC), or the zero time when the list gives no date.
	LastChanged time.Time
}

// City returns the bank's main city, or "" when none is known.
func (b Bank) City() string {
	if len(b.Cities) == 0 {
		return ""
	}
	return b.Cities[0]
}

// HasFinTS reports whether the bank can be reached over FinTS PIN/TAN.
func (b Bank) HasFinTS() bool { return b.FinTSURL != "" }

// Kontor returns the bank as the domain's kontor.Bank.
func (b Bank) Kontor() kontor.Bank {
	return kontor.Bank{Name: b.Name, BIC: b.BIC, BankCode: b.BankCode}
}

// clone returns a copy of b that shares no slices with it.
func (b Bank) clone() Bank {
	b.OtherNames = slices.Clone(b.OtherNames)
	b.Cities = slices.Clone(b.Cities)
	return b
}

// Directory is a searchable set of banks. The zero Directory is not usable;
// make one with New or Parse. Reads never block: each change publishes a
// new immutable index.
type Directory struct {
	mu   sync.Mutex // serialises writers
	snap atomic.Pointer[snapshot]
}

// New returns a directory holding banks. A later bank replaces an earlier
// one with the same bank code.
func New(banks ...Bank) (*Directory, error) {
	d := &Directory{}
	d.snap.Store(buildSnapshot(nil))
	for _, b := range banks {
		if err := d.Register(b); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Parse reads a bank list in the embedded file's format: UTF-8 CSV with
// the header bank_code,bic,name,city,fints_url,fints_version,last_changed
// (in any order; further columns are ignored) and dates as DD.MM.YYYY.
func Parse(r io.Reader) (*Directory, error) {
	banks, err := parseCSV(r)
	if err != nil {
		return nil, fmt.Errorf("parsing bank list: %w", err)
	}
	d := &Directory{}
	entries := make([]*entry, len(banks))
	for i, b := range banks {
		entries[i] = newEntry(b)
	}
	d.snap.Store(buildSnapshot(entries))
	return d, nil
}

// Register adds a bank, or replaces the bank with the same bank code. Use
// it at start-up for banks the list does not hold, such as the sandbox bank
// with the address it is served at. The bank code must have eight digits
// and the name must not be empty; a BIC and a FinTS URL, when given, must be
// well-formed. Each call rebuilds the search index (some milliseconds), so
// register at start-up rather than per request.
func (d *Directory) Register(b Bank) error {
	b = b.clone()
	b.BankCode = strings.TrimSpace(b.BankCode)
	b.BIC = strings.ToUpper(strings.TrimSpace(b.BIC))
	b.Name = strings.TrimSpace(b.Name)
	b.FinTSURL = strings.TrimSpace(b.FinTSURL)
	if !isBankCode(b.BankCode) {
		return fmt.Errorf("bankdir: registering bank %q: bank code %q is not eight digits", b.Name, b.BankCode)
	}
	if b.Name == "" {
		return fmt.Errorf("bankdir: registering bank %s: name is empty", b.BankCode)
	}
	if b.BIC != "" && !isBIC(b.BIC) {
		return fmt.Errorf("bankdir: registering bank %s: malformed BIC %q", b.BankCode, b.BIC)
	}
	if b.FinTSURL != "" {
		u, err := url.Parse(b.FinTSURL)
		if err != nil {
			return fmt.Errorf("bankdir: registering bank %s: FinTS URL: %w", b.BankCode, err)
		}
		if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("bankdir: registering bank %s: FinTS URL %q is not an absolute http or https URL", b.BankCode, b.FinTSURL)
		}
	}

	d.mu.Lock()
	defer d.mu.Unlock()
	old := d.snap.Load()
	entries := make([]*entry, 0, len(old.entries)+1)
	for _, e := range old.entries {
		if e.bank.BankCode != b.BankCode {
			entries = append(entries, e)
		}
	}
	entries = append(entries, newEntry(b))
	d.snap.Store(buildSnapshot(entries))
	return nil
}

// Lookup returns the bank with the given bank code. Spaces in the code are
// ignored.
func (d *Directory) Lookup(bankCode string) (Bank, bool) {
	e, ok := d.snap.Load().byCode[strings.ReplaceAll(bankCode, " ", "")]
	if !ok {
		return Bank{}, false
	}
	return e.bank.clone(), true
}

// ByBIC returns the banks with the given BIC, ordered by bank code; several
// bank codes can share one BIC. An 8-character BIC equals the 11-character
// one ending in "XXX". Case and spaces do not matter.
func (d *Directory) ByBIC(bic string) []Bank {
	key, ok := bicKey(bic)
	if !ok {
		return nil
	}
	es := d.snap.Load().byBIC[key]
	out := make([]Bank, len(es))
	for i, e := range es {
		out[i] = e.bank.clone()
	}
	return out
}

// All returns every bank, ordered by bank code.
func (d *Directory) All() []Bank {
	s := d.snap.Load()
	out := make([]Bank, len(s.byCodeOrder))
	for i, e := range s.byCodeOrder {
		out[i] = e.bank.clone()
	}
	return out
}

// Len returns the number of banks.
func (d *Directory) Len() int { return len(d.snap.Load().entries) }

// The default directory, built from the embedded list at first use.
var (
	defaultOnce sync.Once
	defaultDir  *Directory
	defaultErr  error
)

// Default returns the directory of the embedded bank list. If the embedded
// list cannot be parsed (the package's tests make sure it can), it returns
// an empty but usable directory and the parse error.
func Default() (*Directory, error) {
	defaultOnce.Do(func() {
		defaultDir, defaultErr = Parse(bytes.NewReader(embeddedCSV))
		if defaultErr != nil {
			defaultErr = fmt.Errorf("bankdir: the embedded list: %w", defaultErr)
			defaultDir, _ = New()
		}
	})
	return defaultDir, defaultErr
}

func dflt() *Directory {
	d, _ := Default()
	return d
}

// Register adds a bank to the default directory; see Directory.Register.
func Register(b Bank) error { return dflt().Register(b) }

// Lookup finds a bank of the default directory by bank code; see
// Directory.Lookup.
func Lookup(bankCode string) (Bank, bool) { return dflt().Lookup(bankCode) }

// ByBIC finds banks of the default directory by BIC; see Directory.ByBIC.
func ByBIC(bic string) []Bank { return dflt().ByBIC(bic) }

// Search searches the default directory; see Directory.Search.
func Search(query string, limit int) []Bank { return dflt().Search(query, limit) }

// Len returns the number of banks in the default directory.
func Len() int { return dflt().Len() }

// Column names of the bank list.
const (
	colBankCode     = "bank_code"
	colBIC          = "bic"
	colName         = "name"
	colCity         = "city"
	colFinTSURL     = "fints_url"
	colFinTSVersion = "fints_version"
	colLastChanged  = "last_changed"
)

// noFinTSName is the placeholder the list uses as a name for rows of banks
// without FinTS support; it is never a bank's name when there is another.
const noFinTSName = "Keine FinTS-Unterstützung"

type row struct {
	line                                int
	code, bic, name, city, url, version string
	lastChanged                         time.Time
}

// parseCSV reads the list and merges rows of the same bank code, keeping
// the order in which codes first appear.
func parseCSV(r io.Reader) ([]Bank, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("reading header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		col[strings.ToLower(h)] = i
	}
	for _, name := range []string{colBankCode, colBIC, colName, colCity, colFinTSURL, colFinTSVersion, colLastChanged} {
		if _, ok := col[name]; !ok {
			return nil, fmt.Errorf("header has no column %q", name)
		}
	}

	var (
		order []string
		rows  = map[string][]row{}
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading: %w", err)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			if i := col[name]; i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		rw := row{
			line:    line,
			code:    get(colBankCode),
			bic:     strings.ToUpper(get(colBIC)),
			name:    get(colName),
			city:    get(colCity),
			url:     get(colFinTSURL),
			version: get(colFinTSVersion),
		}
		if !isBankCode(rw.code) {
			return nil, fmt.Errorf("line %d: bank code %q is not eight digits", line, rw.code)
		}
		if !isBIC(rw.bic) {
			rw.bic = "" // placeholders such as "#NV" or "0"
		}
		if s := get(colLastChanged); s != "" {
			t, err := time.Parse("02.01.2006", s)
			if err != nil {
				return nil, fmt.Errorf("line %d: last_changed %q is not a date DD.MM.YYYY: %w", line, s, err)
			}
			rw.lastChanged = t
		}
		if _, seen := rows[rw.code]; !seen {
			order = append(order, rw.code)
		}
		rows[rw.code] = append(rows[rw.code], rw)
	}
	banks := make([]Bank, 0, len(order))
	for _, code := range order {
		banks = append(banks, merge(rows[code]))
	}
	return banks, nil
}

// merge combines the rows of one bank code. The primary row is the first
// that has a FinTS URL (or the first at all); it gives the name, FinTS
// address, version and date. The BIC is the first well-formed one.
func merge(rs []row) Bank {
	primary := rs[0]
	for _, r := range rs {
		if r.url != "" {
			primary = r
			break
		}
	}
	if primary.name == noFinTSName {
		for _, r := range rs {
			if r.name != "" && r.name != noFinTSName {
				primary.name = r.name
				break
			}
		}
	}
	b := Bank{
		BankCode:     primary.code,
		Name:         primary.name,
		FinTSURL:     primary.url,
		FinTSVersion: primary.version,
		LastChanged:  primary.lastChanged,
	}
	for _, r := range rs {
		if b.BIC == "" && r.bic != "" {
			b.BIC = r.bic
		}
		if r.name != "" && r.name != b.Name && r.name != noFinTSName && !slices.Contains(b.OtherNames, r.name) {
			b.OtherNames = append(b.OtherNames, r.name)
		}
		if r.city != "" && !slices.Contains(b.Cities, r.city) {
			b.Cities = append(b.Cities, r.city)
		}
	}
	return b
}

func isBankCode(s string) bool {
	if len(s) != 8 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isBIC reports whether s has the shape of an upper-case BIC: four letters
// (bank), two letters (country), two letters or digits (location) and an
// optional three letters or digits (branch).
func isBIC(s string) bool {
	if len(s) != 8 && len(s) != 11 {
		return false
	}
	for i := range len(s) {
		c := s[i]
		letter := c >= 'A' && c <= 'Z'
		digit := c >= '0' && c <= '9'
		if i < 6 && !letter || i >= 6 && !letter && !digit {
			return false
		}
	}
	return true
}

// bicKey returns the 11-character upper-case form of a BIC under which the
// index files it.
func bicKey(bic string) (string, bool) {
	bic = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(bic), " ", ""))
	if !isBIC(bic) {
		return "", false
	}
	if len(bic) == 8 {
		bic += "XXX"
	}
	return bic, true
}
