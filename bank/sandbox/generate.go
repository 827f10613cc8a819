package sandbox

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// acct is one of a login's accounts.
type acct uint8

const (
	aGiro acct = iota
	aSavings
	aCard
	aDepot
	numAccts
)

// acctKeys name the accounts in identifiers; they never change.
var acctKeys = [numAccts]string{"giro", "savings", "card", "depot"}

// kind is what an event is; it decides its texts and codes.
type kind uint8

const (
	kSalary kind = iota
	kRent
	kSavingsPlanOut
	kSavingsPlanIn
	kPocketMoney
	kAccountFee
	kInsurance
	kCarInsurance
	kTelco
	kMobile
	kEnergy
	kEnergySettlement
	kBroadcast
	kGym
	kTicket
	kCardPayment
	kNetflix
	kATM
	kRefund
	kSurplusOut
	kSurplusIn
	kTopUpOut
	kTopUpIn
	kCardSettleOut
	kCardSettleIn
	kCardPurchase
	kSpotify
	kInterest
	kShopTakings
	// Checks that run on a schedule and may emit transfers.
	kLowCheck
	kCardSettle
	kSavingsPlan
)

// event is one transaction as the simulation makes it; its texts are built
// only when it falls into the reference window.
type event struct {
	order   uint64 // output position: booked by booking day, then pending; then origin and number
	origin  day    // the day it arose: authorisation, execution; part of its ID
	booking day
	value   day
	cents   int64
	r       uint64 // random bits for its texts
	ref     int32  // kind-specific: merchant index, covered month
	seq     uint16 // number within its account and origin day; part of its ID
	kind    kind
}

// scheduled is a dated job of the simulation.
type scheduled struct {
	at   day
	kind kind
}

// ring is the length of the buffer of bookings still to come; bookings are
// never more than a few days after the event.
const ring = 32

// sim runs a persona's accounts from the epoch to the reference day.
type sim struct {
	p          *persona
	cal        []dayInfo
	asOf, from day
	today      day

	pcg *rand.PCG
	rng *rand.Rand

	bal     [numAccts]int64 // booked balance
	future  [numAccts][ring]int64
	opening [numAccts]int64 // booked balance before from
	events  [numAccts][]event
	seq     [numAccts]uint16
	jobs    []scheduled

	lastExec     map[kind]day // last execution of each standing order
	savingsSum   int64        // sum of the savings account's day-end balances this month
	savingsPrev  int64        // the same for the previous month
	cardMonthEnd int64        // the credit card's balance at the end of the previous month
	shopTakings  int64        // the "large" persona's shop takings not yet paid out
}

// simulate runs the persona's history up to asOf and keeps the events from
// from on (and all pending ones).
func simulate(p *persona, asOf, from day) *sim {
	s := &sim{
		p:        p,
		cal:      calendar(),
		asOf:     asOf,
		from:     from,
		pcg:      rand.NewPCG(0, 0),
		lastExec: map[kind]day{},
	}
	s.rng = rand.New(s.pcg)
	s.bal[aGiro], s.opening[aGiro] = p.giroStart, p.giroStart
	s.bal[aSavings], s.opening[aSavings] = p.savingsStart, p.savingsStart
	if p.dense {
		days := int(asOf-from) + 1
		s.events[aGiro] = make([]event, 0, days*160)
	}

	for d := day(0); d <= asOf; d++ {
		s.today = d
		info := s.cal[d]
		for a := range numAccts {
			s.bal[a] += s.future[a][d%ring]
			s.future[a][d%ring] = 0
			s.seq[a] = 0
		}
		s.pcg.Seed(p.seed[0]^mix(uint64(d)), p.seed[1]+uint64(d)*0x9e3779b97f4a7c15)
		if info.mday == 1 {
			s.scheduleMonth(d, info)
		}
		s.runJobs(d)
		s.daily(d, info)

		s.savingsSum += s.bal[aSavings]
		if info.monthEnd {
			s.savingsPrev, s.savingsSum = s.savingsSum, 0
			s.cardMonthEnd = s.bal[aCard]
		}
	}
	for a := range numAccts {
		slices.SortFunc(s.events[a], func(x, y event) int { return cmp.Compare(x.order, y.order) })
	}
	return s
}

// eventOrder is the sort key of an event: booked events by booking day,
// then by origin and number; pending events after them, by origin and
// number. Days are below 2^20 (the calendar ends in 2099).
func eventOrder(booking, origin, asOf day, seq uint16) uint64 {
	key := uint64(origin)<<16 | uint64(seq)
	if booking > asOf {
		return 1<<63 | key
	}
	return uint64(booking)<<36 | key
}

