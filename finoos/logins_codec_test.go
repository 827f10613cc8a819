package finoos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/internal/httpx"
)

// TestLoginsCodecKnowsTypes fails when the domain types' JSON fields
// change: the Set Logins and Get Logins codec must learn the change (and
// loginsFields with it), or it falls back to encoding/json.
func TestLoginsCodecKnowsTypes(t *testing.T) {
	for typ, want := range loginsFields {
		if got := jsonFields(typ); got != want {
			t.Errorf("%v has the JSON fields\n\t%s\nbut the codec knows\n\t%s", typ, got, want)
		}
	}
	if !fastLogins {
		t.Error("the hand-written Set Logins and Get Logins codec is off")
	}
}

// texts are strings with everything JSON treats specially.
var texts = []string{"", "Girokonto", "REWE Markt GmbH", `Zitat "x"`, `C:\pfad`, "<b>&</b>", "Zeile\nZeile\tTab\x01",
	"Überweisung für Grüße", "sep\u2028", "bad\xffutf8", "DE89370400440532013000", "EUR", "transactionCode", "\U0001F600"}

var amounts = []string{"0", "24.99", "-0.10", "200", "2004.41", "-123456789.123456789", "0.001"}

// randomLogins makes logins with every field set or left empty at random,
// nil and empty slices, zero and non-zero timestamps.
func randomLogins(rng *rand.Rand, n int) []kontor.Login {
	text := func() string { return texts[rng.IntN(len(texts))] }
	amount := func() kontor.Amount { return kontor.MustParseAmount(amounts[rng.IntN(len(amounts))]) }
	ts := func() kontor.Timestamp {
		if rng.IntN(4) == 0 {
			return kontor.Timestamp{}
		}
		return kontor.TimestampOf(time.Unix(rng.Int64N(2e9), int64(rng.IntN(3))*250_000_000))
	}
	count := func(max int) (int, bool) { // length, and whether nil
		switch rng.IntN(4) {
		case 0:
			return 0, true
		case 1:
			return 0, false
		}
		return 1 + rng.IntN(max), false
	}
	ls := make([]kontor.Login, n)
	for i := range ls {
		l := &ls[i]
		l.ID, l.Bank = text(), kontor.Bank{Name: text(), BIC: text(), BankCode: text(), Logo: kontor.Logo{URL: text(), Type: text()}}
		if rng.IntN(2) == 0 {
			l.AnalysisStatus = kontor.AnalysisDone
		}
		if na, isNil := count(3); !isNil {
			l.Accounts = make([]kontor.Account, na)
		}
		for ai := range l.Accounts {
			a := &l.Accounts[ai]
			*a = kontor.Account{IBAN: text(), ID: text(), Number: text(), Name: text(), Owner: text(), Type: text(),
				Balance: amount(), CreditLine: amount(), MonthlySpendingLimit: amount(), Currency: text()}
			if nt, isNil := count(20); !isNil {
				a.Transactions = make([]kontor.Transaction, nt)
			}
			for ti := range a.Transactions {
				t := kontor.Transaction{ID: text(), AccountID: text(), BookingDate: ts(), ValueDate: ts(), Currency: text(),
					MRef: text(), Purpose: text(), Booked: rng.IntN(2) == 0, Amount: amount(),
					CounterPart: kontor.CounterPart{BIC: text(), IBAN: text(), CreditorID: text(), Name: text()}}
				if nt, isNil := count(3); !isNil {
					t.Tags = make([]kontor.Tag, nt)
					for gi := range t.Tags {
						t.Tags[gi] = kontor.Tag{Name: text(), Source: text()}
					}
				}
				if nc, isNil := count(3); !isNil {
					t.Codes = make([]kontor.Code, nc)
					for ci := range t.Codes {
						t.Codes[ci] = kontor.Code{Value: text(), Type: text()}
					}
				}
				a.Transactions[ti] = t
			}
			if no, isNil := count(3); !isNil {
				a.StandingOrders = make([]kontor.StandingOrder, no)
			}
			for oi := range a.StandingOrders {
				a.StandingOrders[oi] = kontor.StandingOrder{ID: text(), AccountID: text(), CreationDate: ts(),
					FirstExecutionDate: ts(), LastExecutionDate: ts(), ExecutionDay: rng.IntN(32), Interval: text(),
					Amount: amount(), Currency: text(), Purpose: text()}
			}
			if ns, isNil := count(3); !isNil {
				a.Securities = make([]kontor.Security, ns)
			}
			for si := range a.Securities {
				a.Securities[si] = kontor.Security{ID: text(), AccountID: text(), Amount: amount(), PriceAmount: amount(),
					PurchasePriceAmount: amount(), Currency: text(), PriceCurrency: text(), PurchasePriceCurrency: text(),
					ExchangeRate: amount(), Quantity: amount(), ISIN: text(), Name: text(), Market: text()}
			}
		}
	}
	return ls
}

