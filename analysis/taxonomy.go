package analysis

import (
	"bytes"
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/kontor-dev/kontor"
)

//go:embed taxonomy.yaml
var taxonomyYAML []byte

// Kind tells which reports a category feeds.
type Kind string

// Category kinds.
const (
	KindIncome   Kind = "income"   // income reports (persons) and cash in (companies)
	KindExpense  Kind = "expense"  // spending reports
	KindTransfer Kind = "transfer" // money moved, neither earned nor spent
	KindNeutral  Kind = "neutral"  // cash, returned debits
)

// Risk indicators a category can count towards.
const (
	RiskReturnedDebit = "returnedDebit"
	RiskGarnishment   = "garnishment"
	RiskCollection    = "collection"
	RiskGambling      = "gambling"
)

// Uncategorized is the category of a transaction no rule matched. It exists
// in both taxonomies.
const Uncategorized = "other.uncategorized"

// Category is one category of a taxonomy.
type Category struct {
	// Name is the tag name, "<group>.<category>", e.g. "income.salary".
	Name string `json:"name"`
	// Group is the first part of Name.
	Group string `json:"group"`
	// Title says in a few words what belongs here.
	Title string `json:"title"`
	// Kind tells which reports the category feeds.
	Kind Kind `json:"kind"`
	// IncomeKind is the finoOS income scope of an income category
	// ("salary", "pension", "child-benefit", ...), or "".
	IncomeKind string `json:"incomeKind,omitempty"`
	// Risk is the risk indicator the category counts towards, or "".
	Risk string `json:"risk,omitempty"`
	// OneOff marks spending that is never a contract; recurring-payment
	// detection skips it.
	OneOff bool `json:"oneOff,omitempty"`
	// Variable marks categories whose contracts vary a lot in amount.
	Variable bool `json:"variable,omitempty"`

	index int
}

// Group is a first-level entry of a taxonomy.
type Group struct {
	Name       string      `json:"name"`
	Title      string      `json:"title"`
	Categories []*Category `json:"categories"`
}

// Taxonomy is the category tree of one user type.
type Taxonomy struct {
	UserType   kontor.UserType `json:"userType"`
	Groups     []Group         `json:"groups"`
	Categories []*Category     `json:"-"`
	byName     map[string]*Category
}

// Category returns the category with the given tag name.
func (t *Taxonomy) Category(name string) (*Category, bool) {
	c, ok := t.byName[name]
	return c, ok
}

// Has reports whether name is a category of the taxonomy.
func (t *Taxonomy) Has(name string) bool {
	_, ok := t.byName[name]
	return ok
}

// taxonomyAttrs are the attributes a group passes on to its categories.
type taxonomyAttrs struct {
	Kind     Kind   `yaml:"kind"`
	Income   string `yaml:"income"`
	Risk     string `yaml:"risk"`
	OneOff   *bool  `yaml:"oneOff"`
	Variable *bool  `yaml:"variable"`
}

type taxonomyFile struct {
	Person  []taxonomyGroup `yaml:"person"`
	Company []taxonomyGroup `yaml:"company"`
}

type taxonomyGroup struct {
	Group         string `yaml:"group"`
	Title         string `yaml:"title"`
	taxonomyAttrs `yaml:",inline"`
	Categories    []taxonomyCategory `yaml:"categories"`
}

type taxonomyCategory struct {
	Name          string `yaml:"name"`
	Title         string `yaml:"title"`
	taxonomyAttrs `yaml:",inline"`
}

var loadTaxonomies = sync.OnceValues(func() (map[kontor.UserType]*Taxonomy, error) {
	return parseTaxonomies(taxonomyYAML)
})

// TaxonomyFor returns the taxonomy of the user type.
func TaxonomyFor(t kontor.UserType) (*Taxonomy, error) {
	all, err := loadTaxonomies()
	if err != nil {
		return nil, err
	}
	tax, ok := all[t]
	if !ok {
		return nil, fmt.Errorf("taxonomy: unknown user type %q", t)
	}
	return tax, nil
}

func parseTaxonomies(data []byte) (map[kontor.UserType]*Taxonomy, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f taxonomyFile
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parsing taxonomy: %w", err)
	}
	person, err := buildTaxonomy(kontor.UserPerson, f.Person)
	if err != nil {
		return nil, err
	}
	company, err := buildTaxonomy(kontor.UserCompany, f.Company)
	if err != nil {
		return nil, err
	}
	return map[kontor.UserType]*Taxonomy{kontor.UserPerson: person, kontor.UserCompany: company}, nil
}

func buildTaxonomy(ut kontor.UserType, groups []taxonomyGroup) (*Taxonomy, error) {
	tax := &Taxonomy{UserType: ut, byName: map[string]*Category{}}
	for _, g := range groups {
		if !validName(g.Group) {
			return nil, fmt.Errorf("taxonomy %s: bad group name %q", ut, g.Group)
		}
		group := Group{Name: g.Group, Title: g.Title}
		for _, c := range g.Categories {
			if !validName(c.Name) {
				return nil, fmt.Errorf("taxonomy %s: bad category name %q in group %s", ut, c.Name, g.Group)
			}
			cat := &Category{
				Name:       g.Group + "." + c.Name,
				Group:      g.Group,
				Title:      c.Title,
				Kind:       pick(c.Kind, g.Kind),
				IncomeKind: pick(c.Income, g.Income),
				Risk:       pick(c.Risk, g.Risk),
				OneOff:     pickBool(c.OneOff, g.OneOff),
				Variable:   pickBool(c.Variable, g.Variable),
				index:      len(tax.Categories),
			}
			if err := checkCategory(cat); err != nil {
				return nil, fmt.Errorf("taxonomy %s: %w", ut, err)
			}
			if _, dup := tax.byName[cat.Name]; dup {
				return nil, fmt.Errorf("taxonomy %s: category %s listed twice", ut, cat.Name)
			}
			tax.byName[cat.Name] = cat
			tax.Categories = append(tax.Categories, cat)
			group.Categories = append(group.Categories, cat)
		}
		tax.Groups = append(tax.Groups, group)
	}
	if !tax.Has(Uncategorized) {
		return nil, fmt.Errorf("taxonomy %s: lacks %s", ut, Uncategorized)
	}
	return tax, nil
}

func checkCategory(c *Category) error {
	switch c.Kind {
	case KindIncome, KindExpense, KindTransfer, KindNeutral:
	default:
		return fmt.Errorf("category %s: unknown kind %q", c.Name, c.Kind)
	}
	switch c.Risk {
	case "", RiskReturnedDebit, RiskGarnishment, RiskCollection, RiskGambling:
	default:
		return fmt.Errorf("category %s: unknown risk %q", c.Name, c.Risk)
	}
	if c.Kind == KindIncome && c.IncomeKind == "" && c.Group == "income" {
		return fmt.Errorf("category %s: income category without income kind", c.Name)
	}
	return nil
}

// validName reports whether s is a lowercase machine name: a-z, 0-9, '_'.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// validCategoryName reports whether s has the shape "<group>.<category>".
func validCategoryName(s string) bool {
	g, c, ok := strings.Cut(s, ".")
	return ok && validName(g) && validName(c)
}

func pick[T ~string](own, inherited T) T {
	if own != "" {
		return own
	}
	return inherited
}

func pickBool(own, inherited *bool) bool {
	if own != nil {
		return *own
	}
	return inherited != nil && *inherited
}
