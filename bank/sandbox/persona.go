package sandbox

import (
	"encoding/binary"
	"math/rand/v2"
	"strings"
)

// persona is the invented customer behind a login: who they are, where
// they live, what they earn and pay. It depends on the login name only.
type persona struct {
	key         string // normalised login name
	seed        [2]uint64
	first, last string
	city        *city
	street      string
	house, flat int

	employer                   string
	employerIBAN, employerBIC  string
	salary                     int64 // net monthly salary in 2018, cents
	rent                       int64 // cents, before the 2023 increase
	landlord                   string
	landlordIBAN, landlordBIC  string
	rentStart                  day // first rent payment (may be before epoch)
	savingsPlan                int64
	child                      string
	childIBAN, childBIC        string
	pocket                     int64
	pocketStart                day
	car                        bool
	carInsurance               int64 // yearly
	insurance                  int64 // monthly
	telco                      int64
	mobileCreditor             string
	mobile                     int64
	energy                     int64 // monthly instalment before 2022-10
	gym                        bool
	netflix, spotify           int64
	netflixDay, spotifyDay     int
	fee                        int64 // monthly account fee
	keep                       int64 // giro balance kept when the month's surplus goes to savings
	giroStart, savingsStart    int64 // balances on epoch
	overdraft, cardLimit       int64
	giroNo, savingsNo, depotNo string
	debitCard, creditCard      string // masked card numbers
	contract                   map[string]string
	holdings                   []holding
	dense                      bool // the "large" scenario: many card payments a day, shop takings paid in
}

// holding is a depot position.
type holding struct {
	sec      *security
	quantity int64 // in thousandths
	bought   day
}

// normalise returns the form of a login name that data is derived from:
// trimmed and lower case, so that "Dummy" and "dummy" are one login.
func normalise(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

func newPersona(login string) *persona {
	key := normalise(login)
	d := digest("kontor-sandbox-persona", key)
	p := &persona{
		key:  key,
		seed: [2]uint64{binary.LittleEndian.Uint64(d[:8]), binary.LittleEndian.Uint64(d[8:16])},
	}
	r := rand.New(rand.NewPCG(p.seed[0], p.seed[1]))
	pick := func(n int) int { return r.IntN(n) }
	between := func(lo, hi int64) int64 { return lo + r.Int64N(hi-lo+1) }
	euros := func(lo, hi int64) int64 { return between(lo, hi) * 100 }

	p.first, p.last = firstNames[pick(len(firstNames))], lastNames[pick(len(lastNames))]
	p.city = &cities[pick(len(cities))]
	p.street = p.city.streets[pick(len(p.city.streets))]
	p.house, p.flat = 1+pick(180), 1+pick(12)

	p.employer = employers[pick(len(employers))]
	p.employerIBAN, p.employerBIC = counterpartyAccount("employer", p.employer)
	p.salary = euros(2400, 4000) + between(0, 99)
	p.rent = max(45000, p.salary*between(24, 34)/100/5000*5000) // a quarter to a third of the salary, in steps of 50 euros
	p.landlord = landlords[pick(len(landlords))]
	p.landlordIBAN, p.landlordBIC = counterpartyAccount("landlord", key, p.landlord)
	p.rentStart = day(-30 * (3 + pick(60)))
	p.savingsPlan = euros(1, 6) * 50
	p.child = childNames[pick(len(childNames))] + " " + p.last
	p.childIBAN, p.childBIC = counterpartyAccount("child", key, p.child)
	p.pocket = between(2, 6) * 500 // 10 … 30 euros in steps of 5
	p.pocketStart = day(200 + pick(900))
	p.car = r.IntN(3) > 0
	p.carInsurance = euros(290, 780) + between(0, 99)
	p.insurance = euros(8, 24) + between(0, 99)
	p.telco = []int64{2995, 3495, 3995, 4495, 4995}[pick(5)]
	p.mobileCreditor = []string{credVodafone, credO2}[pick(2)]
	p.mobile = []int64{999, 1499, 1999, 2499, 2999}[pick(5)]
	p.energy = euros(45, 110)
	p.gym = r.IntN(2) == 0
	p.netflix = []int64{499, 1399, 1799}[pick(3)]
	p.spotify = []int64{1099, 1499, 1799}[pick(3)]
	p.netflixDay, p.spotifyDay = 1+pick(28), 1+pick(28)
	p.fee = []int64{0, 490, 690}[pick(3)]
	p.keep = euros(200, 600)
	p.giroStart = euros(1500, 3500) + between(0, 99)
	p.savingsStart = euros(3000, 15000)
	p.overdraft = euros(10, 30) * 100
	p.cardLimit = euros(15, 50) * 100

	p.giroNo = digits(10, "giro", key)
	p.savingsNo = digits(10, "savings", key)
	p.depotNo = digits(10, "depot", key)
	p.debitCard = "4871" + "XXXXXXXX" + digits(4, "debit card", key)
	p.creditCard = "5232" + "XXXXXXXX" + digits(4, "credit card", key)
	p.contract = map[string]string{}
	for _, c := range []string{credAllianz, credHUK, credTelekom, credVodafone, credO2, credBroadcast, credGym, credTicket, "energy", "mref"} {
		p.contract[c] = digits(9, "contract", c, key)
	}

	// MSCI World through a savings plan, plus two to four shares.
	p.holdings = append(p.holdings, holding{sec: &securities[0], quantity: between(20000, 400000), bought: day(pick(1300))})
	rest := r.Perm(len(securities) - 1)
	for _, i := range rest[:2+pick(3)] {
		s := &securities[i+1]
		q := between(5, 120) * 1000
		if s.fund {
			q = between(10000, 250000)
		}
		p.holdings = append(p.holdings, holding{sec: s, quantity: q, bought: day(pick(1300))})
	}
	return p
}

// owner returns the account holder's name.
func (p *persona) owner() string { return p.first + " " + p.last }

// counterpartyAccount returns an IBAN and BIC for a counterparty, derived
// from parts: the bank is one of the catalogue's, the account number made
// up.
func counterpartyAccount(parts ...string) (iban, bic string) {
	d := digest(append([]string{"kontor-sandbox-account"}, parts...)...)
	b := banks[int(d[0])%len(banks)]
	return germanIBAN(b.code, digits(10, parts...)), b.bic
}

// creditorOf returns the creditor identifier of a direct debit creditor.
func creditorOf(name string) string {
	return germanCreditorID("0" + digits(10, "creditor", name))
}
