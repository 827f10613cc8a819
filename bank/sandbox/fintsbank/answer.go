package fintsbank

import (
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// answer collects the bank message that answers one client message: the
// return codes per client segment (HIRMS), message-level codes (HIRMG)
// and the data segments, in the order they were produced.
type answer struct {
	// msgCodes are extra message-level codes (HIRMG).
	msgCodes []wire.ReturnCode
	rets     []*segReturns
	data     []wire.Segment
	// abort adds 9800: the dialog is over.
	abort bool
}

// segReturns are the codes of one HIRMS.
type segReturns struct {
	ref   int
	codes []wire.ReturnCode
}

// ret adds codes to the HIRMS for client segment ref.
func (a *answer) ret(ref int, codes ...wire.ReturnCode) {
	for _, r := range a.rets {
		if r.ref == ref {
			r.codes = append(r.codes, codes...)
			return
		}
	}
	a.rets = append(a.rets, &segReturns{ref: ref, codes: codes})
}

// msg adds message-level codes.
func (a *answer) msg(codes ...wire.ReturnCode) { a.msgCodes = append(a.msgCodes, codes...) }

// add appends data segments.
func (a *answer) add(segs ...wire.Segment) { a.data = append(a.data, segs...) }

// hasError reports whether any code so far is an error.
func (a *answer) hasError() bool {
	for _, c := range a.msgCodes {
		if c.IsError() {
			return true
		}
	}
	for _, r := range a.rets {
		for _, c := range r.codes {
			if c.IsError() {
				return true
			}
		}
	}
	return a.abort
}

// segments returns HIRMG, the HIRMS and the data segments.
func (a *answer) segments() []wire.Segment {
	var segErr, segWarn, msgErr bool
	for _, r := range a.rets {
		for _, c := range r.codes {
			segErr = segErr || c.IsError()
			segWarn = segWarn || c.IsWarning()
		}
	}
	for _, c := range a.msgCodes {
		msgErr = msgErr || c.IsError()
	}
	var head []wire.ReturnCode
	switch {
	case segErr:
		head = append(head, rc(9050, "Die Nachricht enthält Fehler."))
	case !msgErr && !a.abort:
		head = append(head, rc(10, "Nachricht entgegengenommen."))
	}
	if segWarn {
		head = append(head, rc(3060, "Bitte beachten Sie die enthaltenen Warnungen/Hinweise."))
	}
	head = append(head, a.msgCodes...)
	if a.abort && !hasCode(head, 9800) {
		head = append(head, rc(9800, "Dialog abgebrochen"))
	}
	out := []wire.Segment{wire.NewReturnSegment("HIRMG", 0, head...)}
	for _, r := range a.rets {
		if len(r.codes) > 0 {
			out = append(out, wire.NewReturnSegment("HIRMS", r.ref, r.codes...))
		}
	}
	return append(out, a.data...)
}

func hasCode(codes []wire.ReturnCode, code int) bool {
	for _, c := range codes {
		if c.Code == code {
			return true
		}
	}
	return false
}