// emit records an event of today on account a.
func (s *sim) emit(a acct, k kind, booking, value day, cents int64, ref int32) {
	e := event{
		order:   eventOrder(booking, s.today, s.asOf, s.seq[a]),
		origin:  s.today,
		booking: booking,
		value:   value,
		cents:   cents,
		r:       s.rng.Uint64(),
		ref:     ref,
		seq:     s.seq[a],
		kind:    k,
	}
	s.seq[a]++
	if booking <= s.asOf {
		if booking == s.today {
			s.bal[a] += cents
		} else {
			s.future[a][booking%ring] += cents
		}
		if booking < s.from {
			s.opening[a] += cents
			return
		}
	}
	s.events[a] = append(s.events[a], e)
}

// emitToday records an event booked today with value date today.
func (s *sim) emitToday(a acct, k kind, cents int64) {
	s.emit(a, k, s.today, s.today, cents, 0)
}

// scheduleMonth plans the month's dated jobs on its first day.
func (s *sim) scheduleMonth(first day, info dayInfo) {
	p := s.p
	at := func(mday int) day { return nextBankDay(dayOfMonth(first, mday)) }
	add := func(d day, k kind) { s.jobs = append(s.jobs, scheduled{at: d, kind: k}) }

	add(at(1), kRent)
	add(at(1), kInsurance)
	add(at(1), kInterest)
	if info.month == 1 && p.car {
		add(at(1), kCarInsurance)
	}
	if p.gym {
		add(at(1), kGym)
	}
	if !p.car && ticketPrice(first) > 0 {
		add(at(1), kTicket)
	}
	add(at(3), kSavingsPlan)
	add(at(4), kMobile)
	if first >= p.pocketStart-30 {
		add(at(5), kPocketMoney)
	}
	add(at(5), kCardSettle)
	add(at(10), kTelco)
	add(at(15), kEnergy)
	if info.month%3 == 2 {
		add(at(15), kBroadcast)
	}
	add(at(20), kLowCheck)
	if info.month == 3 {
		add(at(20), kEnergySettlement)
	}
	// Salary and fees on the month's last bank day.
	last := dayOfMonth(first, 31)
	for !s.cal[last].bankDay {
		last--
	}
	add(last, kAccountFee)
	add(last, kSalary)
	// Subscriptions are card payments on a fixed day, bank day or not.
	add(dayOfMonth(first, p.netflixDay), kNetflix)
	add(dayOfMonth(first, p.spotifyDay), kSpotify)
}

// runJobs runs the jobs due today, in the order they were planned.
func (s *sim) runJobs(d day) {
	kept := s.jobs[:0]
	var due []scheduled
	for _, j := range s.jobs {
		if j.at == d {
			due = append(due, j)
		} else {
			kept = append(kept, j)
		}
	}
	s.jobs = kept
	for _, j := range due {
		s.run(j.kind)
	}
}

func (s *sim) between(lo, hi int64) int64 { return lo + s.rng.Int64N(hi-lo+1) }

