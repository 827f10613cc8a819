package sandbox

import (
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/kontor-dev/kontor"
)

// Prices and the exchange rate follow deterministic random walks: a step
// per month from the epoch, plus a small wobble per day. Everything is
// integer arithmetic on cents (prices) and 1/10000 (rates), so results are
// exact and the same on every machine.

// walkSeed hashes a name into the seed of its random walk.
func walkSeed(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// monthIndex counts months from January 2018.
func monthIndex(d day) int {
	i := d.info()
	return (int(i.year)-2018)*12 + int(i.month) - 1
}

// walk returns start moved by one step per month up to d's month and a
// wobble for d itself. A monthly step is drift ± spread/2, a daily wobble
// ± wobble/2, both in 1/10000; the result stays within [lo, hi].
func walk(seed uint64, start, drift, spread, wobble, lo, hi int64, d day) int64 {
	v := start
	for m := range monthIndex(d) {
		x := int64(mix(seed^uint64(m)*0x2545f4914f6cdd1d) % uint64(spread+1))
		v = v * (10000 + drift + x - spread/2) / 10000
		v = min(max(v, lo), hi)
	}
	x := int64(mix(seed^uint64(d)*0x9e3779b97f4a7c15^0x5bd1e995) % uint64(wobble+1))
	v = v * (10000 + x - wobble/2) / 10000
	return min(max(v, lo), hi)
}

// priceAt returns a security's price in cents of its currency on day d.
func priceAt(s *security, d day) int64 {
	return walk(walkSeed(s.isin), s.start, s.drift, 1200, 300, 100, 10_000_000, d)
}

// usdPerEUR returns the EUR/USD rate on day d in 1/10000 (10850 = 1.0850
// US dollars for one euro).
func usdPerEUR(d day) int64 {
	return walk(walkSeed("EURUSD"), 12000, 0, 500, 60, 9600, 12500, d)
}

// holdings values the depot on the reference date and returns its
// positions and their total value in euro cents.
func (o *output) holdings() ([]kontor.Security, int64) {
	p := o.p
	d := max(o.asOf, 0)
	rate := usdPerEUR(d)
	out := make([]kontor.Security, 0, len(p.holdings))
	var total int64
	for _, h := range p.holdings {
		s := h.sec
		price := priceAt(s, d)
		bought := priceAt(s, min(h.bought, d))
		value := h.quantity * price / 1000 // cents of the security's currency
		exchange := kontor.MustParseAmount("1")
		if s.currency == "USD" {
			value = (value*10000 + rate/2) / rate
			exchange = fixed(rate, 4)
		}
		quantity := fixed(h.quantity, 3)
		if !s.fund {
			quantity = fixed(h.quantity/1000, 0)
		}
		total += value
		out = append(out, kontor.Security{
			ID:                    stableID("security", p.key, s.isin),
			AccountID:             o.ids[aDepot],
			Amount:                kontor.AmountFromCents(value),
			PriceAmount:           kontor.AmountFromCents(price),
			PurchasePriceAmount:   kontor.AmountFromCents(bought),
			Currency:              "EUR",
			PriceCurrency:         s.currency,
			PurchasePriceCurrency: s.currency,
			ExchangeRate:          exchange,
			Quantity:              quantity,
			ISIN:                  s.isin,
			Name:                  s.name,
			Market:                s.market,
		})
	}
	return out, total
}

// fixed returns units/10^scale as an Amount with that scale.
func fixed(units int64, scale int) kontor.Amount {
	neg := units < 0
	if neg {
		units = -units
	}
	s := strconv.FormatInt(units, 10)
	if scale > 0 {
		if len(s) <= scale {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if neg {
		s = "-" + s
	}
	return kontor.MustParseAmount(s)
}
