package finoos

import (
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/core"
	"github.com/kontor-dev/kontor/internal/httpx"
	"github.com/kontor-dev/kontor/internal/jsonstr"
)

// tokenPair is the Authenticate and Refresh response.
type tokenPair struct {
	AccessToken      string `json:"accessToken"`
	RefreshToken     string `json:"refreshToken"`
	ExpiresIn        int    `json:"expiresIn"`
	RefreshExpiresIn int    `json:"refreshExpiresIn"`
}

func writePair(w http.ResponseWriter, p *core.TokenPair, c *kontor.Client, explicitVersion bool) error {
	if !explicitVersion {
		w.Header().Set(versionHeader, c.APIVersion)
	}
	return httpx.WriteJSON(w, http.StatusOK, tokenPair{p.AccessToken, p.RefreshToken, p.ExpiresIn, p.RefreshExpiresIn})
}

func required(fields ...[2]string) error {
	for _, f := range fields {
		if f[1] == "" {
			return kontor.Errorf(kontor.EINVALID, "Bad request. Field %s is required", f[0])
		}
	}
	return nil
}

func (h *Handler) authenticate(w http.ResponseWriter, r *http.Request, _ *kontor.Client) error {
	var req struct {
		Name   string `json:"name"`
		Secret string `json:"secret"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"name", req.Name}, [2]string{"secret", req.Secret}); err != nil {
		return err
	}
	pair, c, err := h.svc.Authenticate(r.Context(), req.Name, req.Secret)
	if err != nil {
		return err
	}
	return writePair(w, pair, c, r.Header.Get(versionHeader) != "")
}

func (h *Handler) refresh(w http.ResponseWriter, r *http.Request, _ *kontor.Client) error {
	var req struct {
		Name         string `json:"name"`
		Secret       string `json:"secret"`
		RefreshToken string `json:"refreshToken"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"name", req.Name}, [2]string{"secret", req.Secret}, [2]string{"refreshToken", req.RefreshToken}); err != nil {
		return err
	}
	pair, c, err := h.svc.Refresh(r.Context(), req.Name, req.Secret, req.RefreshToken)
	if err != nil {
		return err
	}
	return writePair(w, pair, c, r.Header.Get(versionHeader) != "")
}

func (h *Handler) openAPI(w http.ResponseWriter, _ *http.Request, _ *kontor.Client) error {
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err := w.Write(openAPI)
	return err
}

// user is a user as the API shows it.
type user struct {
	ID        string          `json:"id"`
	Type      kontor.UserType `json:"type"`
	CreatedAt string          `json:"createdAt"`
}