// run executes one job of today.
func (s *sim) run(k kind) {
	p, d := s.p, s.today
	info := s.cal[d]
	switch k {
	case kSalary:
		amount := p.salary
		for y := 2018; y < int(info.year); y++ {
			amount = amount * 1020 / 1000
		}
		amount = amount * (10000 + s.between(-120, 120)) / 10000
		if info.month == 11 {
			amount += p.salary * 55 / 100 // Christmas bonus
		}
		// What is left of the month goes to savings before the salary
		// comes in.
		if surplus := (s.bal[aGiro] - p.keep) / 10000 * 10000; surplus >= 10000 {
			s.emitToday(aGiro, kSurplusOut, -surplus)
			s.emitToday(aSavings, kSurplusIn, surplus)
		}
		s.emitToday(aGiro, kSalary, amount)
	case kRent:
		if d >= p.rentStart {
			s.emitToday(aGiro, kRent, -rentAt(p, d))
			s.lastExec[kRent] = d
		}
	case kSavingsPlan:
		s.emitToday(aGiro, kSavingsPlanOut, -p.savingsPlan)
		s.emitToday(aSavings, kSavingsPlanIn, p.savingsPlan)
		s.lastExec[kSavingsPlan] = d
	case kPocketMoney:
		if dayOfMonth(d, 5) >= p.pocketStart {
			s.emitToday(aGiro, kPocketMoney, -p.pocket)
			s.lastExec[kPocketMoney] = d
		}
	case kAccountFee:
		if p.fee > 0 {
			s.emitToday(aGiro, kAccountFee, -p.fee)
		}
	case kInsurance:
		s.emitToday(aGiro, kInsurance, -p.insurance)
	case kCarInsurance:
		amount := p.carInsurance
		for y := 2018; y < int(info.year); y++ {
			amount = amount * 1030 / 1000
		}
		s.emitToday(aGiro, kCarInsurance, -amount)
	case kTelco:
		s.emitToday(aGiro, kTelco, -p.telco)
	case kMobile:
		s.emitToday(aGiro, kMobile, -p.mobile)
	case kEnergy:
		s.emitToday(aGiro, kEnergy, -energyAt(p, d))
	case kEnergySettlement:
		s.emitToday(aGiro, kEnergySettlement, s.between(-9000, 14000))
	case kBroadcast:
		s.emitToday(aGiro, kBroadcast, -broadcastQuarter(d))
	case kGym:
		s.emitToday(aGiro, kGym, -2490)
	case kTicket:
		if price := ticketPrice(d); price > 0 {
			s.emitToday(aGiro, kTicket, -price)
		}
	case kNetflix:
		s.emit(aGiro, kNetflix, addBankDays(d, 1), addBankDays(d, 1), -p.netflix, 0)
	case kSpotify:
		s.emit(aCard, kSpotify, addBankDays(d, 2), addBankDays(d, 2), -p.spotify, 0)
	case kInterest:
		if s.savingsPrev <= 0 {
			break // nothing saved yet, or the first month
		}
		monthEnd := dayOfMonth(d, 1) - 1
		rate := interestRate(monthEnd)
		if interest := s.savingsPrev * rate / (10000 * 365); interest > 0 {
			s.emit(aSavings, kInterest, d, monthEnd, interest, int32(rate))
		}
	case kCardSettle:
		if owed := -s.cardMonthEnd; owed > 0 {
			s.emitToday(aGiro, kCardSettleOut, -owed)
			s.emitToday(aCard, kCardSettleIn, owed)
			s.cardMonthEnd = 0
		}
	case kLowCheck:
		// Short of money: fetch some from savings, in whole 100 euros.
		if b := s.bal[aGiro]; b < 20000 {
			amount := max(50000, (50000-b+9999)/10000*10000)
			if s.bal[aSavings] >= amount {
				s.emitToday(aSavings, kTopUpOut, -amount)
				s.emitToday(aGiro, kTopUpIn, amount)
			}
		}
	}
}

// daily makes the day's card payments, cash withdrawals and refunds.
func (s *sim) daily(d day, info dayInfo) {
	p := s.p
	cardBooking := addBankDays(d, 1)

	// Everyday card payments: at least one on every shopping day.
	n := 0
	switch {
	case info.shopDay:
		n = 1
		if s.rng.IntN(100) < 45 {
			n++
		}
		if s.rng.IntN(100) < 15 {
			n++
		}
	case s.rng.IntN(100) < 35:
		n = 1
	}
	for range n {
		m := s.pickGiroMerchant(info.shopDay)
		mc := &giroMerchants[m]
		s.emit(aGiro, kCardPayment, cardBooking, cardBooking, -s.amount(mc.min, mc.max), int32(m))
	}

	if s.rng.IntN(100) < 4 {
		amount := []int64{5000, 5000, 10000, 10000, 15000, 20000, 30000}[s.rng.IntN(7)]
		b := nextBankDay(d)
		s.emit(aGiro, kATM, b, b, -amount, 0)
	}
	if info.bankDay && s.rng.IntN(1000) < 15 {
		s.emit(aGiro, kRefund, d, d, s.amount(1499, 12999), int32(s.rng.IntN(len(refunders))))
	}

	if p.dense {
		s.busyDay(d, info, cardBooking)
	}

	// Credit card: online shopping, now and then travel.
	if s.rng.IntN(100) < 22 {
		m := 0
		switch x := s.rng.IntN(100); {
		case x < 40:
			m = s.rng.IntN(2) // Amazon
		case x < 75:
			m = []int{2, 6, 8, 9}[s.rng.IntN(4)]
		default:
			m = []int{3, 4, 5, 7}[s.rng.IntN(4)]
		}
		mc := &cardMerchants[m]
		b := addBankDays(d, 2)
		s.emit(aCard, kCardPurchase, b, b, -s.amount(mc.min, mc.max), int32(m))
	}
}