// manyTransactions returns n random transactions.
func manyTransactions(rng *rand.Rand, n int) []kontor.Transaction {
	var all []kontor.Transaction
	for len(all) < n {
		for _, a := range randomLogins(rng, 1)[0].Accounts {
			all = append(all, a.Transactions...)
		}
	}
	return all[:n]
}

// TestWriteLoginsLikeJSON checks that writeLogins writes what
// encoding/json's Encoder writes, byte for byte.
func TestWriteLoginsLikeJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	cases := [][]kontor.Login{nil, {}, {{}}}
	for range 300 {
		cases = append(cases, randomLogins(rng, rng.IntN(3)))
	}
	big := randomLogins(rng, 1)
	big[0].Accounts = []kontor.Account{{Transactions: manyTransactions(rng, 20_000)}}
	cases = append(cases, big) // several flushes
	for _, ls := range cases {
		var want, got bytes.Buffer
		if err := json.NewEncoder(&want).Encode(logins{Logins: &ls}); err != nil {
			t.Fatal(err)
		}
		if err := writeLogins(&got, ls); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			i := 0
			for i < min(got.Len(), want.Len()) && got.Bytes()[i] == want.Bytes()[i] {
				i++
			}
			t.Fatalf("writeLogins differs from encoding/json at byte %d:\ngot  %.200s\nwant %.200s", i, got.Bytes()[i:], want.Bytes()[i:])
		}
	}
}

// decodeBoth decodes a Set Logins body with the streaming decoder and with
// encoding/json (DecodeJSON), as setLogins would.
func decodeBoth(body []byte) (fast, std logins, fastErr, stdErr error) {
	const limit = 1 << 30
	fastErr = httpx.DecodeStream(httptest.NewRecorder(), httptest.NewRequest("POST", "/", bytes.NewReader(body)), limit,
		func(rd *httpx.Reader) error { return (&loginsDecoder{rd: rd}).body(&fast) })
	stdErr = httpx.DecodeJSON(httptest.NewRecorder(), httptest.NewRequest("POST", "/", bytes.NewReader(body)), limit, &std)
	return
}

// decodeInParts decodes a Set Logins body with the streaming decoder as
// setLogins would from src, at most limit bytes, reading every list of
// transactions in parts of size bytes, or none in parts when size is 0.
func decodeInParts(src io.Reader, limit int64, size int) (req logins, err error) {
	r := httptest.NewRequest("POST", "/", src)
	err = httpx.DecodeStream(httptest.NewRecorder(), r, limit, func(rd *httpx.Reader) error {
		d := &loginsDecoder{rd: rd}
		d.parts.from, d.parts.size, d.parts.whole = 1, size, size == 0
		return d.body(&req)
	})
	return req, err
}

// partSizes are the sizes of parts the tests read lists in: an element
// each, a few, many.
var partSizes = []int{1, 300, 8 << 10}

// checkParts checks that reading lists in parts decodes body exactly as
// reading them whole: equal values, or the same error in the same words.
func checkParts(t *testing.T, body []byte, limit int64) {
	t.Helper()
	whole, wholeErr := decodeInParts(bytes.NewReader(body), limit, 0)
	for _, size := range partSizes {
		got, err := decodeInParts(bytes.NewReader(body), limit, size)
		if fmt.Sprint(err) != fmt.Sprint(wholeErr) {
			t.Fatalf("%.300q, limit %d, parts of %d bytes: error %v, read whole %v", body, limit, size, err, wholeErr)
		}
		if err == nil && !reflect.DeepEqual(got, whole) {
			t.Fatalf("%.300q, parts of %d bytes: decodes differently from read whole", body, size)
		}
	}
}

