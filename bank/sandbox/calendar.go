package sandbox

import (
	"sync"
	"time"
)

// epoch is the first day of every sandbox history: all accounts open on it,
// and the generator runs forward from it, so the history of a login is the
// same whatever reference date it is asked for.
var epoch = time.Date(2018, time.January, 1, 0, 0, 0, 0, time.UTC)

// lastYear is the last year the calendar covers; later reference dates are
// treated as its last day.
const lastYear = 2099

// day counts days since epoch.
type day int32

// dayInfo describes one calendar day.
type dayInfo struct {
	year     int16
	month    uint8 // 1–12
	mday     uint8 // 1–31
	weekday  time.Weekday
	bankDay  bool // banks book: Monday to Friday, not a holiday, not 24 or 31 December
	shopDay  bool // shops open: not Sunday, not a public holiday
	monthEnd bool // last day of its month
}

var calendar = sync.OnceValue(buildCalendar)

func buildCalendar() []dayInfo {
	n := int(time.Date(lastYear+1, time.January, 1, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24)
	cal := make([]dayInfo, n)
	t := epoch
	holidays := map[[2]int]bool{}
	year := 0
	for i := range cal {
		y, m, d := t.Date()
		if y != year {
			year = y
			clear(holidays)
			for _, h := range publicHolidays(y) {
				holidays[[2]int{int(h.Month()), h.Day()}] = true
			}
		}
		wd := t.Weekday()
		holiday := holidays[[2]int{int(m), d}]
		next := t.AddDate(0, 0, 1)
		cal[i] = dayInfo{
			year:     int16(y),
			month:    uint8(m),
			mday:     uint8(d),
			weekday:  wd,
			bankDay:  wd != time.Saturday && wd != time.Sunday && !holiday && !(m == time.December && (d == 24 || d == 31)),
			shopDay:  wd != time.Sunday && !holiday,
			monthEnd: next.Month() != m,
		}
		t = next
	}
	return cal
}

// publicHolidays returns Germany's nationwide public holidays of a year.
func publicHolidays(year int) []time.Time {
	easter := easterSunday(year)
	date := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	return []time.Time{
		date(time.January, 1),
		easter.AddDate(0, 0, -2), // Good Friday
		easter.AddDate(0, 0, 1),  // Easter Monday
		date(time.May, 1),
		easter.AddDate(0, 0, 39), // Ascension
		easter.AddDate(0, 0, 50), // Whit Monday
		date(time.October, 3),
		date(time.December, 25),
		date(time.December, 26),
	}
}

// easterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the anonymous Gregorian algorithm).
func easterSunday(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	dd := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), dd, 0, 0, 0, 0, time.UTC)
}

// dayOf returns the day of t's calendar date in UTC, clamped to the
// calendar; it is negative for dates before epoch.
func dayOf(t time.Time) day {
	y, m, d := t.UTC().Date()
	n := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(epoch).Hours() / 24
	if max := float64(len(calendar()) - 40); n > max {
		n = max // keep room for the bookings after the last day
	}
	return day(n)
}

// date returns the day as midnight UTC.
func (d day) date() time.Time {
	return time.Unix(epoch.Unix()+int64(d)*86400, 0).UTC()
}

func (d day) info() dayInfo { return calendar()[d] }

// nextBankDay returns the first bank day on or after d.
func nextBankDay(d day) day {
	cal := calendar()
	for !cal[d].bankDay {
		d++
	}
	return d
}

// addBankDays returns the n-th bank day after d (n ≥ 1).
func addBankDays(d day, n int) day {
	for ; n > 0; n-- {
		d = nextBankDay(d + 1)
	}
	return d
}

// dayOfMonth returns the day with the given day of month in d's month, or
// the month's last day when the month is shorter.
func dayOfMonth(d day, mday int) day {
	info := d.info()
	first := d - day(info.mday) + 1
	target := first + day(mday) - 1
	cal := calendar()
	for target > first && cal[target].month != info.month {
		target--
	}
	return target
}

// appendDate appends d as YYYY-MM-DD.
func appendDate(b []byte, d day) []byte {
	i := d.info()
	b = appendPadded(b, int(i.year), 4)
	b = append(b, '-')
	b = appendPadded(b, int(i.month), 2)
	b = append(b, '-')
	return appendPadded(b, int(i.mday), 2)
}

// appendDateDE appends d as DD.MM.YYYY.
func appendDateDE(b []byte, d day) []byte {
	i := d.info()
	b = appendPadded(b, int(i.mday), 2)
	b = append(b, '.')
	b = appendPadded(b, int(i.month), 2)
	b = append(b, '.')
	return appendPadded(b, int(i.year), 4)
}

// appendMonth appends d's month as MM/YYYY.
func appendMonth(b []byte, d day) []byte {
	i := d.info()
	b = appendPadded(b, int(i.month), 2)
	b = append(b, '/')
	return appendPadded(b, int(i.year), 4)
}

// appendPadded appends n with at least width digits.
func appendPadded(b []byte, n, width int) []byte {
	var buf [20]byte
	i := len(buf)
	for n > 0 || i == len(buf) {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	for len(buf)-i < width {
		i--
		buf[i] = '0'
	}
	return append(b, buf[i:]...)
}