// busyDay adds the "large" scenario's traffic: many small card payments
// every shopping day, and each bank day one credit of shop takings a
// little larger than what went out since the last one.
func (s *sim) busyDay(d day, info dayInfo, cardBooking day) {
	if info.shopDay {
		n := 140 + s.rng.IntN(21)
		for range n {
			m := s.rng.IntN(8) // groceries and bakeries
			if m == 2 && !s.p.city.south || m == 3 && s.p.city.south {
				m = 5 - m // the ALDI of the region
			}
			mc := &giroMerchants[m]
			amount := s.amount(mc.min/2, mc.max/4)
			s.shopTakings += amount
			s.emit(aGiro, kCardPayment, cardBooking, cardBooking, -amount, int32(m))
		}
	}
	if info.bankDay && s.shopTakings > 0 {
		payout := s.shopTakings * (10600 + s.between(0, 600)) / 10000
		s.shopTakings = 0
		s.emitToday(aGiro, kShopTakings, payout)
	}
}

// pickGiroMerchant chooses where an everyday card payment goes.
func (s *sim) pickGiroMerchant(shopDay bool) int {
	p := s.p
	if !shopDay { // Sundays and holidays: bakeries, restaurants, petrol
		switch x := s.rng.IntN(100); {
		case x < 45:
			return 6 + s.rng.IntN(2)
		case x < 70 || !p.car:
			return 13 + s.rng.IntN(2)
		default:
			return 10 + s.rng.IntN(3)
		}
	}
	switch x := s.rng.IntN(100); {
	case x < 50: // groceries; ALDI NORD or SUED depending on the city
		m := []int{0, 1, 2, 4, 5}[s.rng.IntN(5)]
		if m == 2 && !p.city.south {
			m = 3
		}
		return m
	case x < 64:
		return 6 + s.rng.IntN(2)
	case x < 76:
		return 8 + s.rng.IntN(2)
	case x < 84 && p.car:
		return 10 + s.rng.IntN(3)
	case x < 92:
		return 13 + s.rng.IntN(2)
	case x < 97:
		return 15 + s.rng.IntN(3)
	default:
		return 18
	}
}

// amount draws an amount in cents between lo and hi, small amounts much
// more often than large ones (a quarter of the way on average).
func (s *sim) amount(lo, hi int64) int64 {
	u := s.rng.Int64N(1000)
	return lo + (hi-lo)*u*u*u/1000000000
}

// rentAt is the rent due on day d: raised by 5 % (rounded to 5 euros) from
// 2023.
func rentAt(p *persona, d day) int64 {
	if d.info().year >= 2023 {
		return (p.rent*105/100 + 250) / 500 * 500
	}
	return p.rent
}

// energyAt is the monthly electricity instalment: up by 40 % from October
// 2022, back to 20 % above the old level from April 2024.
func energyAt(p *persona, d day) int64 {
	i := d.info()
	ym := int(i.year)*100 + int(i.month)
	switch {
	case ym >= 202404:
		return p.energy * 120 / 100 / 100 * 100
	case ym >= 202210:
		return p.energy * 140 / 100 / 100 * 100
	}
	return p.energy
}

// broadcastMonth is the monthly broadcasting fee in cents.
func broadcastMonth(year, month int) int64 {
	if year*100+month >= 202108 {
		return 1836
	}
	return 1750
}

// broadcastQuarter is the fee for the quarter whose middle month holds d.
func broadcastQuarter(d day) int64 {
	i := d.info()
	var sum int64
	for m := int(i.month) - 1; m <= int(i.month)+1; m++ {
		sum += broadcastMonth(int(i.year), m)
	}
	return sum
}

// ticketPrice is the monthly price of the nationwide public transport
// ticket, or 0 before it existed (May 2023).
func ticketPrice(d day) int64 {
	i := d.info()
	switch ym := int(i.year)*100 + int(i.month); {
	case ym >= 202601:
		return 6300
	case ym >= 202501:
		return 5800
	case ym >= 202305:
		return 4900
	}
	return 0
}

// interestRate is the savings account's interest rate on day d, in
// hundredths of a percent per year.
func interestRate(d day) int64 {
	i := d.info()
	switch ym := int(i.year)*100 + int(i.month); {
	case ym >= 202601:
		return 175
	case ym >= 202501:
		return 200
	case ym >= 202401:
		return 275
	case ym >= 202301:
		return 250
	case ym >= 202207:
		return 50
	}
	return 5
}

// mix is a bijective 64-bit mixing function (the finaliser of SplitMix64).
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