// checkDecode checks that both decoders accept body or both reject it,
// and that what they accept they decode to equal values; and that the
// streaming decoder decodes it the same in parts.
func checkDecode(t *testing.T, body []byte) {
	t.Helper()
	checkParts(t, body, 1<<30)
	fast, std, fastErr, stdErr := decodeBoth(body)
	if (fastErr == nil) != (stdErr == nil) {
		t.Fatalf("%.300q: streaming decoder error %v, encoding/json error %v", body, fastErr, stdErr)
	}
	if fastErr != nil {
		if kontor.ErrorCode(fastErr) != kontor.ErrorCode(stdErr) {
			t.Fatalf("%.300q: error codes %s and %s", body, kontor.ErrorCode(fastErr), kontor.ErrorCode(stdErr))
		}
		return
	}
	if !reflect.DeepEqual(fast, std) {
		f, _ := json.Marshal(fast)
		s, _ := json.Marshal(std)
		t.Fatalf("%.300q decodes differently:\nstreaming     %.500s\nencoding/json %.500s", body, f, s)
	}
}

// variants rewrites a JSON body in ways encoding/json reads the same or
// rejects: keys in other cases, escaped strings, whitespace, nulls,
// duplicate keys, wrong types.
var variants = []func(string) string{
	func(s string) string { return s },
	func(s string) string { return strings.ReplaceAll(s, `"id":`, `"ID":`) },
	func(s string) string { return strings.ReplaceAll(s, `"accountID":`, `"ACCOUNTid":`) },
	func(s string) string { return strings.ReplaceAll(s, `"bankCode":`, `"BANKCODE" : `) },
	func(s string) string { return strings.ReplaceAll(s, `"purpose":`, `"pur\u0070ose":`) },
	func(s string) string { return strings.ReplaceAll(s, `,"`, ",\n\t \"") },
	func(s string) string { return strings.ReplaceAll(s, `"currency":"EUR"`, `"currency":null`) },
	func(s string) string { return strings.ReplaceAll(s, `"tags":[`, `"tags":null,"tags":[`) },
	func(s string) string { return strings.ReplaceAll(s, `"codes":`, `"codes":[{"value":"x"}],"codes":`) },
	func(s string) string { return strings.ReplaceAll(s, `"bank":{`, `"bank":null,"bank":{`) },
	func(s string) string { return strings.ReplaceAll(s, `"booked":true`, `"booked":"yes"`) },
	func(s string) string { return strings.ReplaceAll(s, `"booked":false`, `"booked":null`) },
	func(s string) string { return strings.ReplaceAll(s, `"executionDay":`, `"executionDay":1.5,"x":`) },
	func(s string) string {
		return strings.Replace(s, `"executionDay":`, `"executionDay":1e2,"executionDay":`, 1)
	},
	func(s string) string { return strings.Replace(s, `"amount":`, `"amount":"1",`, 1) },
	func(s string) string { return strings.Replace(s, `"amount":`, `"amount":null,"amount":`, 1) },
	func(s string) string { return strings.Replace(s, `"amount":`, `"amount":{"a":[1]},"amount":`, 1) },
	func(s string) string {
		return strings.Replace(s, `"bookingDate":`, `"bookingDate":"2020-05-26T19:11:22+02:00","bookingDate":`, 1)
	},
	func(s string) string {
		return strings.Replace(s, `"bookingDate":`, `"bookingDate":"\u0032020-05-26T19:11:22Z","bookingDate":`, 1)
	},
	func(s string) string { return strings.Replace(s, `"valueDate":`, `"valueDate":[],"valueDate":`, 1) },
	func(s string) string { return strings.Replace(s, `"name":`, `"name":12,"name":`, 1) },
	func(s string) string { return strings.Replace(s, `"logo":`, `"logo":"x","logo":`, 1) },
	func(s string) string { return strings.Replace(s, `"accounts":`, `"accounts":{},"accounts":`, 1) },
	func(s string) string { return strings.Replace(s, `"iban":`, `"ibanx":1,"iban":`, 1) },
	func(s string) string {
		return strings.Replace(s, `"analysisStatus":`, `"analysisStatus":null,"analysisStatus":`, 1)
	},
	func(s string) string { return strings.Replace(s, `{"id"`, `{"source":"upload","id"`, 1) },
	func(s string) string { return s[:len(s)/2] },
	func(s string) string { return s + " {}" },
	func(s string) string { return strings.Replace(s, `,`, `,,`, 1) },
}

