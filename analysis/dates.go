package analysis

import (
	"time"

	"github.com/kontor-dev/kontor"
)

// Dates are calendar days. A booking date is read as the day it has in
// UTC, the way Kontor's connectors store it (midnight UTC).

// day is a calendar day counted from 1970-01-01.
type day int32

const secondsPerDay = 24 * 60 * 60

func dayOf(t time.Time) day {
	y, m, d := t.UTC().Date()
	return day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

func (d day) time() time.Time {
	return time.Unix(int64(d)*secondsPerDay, 0).UTC()
}

func (d day) timestamp() kontor.Timestamp { return kontor.TimestampOf(d.time()) }

// month is a calendar month counted from year 0: year*12 + month-1.
type month int32

func monthOfDay(d day) month {
	y, m, _ := d.time().Date()
	return month(y*12 + int(m) - 1)
}

func monthOf(t time.Time) month {
	y, m, _ := t.UTC().Date()
	return month(y*12 + int(m) - 1)
}

// String returns the month as "2006-01".
func (m month) String() string {
	return m.first().time().Format("2006-01")
}

// first returns the first day of the month.
func (m month) first() day {
	return dayOf(time.Date(int(m)/12, time.Month(int(m)%12+1), 1, 0, 0, 0, 0, time.UTC))
}

// last returns the last day of the month.
func (m month) last() day { return (m + 1).first() - 1 }

// daysIn returns the number of days in the month.
func (m month) daysIn() int { return int((m + 1).first() - m.first()) }

// addMonths returns the day n months after d on the same day of the
// month, or on the month's last day when the month is shorter: 31 January
// plus one month is 28 (or 29) February.
func addMonths(d day, n int) day {
	y, mo, dd := d.time().Date()
	target := month(y*12+int(mo)-1) + month(n)
	if limit := target.daysIn(); dd > limit {
		dd = limit
	}
	return target.first() + day(dd-1)
}

// onDay returns the day of month m with day-of-month dom, or the month's
// last day when it is shorter.
func onDay(m month, dom int) day {
	if limit := m.daysIn(); dom > limit {
		dom = limit
	}
	return m.first() + day(dom-1)
}

// weekday returns the day of the week.
func (d day) weekday() time.Weekday {
	return time.Weekday(((int(d)+4)%7 + 7) % 7) // 1970-01-01 was a Thursday
}

// businessDay returns d, or the Monday after it when d falls on a weekend.
func (d day) businessDay() day {
	switch d.weekday() {
	case time.Saturday:
		return d + 2
	case time.Sunday:
		return d + 1
	}
	return d
}