func userOf(u *kontor.User) user {
	return user{ID: u.ID, Type: u.Type, CreatedAt: u.CreatedAt.UTC().Format(time.RFC3339)}
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req struct {
		Type kontor.UserType `json:"type"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	if err := required([2]string{"type", string(req.Type)}); err != nil {
		return err
	}
	u, err := h.svc.CreateUser(r.Context(), c, req.Type)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, struct {
		ID string `json:"id"`
	}{u.ID})
}

// paging describes one page of a list.
type paging struct {
	Page       int `json:"page"`
	PerPage    int `json:"perPage"`
	PageCount  int `json:"pageCount"`
	TotalCount int `json:"totalCount"`
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	users, total, err := h.svc.Users(r.Context(), c, page)
	if err != nil {
		return err
	}
	out := struct {
		Users  []user `json:"users"`
		Paging paging `json:"paging"`
	}{Users: make([]user, 0, len(users))}
	for i := range users {
		out.Users = append(out.Users, userOf(&users[i]))
	}
	out.Paging = paging{Page: page.Page, PerPage: page.PerPage, PageCount: (total + page.PerPage - 1) / page.PerPage, TotalCount: total}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

// pageOf reads the page and perPage query parameters (defaults 1 and 20).
func pageOf(r *http.Request) (kontor.Page, error) {
	p := kontor.Page{Page: 1, PerPage: 20}
	q := r.URL.Query()
	for name, dst := range map[string]*int{"page": &p.Page, "perPage": &p.PerPage} {
		if s := q.Get(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				return p, kontor.Errorf(kontor.EINVALID, "Bad request. Query parameter %s must be a whole number", name)
			}
			*dst = n
		}
	}
	return p, nil
}

func (h *Handler) getUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	u, err := h.svc.User(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, userOf(u))
}

func (h *Handler) deleteUser(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if err := h.svc.DeleteUser(r.Context(), c, r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// logins is the Set Logins request and the Get Logins response.
type logins struct {
	Logins *[]kontor.Login `json:"logins"`
}

func (h *Handler) setLogins(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req logins
	if fastLogins {
		err := httpx.DecodeStream(w, r, h.cfg.MaxUploadBytes, func(rd *httpx.Reader) error {
			return (&loginsDecoder{rd: rd}).body(&req)
		})
		if err != nil {
			return err
		}
	} else if err := httpx.DecodeJSON(w, r, h.cfg.MaxUploadBytes, &req); err != nil {
		return err
	}
	if req.Logins == nil {
		return kontor.Errorf(kontor.EINVALID, "Bad request. Field logins is required")
	}
	if err := h.svc.SetLogins(r.Context(), c, r.PathValue("id"), *req.Logins); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) getLogins(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if !fastLogins {
		ls, err := h.svc.Logins(r.Context(), c, r.PathValue("id"))
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusOK, logins{Logins: &ls})
	}
	ls, err := h.svc.EncodedLogins(r.Context(), c, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	return writeLogins(w, ls)
}

// Set Logins and Get Logins carry the largest bodies by far: 100,000
// transactions are 40 MB of JSON. So they are decoded and encoded by hand,
// streaming, without reflection: Set Logins reads the body token by token
// straight into the logins and never holds it whole, and Get Logins writes
// its response in chunks as it goes. Both do exactly what encoding/json
// does with these types, which the tests check value for value and byte
// for byte, as long as the types' JSON fields are those in loginsFields.
// A long list of transactions is read in parts that other goroutines
// decode (parallel.go).
// A change to the types that this code does not know of turns fastLogins
// off, and both fall back to encoding/json.

// loginsFields are the JSON fields of the types the codec handles, as
// jsonFields describes them.
var loginsFields = map[reflect.Type]string{
	reflect.TypeFor[logins]():               "logins *[]kontor.Login",
	reflect.TypeFor[kontor.Login]():         "id string, bank kontor.Bank, accounts []kontor.Account, analysisStatus,omitempty kontor.AnalysisStatus",
	reflect.TypeFor[kontor.Bank]():          "name string, bic string, bankCode string, logo kontor.Logo",
	reflect.TypeFor[kontor.Logo]():          "url string, type string",
	reflect.TypeFor[kontor.Account]():       "iban string, id string, number string, name string, owner string, type string, balance kontor.Amount, creditLine kontor.Amount, monthlySpendingLimit kontor.Amount, currency string, transactions []kontor.Transaction, standingOrders []kontor.StandingOrder, securities []kontor.Security",
	reflect.TypeFor[kontor.Transaction]():   "id string, accountID string, bookingDate kontor.Timestamp, valueDate kontor.Timestamp, currency string, mref string, purpose string, booked bool, amount kontor.Amount, counterPart kontor.CounterPart, tags []kontor.Tag, codes []kontor.Code",
	reflect.TypeFor[kontor.CounterPart]():   "bic string, iban string, creditorId string, name string",
	reflect.TypeFor[kontor.Tag]():           "name string, source,omitempty string",
	reflect.TypeFor[kontor.Code]():          "value string, type string",
	reflect.TypeFor[kontor.StandingOrder](): "id string, accountID string, creationDate kontor.Timestamp, firstExecutionDate kontor.Timestamp, lastExecutionDate kontor.Timestamp, executionDay int, interval string, amount kontor.Amount, currency string, purpose string",
	reflect.TypeFor[kontor.Security]():      "id string, accountID string, amount kontor.Amount, priceAmount kontor.Amount, purchasePriceAmount kontor.Amount, currency string, priceCurrency string, purchasePriceCurrency string, exchangeRate kontor.Amount, quantity kontor.Amount, isin string, name string, market string",
}

// fastLogins tells whether the hand-written codec knows the types' JSON
// fields.
var fastLogins = func() bool {
	for t, want := range loginsFields {
		if jsonFields(t) != want {
			return false
		}
	}
	return true
}()

// jsonFields describes the JSON fields of struct type t: name, options and
// Go type of each, in order.
func jsonFields(t reflect.Type) string {
	var fields []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if !f.IsExported() || tag == "-" {
			continue
		}
		if tag == "" || strings.HasPrefix(tag, ",") {
			tag = f.Name + tag
		}
		if f.Anonymous {
			tag += " (embedded)"
		}
		fields = append(fields, tag+" "+f.Type.String())
	}
	return strings.Join(fields, ", ")
}

// loginsDecoder decodes a Set Logins body as encoding/json decodes it into
// logins with unknown fields disallowed: JSON names match fields exactly,
// else case-insensitively; null leaves strings, numbers, booleans and
// objects as they are and empties arrays; amounts and timestamps decode
// with their UnmarshalJSON methods. Type errors are encoding/json's, with
// the same field paths.
type loginsDecoder struct {
	rd   *httpx.Reader
	memo [memoSlots]string // the last value of each repeating field
	// parts, when from is set, replaces partsFrom and partSize; whole
	// reads every list whole.
	parts struct {
		from  int64
		size  int
		whole bool
	}
}

// The repeating fields, which str remembers the last value of.
const (
	noMemo = iota
	memoAccountID
	memoCurrency
	memoBIC
	memoIBAN
	memoCreditorID
	memoName
	memoTagName
	memoTagSource
	memoCodeValue
	memoCodeType
	memoInterval
	memoPriceCurrency
	memoPurchaseCurrency
	memoSlots
)

var (
	typeString = reflect.TypeFor[string]()
	typeBool   = reflect.TypeFor[bool]()
	typeInt    = reflect.TypeFor[int]()
)

func (d *loginsDecoder) typeError(k httpx.Kind, t reflect.Type, path string) error {
	return &json.UnmarshalTypeError{Value: k.Name(), Type: t, Field: path, Offset: d.rd.Offset()}
}

// field returns the index of the name that key matches, or -1. Encoders
// write fields in order, so the name at index next is tried first.
func field(key []byte, names []string, next int) int {
	if next < len(names) && string(key) == names[next] {
		return next
	}
	for i, n := range names {
		if string(key) == n {
			return i
		}
	}
	for i, n := range names {
		if strings.EqualFold(string(key), n) {
			return i
		}
	}
	return -1
}

// object reads an object (or a null, which changes nothing) of type t,
// calling member with the index in names of each member's field.
func (d *loginsDecoder) object(t reflect.Type, path string, names []string, member func(i int) error) error {
	k, err := d.rd.Kind()
	switch {
	case err != nil:
		return err
	case k == httpx.KindNull:
		_, err := d.rd.Null()
		return err
	case k != httpx.KindObject:
		return d.typeError(k, t, path)
	}
	if err := d.rd.BeginObject(); err != nil {
		return err
	}
	for next := 0; ; {
		key, more, err := d.rd.Key()
		if err != nil || !more {
			return err
		}
		i := field(key, names, next)
		if i < 0 {
			return httpx.UnknownFieldError(key)
		}
		if err := member(i); err != nil {
			return err
		}
		next = i + 1
	}
}

// list reads an array into *dst as encoding/json does: a null makes it
// nil, and elements are decoded into the slice's existing ones first.
func list[T any](d *loginsDecoder, dst *[]T, path string, elem func(*T) error) error {
	k, err := d.rd.Kind()
	switch {
	case err != nil:
		return err
	case k == httpx.KindNull:
		*dst = nil
		_, err := d.rd.Null()
		return err
	case k != httpx.KindArray:
		return d.typeError(k, reflect.TypeFor[[]T](), path)
	}
	if err := d.rd.BeginArray(); err != nil {
		return err
	}
	start, n := d.rd.Offset(), 0
	for {
		more, err := d.rd.Next()
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if n == len(*dst) {
			if n == cap(*dst) {
				*dst = grow(*dst, d.rd, start)
			}
			*dst = (*dst)[:n+1] // as encoding/json, which does not zero spare capacity
		}
		if err := elem(&(*dst)[n]); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		*dst = []T{}
	} else {
		*dst = (*dst)[:n]
	}
	return nil
}

// grow returns s with more capacity. Growing a slice of 100,000
// transactions by append copies five times its final size, and the old
// and new arrays are alive together at every step; so once a few hundred
// elements have shown how many bytes of the body an element takes, grow
// sizes the slice for the rest of the body at once. start is the offset at
// which the array began.
func grow[T any](s []T, rd *httpx.Reader, start int64) []T {
	n := len(s)
	if rem := rd.Remaining(); rem > 0 && n >= 256 {
		perElem := float64(rd.Offset()-start) / float64(n)
		if c := n + int(float64(rem)/perElem*1.02) + 16; c > n+n/4 {
			out := make([]T, n, c)
			copy(out, s)
			return out
		}
	}
	return slices.Grow(s, 1) // as append grows it: a list of one takes one
}

// str reads a string. Those of fields that repeat their values (memo
// above noMemo) share memory with equal values: the field's last value
// when it is the same again, else the Reader's interned string.
func (d *loginsDecoder) str(dst *string, path string, memo int) error {
	k, err := d.rd.Kind()
	switch {
	case err != nil:
		return err
	case k == httpx.KindString && memo > noMemo:
		b, err := d.rd.Str()
		if err != nil {
			return err
		}
		last := &d.memo[memo]
		if string(b) != *last {
			*last = d.rd.Intern(b)
		}
		*dst = *last
		return nil
	case k == httpx.KindString:
		*dst, err = d.rd.String()
		return err
	case k == httpx.KindNull:
		_, err := d.rd.Null()
		return err
	}
	return d.typeError(k, typeString, path)
}

func (d *loginsDecoder) boolean(dst *bool, path string) error {
	k, err := d.rd.Kind()
	switch {
	case err != nil:
		return err
	case k == httpx.KindBool:
		*dst, err = d.rd.Bool()
		return err
	case k == httpx.KindNull:
		_, err := d.rd.Null()
		return err
	}
	return d.typeError(k, typeBool, path)
}

func (d *loginsDecoder) integer(dst *int, path string) error {
	k, err := d.rd.Kind()
	switch {
	case err != nil:
		return err
	case k == httpx.KindNumber:
		b, err := d.rd.Number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return &json.UnmarshalTypeError{Value: "number " + string(b), Type: typeInt, Field: path, Offset: d.rd.Offset()}
		}
		*dst = int(n)
		return nil
	case k == httpx.KindNull:
		_, err := d.rd.Null()
		return err
	}
	return d.typeError(k, typeInt, path)
}

// amount hands the value to kontor.Amount's UnmarshalJSON, whatever it is.
func (d *loginsDecoder) amount(dst *kontor.Amount) error {
	if k, err := d.rd.Kind(); err != nil {
		return err
	} else if k == httpx.KindNumber {
		b, err := d.rd.Number()
		if err != nil {
			return err
		}
		return dst.UnmarshalJSON(b)
	}
	raw, err := d.rd.Raw()
	if err != nil {
		return err
	}
	return dst.UnmarshalJSON(raw)
}

// timestamp hands the value to kontor.Timestamp's UnmarshalJSON.
func (d *loginsDecoder) timestamp(dst *kontor.Timestamp) error {
	raw, err := d.rd.Raw()
	if err != nil {
		return err
	}
	return dst.UnmarshalJSON(raw)
}

// body reads the Set Logins request.
func (d *loginsDecoder) body(req *logins) error {
	return d.object(reflect.TypeFor[logins](), "", []string{"logins"}, func(int) error {
		if null, err := d.rd.Null(); null || err != nil {
			req.Logins = nil
			return err
		}
		if req.Logins == nil {
			req.Logins = new([]kontor.Login)
		}
		return list(d, req.Logins, "logins", d.login)
	})
}

var (
	loginNames       = []string{"id", "bank", "accounts", "analysisStatus"}
	bankNames        = []string{"name", "bic", "bankCode", "logo"}
	logoNames        = []string{"url", "type"}
	accountNames     = []string{"iban", "id", "number", "name", "owner", "type", "balance", "creditLine", "monthlySpendingLimit", "currency", "transactions", "standingOrders", "securities"}
	transactionNames = []string{"id", "accountID", "bookingDate", "valueDate", "currency", "mref", "purpose", "booked", "amount", "counterPart", "tags", "codes"}
	counterPartNames = []string{"bic", "iban", "creditorId", "name"}
	tagNames         = []string{"name", "source"}
	codeNames        = []string{"value", "type"}
	orderNames       = []string{"id", "accountID", "creationDate", "firstExecutionDate", "lastExecutionDate", "executionDay", "interval", "amount", "currency", "purpose"}
	securityNames    = []string{"id", "accountID", "amount", "priceAmount", "purchasePriceAmount", "currency", "priceCurrency", "purchasePriceCurrency", "exchangeRate", "quantity", "isin", "name", "market"}
)

func (d *loginsDecoder) login(l *kontor.Login) error {
	const p = "logins."
	return d.object(reflect.TypeFor[kontor.Login](), "logins", loginNames, func(i int) error {
		switch i {
		case 0:
			return d.str(&l.ID, p+"id", noMemo)
		case 1:
			return d.object(reflect.TypeFor[kontor.Bank](), p+"bank", bankNames, func(i int) error {
				b := &l.Bank
				switch i {
				case 0:
					return d.str(&b.Name, p+"bank.name", noMemo)
				case 1:
					return d.str(&b.BIC, p+"bank.bic", noMemo)
				case 2:
					return d.str(&b.BankCode, p+"bank.bankCode", noMemo)
				}
				return d.object(reflect.TypeFor[kontor.Logo](), p+"bank.logo", logoNames, func(i int) error {
					if i == 0 {
						return d.str(&b.Logo.URL, p+"bank.logo.url", noMemo)
					}
					return d.str(&b.Logo.Type, p+"bank.logo.type", noMemo)
				})
			})
		case 2:
			return list(d, &l.Accounts, p+"accounts", d.account)
		}
		return d.str((*string)(&l.AnalysisStatus), p+"analysisStatus", noMemo)
	})
}

func (d *loginsDecoder) account(a *kontor.Account) error {
	const p = "logins.accounts."
	return d.object(reflect.TypeFor[kontor.Account](), "logins.accounts", accountNames, func(i int) error {
		switch i {
		case 0:
			return d.str(&a.IBAN, p+"iban", noMemo)
		case 1:
			return d.str(&a.ID, p+"id", noMemo)
		case 2:
			return d.str(&a.Number, p+"number", noMemo)
		case 3:
			return d.str(&a.Name, p+"name", noMemo)
		case 4:
			return d.str(&a.Owner, p+"owner", noMemo)
		case 5:
			return d.str(&a.Type, p+"type", noMemo)
		case 6:
			return d.amount(&a.Balance)
		case 7:
			return d.amount(&a.CreditLine)
		case 8:
			return d.amount(&a.MonthlySpendingLimit)
		case 9:
			return d.str(&a.Currency, p+"currency", memoCurrency)
		case 10:
			if ok, size := d.inParts(); ok {
				return parallelList(d, &a.Transactions, p+"transactions", size, (*loginsDecoder).transaction)
			}
			return list(d, &a.Transactions, p+"transactions", d.transaction)
		case 11:
			return list(d, &a.StandingOrders, p+"standingOrders", d.standingOrder)
		}
		return list(d, &a.Securities, p+"securities", d.security)
	})
}

func (d *loginsDecoder) transaction(t *kontor.Transaction) error {
	const p = "logins.accounts.transactions."
	return d.object(reflect.TypeFor[kontor.Transaction](), "logins.accounts.transactions", transactionNames, func(i int) error {
		switch i {
		case 0:
			return d.str(&t.ID, p+"id", noMemo)
		case 1:
			return d.str(&t.AccountID, p+"accountID", memoAccountID)
		case 2:
			return d.timestamp(&t.BookingDate)
		case 3:
			return d.timestamp(&t.ValueDate)
		case 4:
			return d.str(&t.Currency, p+"currency", memoCurrency)
		case 5:
			return d.str(&t.MRef, p+"mref", noMemo)
		case 6:
			return d.str(&t.Purpose, p+"purpose", noMemo)
		case 7:
			return d.boolean(&t.Booked, p+"booked")
		case 8:
			return d.amount(&t.Amount)
		case 9:
			return d.object(reflect.TypeFor[kontor.CounterPart](), p+"counterPart", counterPartNames, func(i int) error {
				cp := &t.CounterPart
				switch i {
				case 0:
					return d.str(&cp.BIC, p+"counterPart.bic", memoBIC)
				case 1:
					return d.str(&cp.IBAN, p+"counterPart.iban", memoIBAN)
				case 2:
					return d.str(&cp.CreditorID, p+"counterPart.creditorId", memoCreditorID)
				}
				return d.str(&cp.Name, p+"counterPart.name", memoName)
			})
		case 10:
			return list(d, &t.Tags, p+"tags", func(tag *kontor.Tag) error {
				return d.object(reflect.TypeFor[kontor.Tag](), p+"tags", tagNames, func(i int) error {
					if i == 0 {
						return d.str(&tag.Name, p+"tags.name", memoTagName)
					}
					return d.str(&tag.Source, p+"tags.source", memoTagSource)
				})
			})
		}
		return list(d, &t.Codes, p+"codes", func(c *kontor.Code) error {
			return d.object(reflect.TypeFor[kontor.Code](), p+"codes", codeNames, func(i int) error {
				if i == 0 {
					return d.str(&c.Value, p+"codes.value", memoCodeValue)
				}
				return d.str(&c.Type, p+"codes.type", memoCodeType)
			})
		})
	})
}

func (d *loginsDecoder) standingOrder(o *kontor.StandingOrder) error {
	const p = "logins.accounts.standingOrders."
	return d.object(reflect.TypeFor[kontor.StandingOrder](), "logins.accounts.standingOrders", orderNames, func(i int) error {
		switch i {
		case 0:
			return d.str(&o.ID, p+"id", noMemo)
		case 1:
			return d.str(&o.AccountID, p+"accountID", memoAccountID)
		case 2:
			return d.timestamp(&o.CreationDate)
		case 3:
			return d.timestamp(&o.FirstExecutionDate)
		case 4:
			return d.timestamp(&o.LastExecutionDate)
		case 5:
			return d.integer(&o.ExecutionDay, p+"executionDay")
		case 6:
			return d.str(&o.Interval, p+"interval", memoInterval)
		case 7:
			return d.amount(&o.Amount)
		case 8:
			return d.str(&o.Currency, p+"currency", memoCurrency)
		}
		return d.str(&o.Purpose, p+"purpose", noMemo)
	})
}

func (d *loginsDecoder) security(s *kontor.Security) error {
	const p = "logins.accounts.securities."
	return d.object(reflect.TypeFor[kontor.Security](), "logins.accounts.securities", securityNames, func(i int) error {
		switch i {
		case 0:
			return d.str(&s.ID, p+"id", noMemo)
		case 1:
			return d.str(&s.AccountID, p+"accountID", memoAccountID)
		case 2:
			return d.amount(&s.Amount)
		case 3:
			return d.amount(&s.PriceAmount)
		case 4:
			return d.amount(&s.PurchasePriceAmount)
		case 5:
			return d.str(&s.Currency, p+"currency", memoCurrency)
		case 6:
			return d.str(&s.PriceCurrency, p+"priceCurrency", memoPriceCurrency)
		case 7:
			return d.str(&s.PurchasePriceCurrency, p+"purchasePriceCurrency", memoPurchaseCurrency)
		case 8:
			return d.amount(&s.ExchangeRate)
		case 9:
			return d.amount(&s.Quantity)
		case 10:
			return d.str(&s.ISIN, p+"isin", noMemo)
		case 11:
			return d.str(&s.Name, p+"name", noMemo)
		}
		return d.str(&s.Market, p+"market", noMemo)
	})
}

// loginsWriter writes a Get Logins response as encoding/json's Encoder
// writes logins, in chunks of about flushSize bytes.
type loginsWriter struct {
	w   io.Writer
	b   []byte
	err error
}

const flushSize = 32 << 10

// writeBuffers holds the loginsWriters' buffers between responses: every
// Get Logins needs one, of the same size.
var writeBuffers = sync.Pool{New: func() any { b := make([]byte, 0, flushSize+4<<10); return &b }}

// writeLogins writes {"logins":[...]} and a newline to w.
func writeLogins(w io.Writer, ls []kontor.Login) error {
	buf := writeBuffers.Get().(*[]byte)
	e := &loginsWriter{w: w, b: (*buf)[:0]}
	defer func() {
		if cap(e.b) <= 2*(flushSize+4<<10) { // not one grown by a huge item
			*buf = e.b[:0]
			writeBuffers.Put(buf)
		}
	}()
	e.b = append(e.b, `{"logins":`...)
	if ls == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range ls {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.login(&ls[i])
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, "}\n"...)
	e.flush()
	if e.err != nil {
		return &httpx.ResponseError{Err: e.err}
	}
	return nil
}

// flush writes what is buffered, keeping the first error.
func (e *loginsWriter) flush() {
	if e.err == nil && len(e.b) > 0 {
		_, e.err = e.w.Write(e.b)
	}
	e.b = e.b[:0]
}

// str appends a member with a string value; key includes its quotes,
// colon and any comma before it.
func (e *loginsWriter) str(key, s string) {
	e.b = jsonstr.Append(append(e.b, key...), s)
}

func (e *loginsWriter) amount(key string, a kontor.Amount) {
	e.b = a.AppendJSON(append(e.b, key...))
}

func (e *loginsWriter) time(key string, t kontor.Timestamp) {
	e.b = t.AppendJSON(append(e.b, key...))
}

// array appends a member holding the n elements that elem appends, or
// null for a nil slice.
func (e *loginsWriter) array(key string, isNil bool, n int, elem func(i int)) {
	e.b = append(e.b, key...)
	if isNil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '[')
	for i := range n {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		elem(i)
		if len(e.b) >= flushSize {
			e.flush()
		}
	}
	e.b = append(e.b, ']')
}

func (e *loginsWriter) login(l *kontor.Login) {
	e.str(`{"id":`, l.ID)
	e.str(`,"bank":{"name":`, l.Bank.Name)
	e.str(`,"bic":`, l.Bank.BIC)
	e.str(`,"bankCode":`, l.Bank.BankCode)
	e.str(`,"logo":{"url":`, l.Bank.Logo.URL)
	e.str(`,"type":`, l.Bank.Logo.Type)
	e.b = append(e.b, "}}"...)
	e.array(`,"accounts":`, l.Accounts == nil, len(l.Accounts), func(i int) { e.account(&l.Accounts[i]) })
	if l.AnalysisStatus != "" {
		e.str(`,"analysisStatus":`, string(l.AnalysisStatus))
	}
	e.b = append(e.b, '}')
}

func (e *loginsWriter) account(a *kontor.Account) {
	e.str(`{"iban":`, a.IBAN)
	e.str(`,"id":`, a.ID)
	e.str(`,"number":`, a.Number)
	e.str(`,"name":`, a.Name)
	e.str(`,"owner":`, a.Owner)
	e.str(`,"type":`, a.Type)
	e.amount(`,"balance":`, a.Balance)
	e.amount(`,"creditLine":`, a.CreditLine)
	e.amount(`,"monthlySpendingLimit":`, a.MonthlySpendingLimit)
	e.str(`,"currency":`, a.Currency)
	e.array(`,"transactions":`, a.Transactions == nil, len(a.Transactions), func(i int) { e.transaction(&a.Transactions[i]) })
	e.array(`,"standingOrders":`, a.StandingOrders == nil, len(a.StandingOrders), func(i int) { e.standingOrder(&a.StandingOrders[i]) })
	e.array(`,"securities":`, a.Securities == nil, len(a.Securities), func(i int) { e.security(&a.Securities[i]) })
	e.b = append(e.b, '}')
}

func (e *loginsWriter) transaction(t *kontor.Transaction) {
	if t.Encoded != nil {
		e.b = append(e.b, t.Encoded...)
		return
	}
	e.b = t.AppendJSON(e.b)
}

func (e *loginsWriter) standingOrder(o *kontor.StandingOrder) {
	e.str(`{"id":`, o.ID)
	e.str(`,"accountID":`, o.AccountID)
	e.time(`,"creationDate":`, o.CreationDate)
	e.time(`,"firstExecutionDate":`, o.FirstExecutionDate)
	e.time(`,"lastExecutionDate":`, o.LastExecutionDate)
	e.b = strconv.AppendInt(append(e.b, `,"executionDay":`...), int64(o.ExecutionDay), 10)
	e.str(`,"interval":`, o.Interval)
	e.amount(`,"amount":`, o.Amount)
	e.str(`,"currency":`, o.Currency)
	e.str(`,"purpose":`, o.Purpose)
	e.b = append(e.b, '}')
}

func (e *loginsWriter) security(s *kontor.Security) {
	e.str(`{"id":`, s.ID)
	e.str(`,"accountID":`, s.AccountID)
	e.amount(`,"amount":`, s.Amount)
	e.amount(`,"priceAmount":`, s.PriceAmount)
	e.amount(`,"purchasePriceAmount":`, s.PurchasePriceAmount)
	e.str(`,"currency":`, s.Currency)
	e.str(`,"priceCurrency":`, s.PriceCurrency)
	e.str(`,"purchasePriceCurrency":`, s.PurchasePriceCurrency)
	e.amount(`,"exchangeRate":`, s.ExchangeRate)
	e.amount(`,"quantity":`, s.Quantity)
	e.str(`,"isin":`, s.ISIN)
	e.str(`,"name":`, s.Name)
	e.str(`,"market":`, s.Market)
	e.b = append(e.b, '}')
}

func (h *Handler) deleteLogin(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if err := h.svc.DeleteLogin(r.Context(), c, r.PathValue("id"), r.PathValue("loginId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (h *Handler) connect(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	var req struct {
		RedirectURL string `json:"redirectURL"`
		ErrorURL    string `json:"errorURL"`
		ExitURL     string `json:"exitURL"`
		Recurring   bool   `json:"recurring"`
	}
	if err := httpx.DecodeJSON(w, r, h.cfg.MaxBodyBytes, &req); err != nil {
		return err
	}
	cr := core.ConnectRequest{RedirectURL: req.RedirectURL, ErrorURL: req.ErrorURL, ExitURL: req.ExitURL, Recurring: req.Recurring}
	if ip, ok := UserIPFrom(r.Context()); ok {
		cr.UserIP = ip.String()
	}
	_, url, err := h.svc.CreateConnectSession(r.Context(), c, r.PathValue("id"), cr)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, struct {
		RedirectURL string `json:"redirectURL"`
	}{url})
}

func (h *Handler) refreshLogin(w http.ResponseWriter, r *http.Request, c *kontor.Client) error {
	if err := h.svc.RefreshLogin(r.Context(), c, r.PathValue("id"), r.PathValue("loginId")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