// TestDecodeLoginsLikeJSON decodes random bodies and their variants with
// both decoders.
func TestDecodeLoginsLikeJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		ls := randomLogins(rng, rng.IntN(3))
		body, err := json.Marshal(logins{Logins: &ls})
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range variants {
			checkDecode(t, []byte(v(string(body))))
		}
	}
	for _, body := range decodeCorpus {
		checkDecode(t, []byte(body))
	}
	// Long arrays, where the decoder sizes slices from the body's length,
	// in several accounts of several logins.
	ls := randomLogins(rng, 2)
	for i := range ls {
		ls[i].Accounts = []kontor.Account{{Transactions: manyTransactions(rng, 3000)}, {Transactions: manyTransactions(rng, 700)}}
	}
	body, err := json.Marshal(logins{Logins: &ls})
	if err != nil {
		t.Fatal(err)
	}
	checkDecode(t, body)
}

// decodeCorpus are bodies of every shape the handler must judge as
// encoding/json does.
var decodeCorpus = []string{
	``, ` `, `null`, `{}`, `[]`, `"x"`, `1`, `{"logins":null}`, `{"logins":[]}`, `{"LOGINS":[{}]}`, `{"logins":{}}`,
	`{"logins":"x"}`, `{"logins":[null]}`, `{"logins":[1]}`, `{"logins":[{"accounts":[null,{}]}]}`, `{"logins":[],"logins":null}`,
	`{"logins":[{"id":"a"}],"logins":[{"bank":{"name":"b"}}]}`, `{"logins":[{"id":"a"},{"id":"b"}],"logins":[{}]}`,
	`{"logins":[{"accounts":[{"transactions":[{"amount":24.99,"booked":true}]}]}]}`, `{"logins":[]} {}`, `{"logins":[]}x`,
	`{"logins":[{"accounts":[{"transactions":[{"amount":NaN}]}]}]}`, `{"logins":[{"accounts":[{"balance":1234567890.12345678901234}]}]}`,
	`{"logins":[{"accounts":[{"standingOrders":[{"executionDay":99999999999999999999}]}]}]}`, `{"logins":[{"id":"\ud800"}]}`,
	`{"logins":[{"accounts":[{"transactions":[{"tags":[{"name":"a","source":"b","x":1}]}]}]}]}`, `{"logins":[{"Source":"x"}]}`,
	`{"logins":[{"bank":{"logo":{"URL":"u","TYPE":"t"}}}]}`, `{"logins":[{"accounts":[{"transactions":[{"counterPart":null}]}]}]}`,
	`{"logins":[{"accounts":[{"transactions":[{"bookingDate":null,"valueDate":"2020-05-26"}]}]}]}`, `{"ſ":1}`, `{"logins":[{"ıd":"x"}]}`,
	`{"logins":[{"accounts":[{"transactions":[{"amount":-0,"currency":"\u20ac"}]}]}]}`, `{"logins":[{"id":"x","id":null}]}`,
	// Lists of transactions with what reading them in parts must judge as
	// reading them whole does.
	txList(`{"id":"a"},null,{"id":"b"}`), txList(`{"id":"a"},7,{"id":"b"}`), txList(`{"id":"a"} {"id":"b"}`), txList(`{"id":"a"},]`),
	txList(`{"id":"a"},{"id":"b"`), txList(`{"id":"a"},{"id":"b"]}`), txList(`{"id":"a"},{"id":"b","purpose":"}]\"{"}`),
	txList(`{"id":"a"},{"id":"b","tags":[{"name":"x"}}]`), txList(`{"id":"a"},{"id":"b\u0001"}`), txList(`{"id":"a"},{"id":"b` + "\x01" + `"}`),
	txList(`{"id":"a"},{"amount":tru}`), txList(`{"id":"a"},{"booked":tru}`), txList(`{"id":"a"},{"amount":12`), txList(`"x"`),
	txList(`{"id":"a"},{"id":"b"},{"purpose":"\\"},{"purpose":"\\\""}`), txList(` { "id" : "a" } , { "id" : "b" } `),
	`{"logins":[{"accounts":[{"transactions":[{"id":"a"}],"transactions":[{"id":"b"},{"purpose":"c"}]}]}]}`,
}

// txList is a body with one list of transactions, the text of whose
// elements is elems, and its closing bracket.
func txList(elems string) string {
	return `{"logins":[{"id":"L1","accounts":[{"id":"A1","transactions":[` + elems + `]}]}]}`
}

// TestDecodeLoginsMessages checks that the streaming decoder words the
// errors it shares with encoding/json the same way.
func TestDecodeLoginsMessages(t *testing.T) {
	tx := func(field string) string {
		return `{"logins":[{"id":"L1","accounts":[{"id":"A1","transactions":[{"id":"T1",` + field + `}]}]}]}`
	}
	for _, body := range []string{
		``, `[]`, `{"logins":{"id":"L1"}}`, `{"logins":[{"id":"L1",]}`, tx(`"amount":"24.99"`), tx(`"amount":1234567890.12345678901234`),
		tx(`"bookingDate":"26.05.2020"`), tx(`"booked":"yes"`), tx(`"ammount":12`), `{"logins":[]} {}`, `{"logins":`,
		`{"logins":[{"accounts":[{"standingOrders":[{"executionDay":1.5}]}]}]}`, tx(`"tags":{}`), tx(`"counterPart":[]`),
	} {
		_, _, fastErr, stdErr := decodeBoth([]byte(body))
		got, want := kontor.ErrorMessage(fastErr), kontor.ErrorMessage(stdErr)
		if strings.HasPrefix(want, "Bad request. Malformed JSON at byte") {
			want = "Bad request. Malformed JSON at byte" // offsets are counted differently
			got = got[:min(len(got), len(want))]
		}
		if got != want {
			t.Errorf("%s:\nstreaming     %s\nencoding/json %s", body, got, want)
		}
	}
}

// FuzzDecodeLogins compares both decoders on any body.
func FuzzDecodeLogins(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20 {
		ls := randomLogins(rng, 1)
		body, _ := json.Marshal(logins{Logins: &ls})
		if len(body) < 4000 {
			f.Add(body)
		}
	}
	for _, body := range decodeCorpus {
		f.Add([]byte(body))
	}
	f.Fuzz(checkDecode)
}

// BenchmarkLoginsCodec compares the codec with encoding/json on a login
// with 10,000 transactions.
func BenchmarkLoginsCodec(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	ls := randomLogins(rng, 1)
	ls[0].Accounts = []kontor.Account{{ID: "A1", Transactions: manyTransactions(rng, 10_000)}}
	body, _ := json.Marshal(logins{Logins: &ls})
	b.Run("decode/streaming", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var req logins
			if err := (&loginsDecoder{rd: httpx.NewReader(bytes.NewReader(body))}).body(&req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("decode/encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var req logins
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/streaming", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := writeLogins(discard{}, ls); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encode/encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := json.NewEncoder(discard{}).Encode(logins{Logins: &ls}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// TestDecodeSizesSlices checks that the decoder sizes slices tightly: a
// list of one element takes one element, and a long list little more than
// its length, so that an upload does not take more memory than it must.
func TestDecodeSizesSlices(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"logins":[{"id":"L1","accounts":[{"id":"A1","transactions":[`)
	const n = 5000
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"id":"T` + strings.Repeat("x", i%7) + `","amount":-1.5,"codes":[{"value":"105","type":"transactionCode"}],"tags":[]}`)
	}
	b.WriteString(`]}]}]}`)
	for _, size := range []int{0, 1, 8 << 10} { // whole, and in parts
		req, err := decodeInParts(strings.NewReader(b.String()), 1<<30, size)
		if err != nil {
			t.Fatal(err)
		}
		txs := (*req.Logins)[0].Accounts[0].Transactions
		if len(txs) != n || cap(txs) > n*11/10 {
			t.Errorf("parts of %d bytes: %d transactions in a slice of capacity %d", size, len(txs), cap(txs))
		}
		for _, tx := range txs {
			if cap(tx.Codes) != 1 || tx.Tags == nil || cap(tx.Tags) != 0 {
				t.Fatalf("codes of capacity %d, tags %v of capacity %d", cap(tx.Codes), tx.Tags, cap(tx.Tags))
			}
		}
	}
}

// BenchmarkDecodeUpload decodes a Set Logins body shaped like a bank's
// export: 20,000 transactions of plain German text.
func BenchmarkDecodeUpload(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"logins":[{"id":"L1","bank":{"name":"fino Bank","bic":"SUBSDE71","bankCode":"70199901","logo":{"url":"","type":""}},"accounts":[{"iban":"DE64100200007791587578","id":"A1","currency":"EUR","transactions":[`)
	const n = 20_000
	for i := range n {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"T%d","accountID":"A1","bookingDate":"2024-12-31T00:00:00Z","valueDate":"2024-12-31T00:00:00Z","currency":"EUR","mref":"MREF%d","purpose":"Amazon EU S.a.r.l. Bestellung %d","booked":true,"amount":-%d.%02d,"counterPart":{"bic":"COBADEFFXXX","iban":"DE89370400440532013000","creditorId":"","name":"REWE Markt GmbH"},"tags":[],"codes":[{"value":"%d","type":"transactionCode"}]}`, i, 100000+i, i, i%1000, i%100, 100+i%90)
	}
	sb.WriteString(`]}]}]}`)
	body := []byte(sb.String())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var req logins
		rd := httpx.NewReader(bytes.NewReader(body))
		rd.SetSize(int64(len(body)))
		if err := (&loginsDecoder{rd: rd}).body(&req); err != nil {
			b.Fatal(err)
		}
	}
}

// failAfter is a body whose reading fails after n bytes, as a connection
// that breaks.
type failAfter struct {
	body []byte
	n    int
}

var errBroken = errors.New("connection reset")

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.body) == 0 || f.n == 0 {
		return 0, errBroken
	}
	k := min(len(p), f.n, len(f.body))
	copy(p, f.body[:k])
	f.body, f.n = f.body[k:], f.n-k
	return k, nil
}

// TestDecodeInPartsWhereverItStops cuts a body with lists of transactions
// at every byte, by its end, by the size limit and by a broken
// connection, and checks that reading the lists in parts fails as reading
// them whole does.
func TestDecodeInPartsWhereverItStops(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	ls := randomLogins(rng, 1)
	ls[0].Accounts = []kontor.Account{{ID: "A1", Transactions: manyTransactions(rng, 12)}, {ID: "A2", Transactions: manyTransactions(rng, 5)}}
	body, err := json.Marshal(logins{Logins: &ls})
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, body, 1<<30)
	for n := range len(body) {
		checkParts(t, body[:n], 1<<30)
		checkParts(t, body, int64(n))
		whole, wholeErr := decodeInParts(&failAfter{body: body, n: n}, 1<<30, 0)
		if !errors.Is(wholeErr, errBroken) && kontor.ErrorCode(wholeErr) != kontor.EINVALID {
			t.Fatalf("cut at %d: %v, %v", n, whole, wholeErr)
		}
		for _, size := range partSizes {
			if _, err := decodeInParts(&failAfter{body: body, n: n}, 1<<30, size); fmt.Sprint(err) != fmt.Sprint(wholeErr) {
				t.Fatalf("connection broken after %d bytes, parts of %d: error %v, read whole %v", n, size, err, wholeErr)
			}
		}
	}
}
