package fints

// This file holds fakeBank, a TEST DOUBLE: a scripted FinTS 3.0 PIN/TAN
// responder built on the wire and segment packages. It knows just enough
// of the bank side to drive the client through the dialogs under test
// (synchronisation, initialisation with BPD/UPD, HKTAN 6/7 with TAN or
// decoupled approval, touchdown paging, wrong PIN, locks) and checks the
// client's messages on the way (sizes, numbering, signatures, echoed
// touchdowns). It is not the sandbox bank and not a FinTS server.

import (
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kontor-dev/kontor"
	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
)

const (
	fakeBLZ        = "10020000"
	fakeUser       = "dummy"
	fakePIN        = "654321"
	fakeTAN        = "123456"
	fakeBPDVersion = 5
	fakeUPDVersion = 2
	giroIBAN       = "DE29100200000000012345"
	depotIBAN      = "DE02100200000000099999"
	camt052        = "urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"
	pain001        = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"
)

// Methods the fake bank can offer.
var (
	methodPush = segment.TANMethod{SecurityFunction: "921", Process: 2, DKMethod: "App", Name: "pushTAN",
		MaxTANLength: 6, TANFormat: 1, ReturnValueText: "TAN", MaxReturnLength: 6, TimeAndDialog: 1, InitMode: "00", ActiveMedia: 1}
	methodSMS = segment.TANMethod{SecurityFunction: "920", Process: 2, DKMethod: "mobileTAN", Name: "smsTAN",
		MaxTANLength: 6, TANFormat: 1, ReturnValueText: "TAN", MaxReturnLength: 6, TimeAndDialog: 1, InitMode: "00",
		MediumRequired: segment.MediumRequired, ActiveMedia: 2}
	methodApp = segment.TANMethod{SecurityFunction: "946", Process: 2, DKMethod: "Decoupled", Name: "App-Freigabe",
		TimeAndDialog: 1, InitMode: "00", ChallengeHTML: true, MaxStatusQueries: 10, AutomatedQueries: true, ManualConfirm: true}
)

// scenario scripts the fake bank.
type scenario struct {
	V6, V7  []segment.TANMethod // methods in HITANS v6 and v7
	Allowed []string            // 3920 for the user
	InitSCA string              // "", "tan" or "decoupled"
	JobSCA  map[string]bool     // jobs that need SCA
	Pending int                 // 3956 answers before a decoupled approval
	// BothCodes sends 0030 beside 3955, as DKB does.
	BothCodes bool
	Pages     int // MT940 pages (default 1)
	NoCamt    bool
	NoMT940   bool
	Media     []string // TAN media names for HKTAB
	// LockCode answers every personal message with this code.
	LockCode int
	// NoAnonymous answers anonymous dialogs with 9400.
	NoAnonymous bool
	// RefuseJobs answers these jobs with 9210; AbortJob answers this job
	// with 9800, ending the dialog.
	RefuseJobs map[string]bool
	AbortJob   string
}

// fakeRequest records one client message.
type fakeRequest struct {
	Dialog   string
	Number   int
	Profile  int
	Function string
	PIN, TAN string
	Segments []wire.Segment
}

// types lists the segment types of the request, with versions for HKTAN.
func (r fakeRequest) types() string {
	var ts []string
	for _, s := range r.Segments {
		t := s.Header.Type
		if t == "HKTAN" {
			h, _ := segment.DecodeHKTAN(s)
			t = fmt.Sprintf("HKTAN%d(%s%s)", s.Header.Version, h.Process, strings.TrimSuffix(":"+h.SegmentType, ":"))
		}
		ts = append(ts, t)
	}
	return strings.Join(ts, " ")
}

type fakeDialog struct {
	id         string
	last       int
	authorised bool
	sendUPD    bool
	parked     *parkedTask
}

type parkedTask struct {
	ref       string
	init      bool
	job       wire.Segment
	decoupled bool
	polls     int
}

// fakeBank is the TEST DOUBLE described at the top of this file: a
// scripted FinTS responder on an httptest server, for client tests only.
type fakeBank struct {
	t        testing.TB
	sc       scenario
	srv      *httptest.Server
	mu       sync.Mutex
	dialogs  map[string]*fakeDialog
	seq      int
	requests []fakeRequest
	pages    [][]byte
}

// newFakeBank starts the fake bank on a loopback HTTP server.
func newFakeBank(t testing.TB, sc scenario) *fakeBank {
	if sc.Pages == 0 {
		sc.Pages = 1
	}
	b := &fakeBank{t: t, sc: sc, dialogs: map[string]*fakeDialog{}}
	whole := []byte("\r\n:20:STARTUMSE\r\n:25:10020000/12345\r\n:28C:0\r\n:60F:C250301EUR1041,23\r\n" +
		":61:2503100310CR500,00NTRFNONREF\r\n:86:166?00GUTSCHRIFT?20EREF+1'2?+3?30FINODEB1XXX?32M\xfcller\r\n" +
		":61:2503110311DR17,50NDDTNONREF\r\n:86:105?00LASTSCHRIFT?20SVWZ+Strom @ 1:2\r\n:62F:C250311EUR1523,73\r\n-\r\n")
	n := len(whole) / sc.Pages
	for i := range sc.Pages {
		end := (i + 1) * n
		if i == sc.Pages-1 {
			end = len(whole)
		}
		b.pages = append(b.pages, whole[i*n:end])
	}
	b.srv = httptest.NewServer(b)
	t.Cleanup(b.srv.Close)
	return b
}

// mt940 is the whole booked MT940 the bank serves.
func (b *fakeBank) mt940() []byte { return slices.Concat(b.pages...) }

// expireDialogs forgets every dialog, as after a bank-side timeout.
func (b *fakeBank) expireDialogs() {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.dialogs)
}

// log returns the recorded requests.
func (b *fakeBank) log() []fakeRequest {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.requests)
}

func (b *fakeBank) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	raw, err := base64.StdEncoding.DecodeString(string(body))
	if err != nil {
		b.t.Errorf("fake bank: body is not base64: %v", err)
		http.Error(w, "base64", http.StatusBadRequest)
		return
	}
	m, err := wire.ParseMessage(raw)
	if err != nil {
		b.t.Errorf("fake bank: %v in %q", err, wire.Redact(raw))
		http.Error(w, "parse", http.StatusBadRequest)
		return
	}
	if m.Size != len(raw) {
		b.t.Errorf("fake bank: HNHBK says %d bytes, message has %d", m.Size, len(raw))
	}
	b.mu.Lock()
	ans := b.answer(m)
	b.mu.Unlock()
	out, err := ans.Marshal()
	if err != nil {
		b.t.Errorf("fake bank: %v", err)
		http.Error(w, "marshal", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, base64.StdEncoding.EncodeToString(out))
}

// reply collects the return codes and data of one answer.
type reply struct {
	msg   []wire.ReturnCode
	order []int
	seg   map[int][]wire.ReturnCode
	data  []wire.Segment
}

func rc(code int, text string, params ...string) wire.ReturnCode {
	return wire.ReturnCode{Code: code, Text: text, Params: params}
}

func (r *reply) rms(ref int, codes ...wire.ReturnCode) {
	if r.seg == nil {
		r.seg = map[int][]wire.ReturnCode{}
	}
	if _, ok := r.seg[ref]; !ok {
		r.order = append(r.order, ref)
	}
	r.seg[ref] = append(r.seg[ref], codes...)
}

func (r *reply) add(segs ...wire.Segment) { r.data = append(r.data, segs...) }

func (r *reply) segments() []wire.Segment {
	msg := r.msg
	if len(msg) == 0 {
		msg = []wire.ReturnCode{rc(10, "Nachricht entgegengenommen.")}
		for _, codes := range r.seg {
			for _, c := range codes {
				if c.IsError() {
					msg = []wire.ReturnCode{rc(9050, "Die Nachricht enthält Fehler.")}
				}
			}
		}
	}
	out := []wire.Segment{wire.NewReturnSegment("HIRMG", 0, msg...)}
	for _, ref := range r.order {
		out = append(out, wire.NewReturnSegment("HIRMS", ref, r.seg[ref]...))
	}
	return append(out, r.data...)
}

// answer builds the bank's answer to m.
func (b *fakeBank) answer(m *wire.Message) *wire.Message {
	req := fakeRequest{Dialog: m.DialogID, Number: m.Number, Segments: m.Segments}
	if s := m.Security; s != nil {
		req.Profile, req.Function, req.PIN, req.TAN = s.Profile, s.Function, s.PIN.Reveal(), s.TAN.Reveal()
	}
	b.requests = append(b.requests, req)

	var d *fakeDialog
	if m.DialogID == "0" {
		if m.Number != 1 {
			b.t.Errorf("fake bank: new dialog starts with message %d", m.Number)
		}
		b.seq++
		d = &fakeDialog{id: fmt.Sprintf("DLG:%d+x", b.seq)}
		b.dialogs[d.id] = d
	} else if d = b.dialogs[m.DialogID]; d == nil {
		return b.wrap(m, "unbekannt", &reply{msg: []wire.ReturnCode{rc(9800, "Dialog abgebrochen - Dialog unbekannt")}})
	}
	if m.Number != d.last+1 {
		b.t.Errorf("fake bank: dialog %s got message %d after %d", d.id, m.Number, d.last)
	}
	d.last = m.Number

	r := &reply{}
	if m.Security != nil {
		if stop := b.checkPIN(d, m, r); stop {
			return b.wrap(m, d.id, r)
		}
	}
	for i, s := range m.Segments {
		var next *wire.Segment
		if i+1 < len(m.Segments) {
			next = &m.Segments[i+1]
		}
		b.handle(d, m, s, next, r)
	}
	return b.wrap(m, d.id, r)
}

// checkPIN answers locked accesses and wrong PINs; it reports whether the
// message is done with.
func (b *fakeBank) checkPIN(d *fakeDialog, m *wire.Message, r *reply) bool {
	first := m.Segments[0].Header.Number
	switch {
	case b.sc.LockCode == 3938:
		r.rms(first, rc(3938, "Zugang vorläufig gesperrt - Bitte PIN-Sperre aufheben."))
		return false
	case b.sc.LockCode != 0:
		r.msg = []wire.ReturnCode{rc(9800, "Dialog abgebrochen")}
		r.rms(first, rc(b.sc.LockCode, "Sperrung des Kontos nach 3 Fehlversuchen."))
	case m.Security.PIN.Reveal() != fakePIN:
		r.msg = []wire.ReturnCode{rc(9050, "Die Nachricht enthält Fehler."), rc(9800, "Dialog abgebrochen")}
		r.rms(first, rc(9942, "PIN ungültig"))
	default:
		return false
	}
	delete(b.dialogs, d.id)
	return true
}

func (b *fakeBank) handle(d *fakeDialog, m *wire.Message, s wire.Segment, next *wire.Segment, r *reply) {
	n := s.Header.Number
	switch s.Header.Type {
	case "HKIDN":
		h, err := segment.DecodeHKIDN(s)
		if err != nil {
			b.t.Errorf("fake bank: %v", err)
		}
		if h.CustomerID == segment.AnonymousCustomerID && b.sc.NoAnonymous {
			r.msg = []wire.ReturnCode{rc(9800, "Dialog abgebrochen")}
			r.rms(n, rc(9400, "Der anonyme Dialog wird nicht unterstützt."))
		}
		if m.Security != nil && h.SystemID != "0" && !strings.HasPrefix(h.SystemID, "SYS") {
			b.t.Errorf("fake bank: unknown system ID %q", h.SystemID)
		}
	case "HKVVB":
		h, _ := segment.DecodeHKVVB(s)
		if h.ProductID == "" {
			b.t.Error("fake bank: HKVVB without product ID")
		}
		codes := []wire.ReturnCode{rc(20, "Der Auftrag wurde ausgeführt.")}
		if h.BPDVersion != fakeBPDVersion {
			r.add(b.bpd(n)...)
			codes = append(codes, rc(3050, "BPD nicht mehr aktuell, aktuelle Version enthalten."))
		}
		if m.Security != nil {
			codes = append(codes, rc(3920, "Zugelassene Zwei-Schritt-Verfahren für den Benutzer.", b.sc.Allowed...))
			if m.Security.Function != "999" && !slices.Contains(b.sc.Allowed, m.Security.Function) {
				r.msg = []wire.ReturnCode{rc(9800, "Dialog abgebrochen")}
				codes = append(codes, rc(9955, "Verfahren nicht zugelassen"))
			}
			_, sync := wire.Find(m.Segments, "HKSYN")
			d.sendUPD = h.UPDVersion != fakeUPDVersion && !sync
			if _, ok := wire.Find(m.Segments, "HKTAN"); !ok && d.sendUPD {
				r.add(b.upd(n)...)
			}
		}
		r.rms(n, codes...)
	case "HKSYN":
		if m.Security == nil || m.Security.Function != "999" || m.Security.Profile != 1 {
			b.t.Errorf("fake bank: HKSYN not signed with PIN:1/999: %v", m.Security)
		}
		b.seq++
		r.add(segment.HISYN{Ref: n, SystemID: fmt.Sprintf("SYS+%d:?x", b.seq)}.Segment())
		r.rms(n, rc(20, "Kundensystem-ID wurde erzeugt."))
	case "HKTAN":
		b.handleTAN(d, m, s, r)
	case "HKEND":
		h, _ := segment.DecodeHKEND(s)
		if h.DialogID != d.id {
			b.t.Errorf("fake bank: HKEND for %q in dialog %q", h.DialogID, d.id)
		}
		r.rms(n, rc(100, "Dialog beendet."))
		delete(b.dialogs, d.id)
	default:
		if next != nil && next.Is("HKTAN") {
			return // answered with the HKTAN decision
		}
		if b.sc.JobSCA[s.Header.Type] && !d.authorised {
			r.rms(n, rc(9075, "Starke Kundenauthentifizierung notwendig."))
			return
		}
		b.job(s, n, r)
	}
}

func (b *fakeBank) handleTAN(d *fakeDialog, m *wire.Message, s wire.Segment, r *reply) {
	n := s.Header.Number
	h, err := segment.DecodeHKTAN(s)
	if err != nil {
		b.t.Errorf("fake bank: %v", err)
		return
	}
	method := b.method(m)
	if h.Version != b.tanVersion(method.SecurityFunction) && m.Security != nil {
		b.t.Errorf("fake bank: HKTAN version %d for method %s", h.Version, method.SecurityFunction)
	}
	switch h.Process {
	case segment.ProcessStart:
		if method.MediumRequired == segment.MediumRequired && h.SegmentType != "HKTAB" && !slices.Contains(b.sc.Media, h.MediumName) {
			r.rms(n, rc(9210, "TAN-Medium unbekannt"))
			return
		}
		var job wire.Segment
		needs := false
		switch h.SegmentType {
		case "HKIDN":
			needs = b.sc.InitSCA != "" && m.Security != nil
		case "HKTAB":
		default:
			i := slices.IndexFunc(m.Segments, func(x wire.Segment) bool { return x.Is(h.SegmentType) })
			if i < 0 {
				r.rms(n, rc(9210, "Segmentkennung passt nicht zum Auftrag"))
				return
			}
			job = m.Segments[i]
			needs = b.sc.JobSCA[h.SegmentType] && !d.authorised
		}
		if !needs {
			r.rms(n, rc(3076, "Keine starke Authentifizierung erforderlich."))
			r.add(segment.HITAN{Version: h.Version, Ref: n, Process: "4", TaskRef: segment.NoTaskRef, Challenge: segment.NoChallenge}.Segment())
			if h.SegmentType == "HKIDN" && d.sendUPD {
				r.add(b.upd(n)...)
			}
			if job.Header.Type != "" {
				b.job(job, job.Header.Number, r)
			}
			return
		}
		b.seq++
		p := &parkedTask{ref: fmt.Sprintf("REF:%d+?", b.seq), init: h.SegmentType == "HKIDN", job: job,
			decoupled: method.IsDecoupled()}
		d.parked = p
		tan := segment.HITAN{Version: h.Version, Ref: n, Process: "4", TaskRef: p.ref,
			ValidUntil: time.Now().Add(10 * time.Minute).Truncate(time.Second)}
		if p.decoupled {
			tan.Challenge = "Bitte bestätigen Sie den Vorgang in Ihrer <b>App</b>."
			codes := []wire.ReturnCode{rc(3955, "Sicherheitsfreigabe erfolgt über anderen Kanal.")}
			if b.sc.BothCodes {
				codes = append([]wire.ReturnCode{rc(30, "Auftrag empfangen - Sicherheitsfreigabe erforderlich")}, codes...)
			}
			r.rms(n, codes...)
		} else {
			tan.Challenge = "Ihre TAN lautet " + fakeTAN
			tan.ChallengeHHDUC = photoChallenge()
			r.rms(n, rc(30, "Auftrag empfangen - Sicherheitsfreigabe erforderlich"))
		}
		r.add(tan.Segment())
	case segment.ProcessSubmit, segment.ProcessStatus:
		p := d.parked
		if p == nil || p.ref != h.TaskRef {
			r.rms(n, rc(9210, "Auftragsreferenz unbekannt"))
			return
		}
		if h.SegmentType != "" {
			b.t.Errorf("fake bank: HKTAN process %s with Segmentkennung %s", h.Process, h.SegmentType)
		}
		if h.Process == segment.ProcessStatus {
			if !p.decoupled || h.Version < 7 {
				b.t.Errorf("fake bank: status query for a non-decoupled task or HKTAN %d", h.Version)
			}
			p.polls++
			if p.polls <= b.sc.Pending {
				r.rms(n, rc(3956, "Starke Kundenauthentifizierung noch ausstehend."))
				r.add(segment.HITAN{Version: h.Version, Ref: n, Process: "S", TaskRef: p.ref, Challenge: segment.NoChallenge}.Segment())
				return
			}
		} else if !p.decoupled && m.Security.TAN.Reveal() != fakeTAN {
			r.rms(n, rc(9941, "TAN ungültig"))
			return
		}
		d.parked, d.authorised = nil, true
		r.rms(n, rc(20, "Der Auftrag wurde ausgeführt."), rc(900, "Freigabe erfolgreich"))
		r.add(segment.HITAN{Version: h.Version, Ref: n, Process: h.Process, TaskRef: p.ref}.Segment())
		if p.init {
			r.add(b.upd(n)...)
		} else {
			b.job(p.job, n, r)
		}
	}
}

// method returns the method a message is signed with.
func (b *fakeBank) method(m *wire.Message) segment.TANMethod {
	if m.Security == nil {
		return segment.TANMethod{}
	}
	for _, x := range slices.Concat(b.sc.V7, b.sc.V6) {
		if x.SecurityFunction == m.Security.Function {
			return x
		}
	}
	return segment.TANMethod{}
}

// tanVersion returns the highest HITANS version listing the method.
func (b *fakeBank) tanVersion(code string) int {
	for _, m := range b.sc.V7 {
		if m.SecurityFunction == code {
			return 7
		}
	}
	for _, m := range b.sc.V6 {
		if m.SecurityFunction == code {
			return 6
		}
	}
	return 6
}

// job answers one job segment; ref is the segment the answer refers to.
func (b *fakeBank) job(s wire.Segment, ref int, r *reply) {
	v := s.Header.Version
	ok := rc(20, "Der Auftrag wurde ausgeführt.")
	switch {
	case b.sc.RefuseJobs[s.Header.Type]:
		r.rms(ref, rc(9210, "Zeitraum hier nicht erlaubt"))
		return
	case b.sc.AbortJob == s.Header.Type:
		r.msg = []wire.ReturnCode{rc(9800, "Dialog abgebrochen")}
		r.rms(ref, rc(9010, "Verarbeitung nicht möglich"))
		return
	}
	switch s.Header.Type {
	case "HKSPA":
		r.add(segment.HISPA{Version: v, Ref: ref, Accounts: []segment.SEPAAccount{
			{SEPA: true, Account: segment.Account{IBAN: giroIBAN, BIC: "FINODEB1XXX", Number: "12345", Country: "280", BankCode: fakeBLZ}},
			{SEPA: false, Account: segment.Account{IBAN: depotIBAN, BIC: "FINODEB1XXX", Number: "99999", Country: "280", BankCode: fakeBLZ}},
		}}.Segment())
		r.rms(ref, ok)
	case "HKSAL":
		h, err := segment.DecodeHKSAL(s)
		if err != nil || h.Account.Number != "12345" || (v >= 7 && h.Account.IBAN != giroIBAN) {
			b.t.Errorf("fake bank: HKSAL for %+v, %v", h.Account, err)
		}
		pending := segment.Balance{Amount: kontor.MustParseAmount("-12.5"), Currency: "EUR", Date: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)}
		r.add(segment.HISAL{Version: v, Ref: ref, Account: h.Account, Product: "Girokonto", Currency: "EUR",
			Booked:     segment.Balance{Amount: kontor.MustParseAmount("1523.17"), Currency: "EUR", Date: time.Date(2025, 3, 10, 0, 0, 0, 0, time.UTC)},
			Pending:    &pending,
			CreditLine: &segment.Money{Amount: kontor.MustParseAmount("2000"), Currency: "EUR"},
			Available:  &segment.Money{Amount: kontor.MustParseAmount("3510.67"), Currency: "EUR"},
		}.Segment())
		r.rms(ref, ok)
	case "HKKAZ":
		h, err := segment.DecodeHKKAZ(s)
		if err != nil || h.From.IsZero() {
			b.t.Errorf("fake bank: HKKAZ %+v, %v", h, err)
		}
		page := 0
		if h.Touchdown != "" {
			if _, err := fmt.Sscanf(h.Touchdown, "P%d:", &page); err != nil || h.Touchdown != touchdown(page) {
				b.t.Errorf("fake bank: touchdown %q not echoed exactly", h.Touchdown)
				r.rms(ref, rc(9210, "Aufsetzpunkt ungültig"))
				return
			}
		}
		kaz := segment.HIKAZ{Version: v, Ref: ref, Booked: b.pages[page]}
		if page+1 < len(b.pages) {
			r.add(kaz.Segment())
			r.rms(ref, rc(3040, "Es liegen weitere Informationen vor.", touchdown(page+1)))
			return
		}
		kaz.Pending = []byte(":20:STARTDISPO\r\n:61:2503120312DR9,99NDDTNONREF\r\n-\r\n")
		r.add(kaz.Segment())
		r.rms(ref, ok)
	case "HKCAZ":
		h, err := segment.DecodeHKCAZ(s)
		if err != nil || !slices.Contains(h.Formats, camt052) || h.Account.IBAN != giroIBAN {
			b.t.Errorf("fake bank: HKCAZ %+v, %v", h, err)
		}
		r.add(segment.HICAZ{Version: v, Ref: ref, Account: h.Account, Format: camt052,
			Booked:  [][]byte{[]byte("<Document><BkToCstmrAcctRpt>1</BkToCstmrAcctRpt></Document>"), []byte("<Document>2</Document>")},
			Pending: []byte("<Document>pending</Document>")}.Segment())
		r.rms(ref, ok)
	case "HKWPD":
		h, _ := segment.DecodeHKWPD(s)
		if h.Account.Number != "99999" {
			b.t.Errorf("fake bank: HKWPD for %+v", h.Account)
		}
		r.add(segment.HIWPD{Version: v, Ref: ref, Holdings: []byte(":16R:GENL\r\n:28E:1/ONLY\r\n:16S:GENL\r\n")}.Segment())
		r.rms(ref, ok)
	case "HKCDB":
		h, _ := segment.DecodeHKCDB(s)
		if !slices.Contains(h.Formats, pain001) {
			b.t.Errorf("fake bank: HKCDB formats %v", h.Formats)
		}
		for i := 1; i <= 2; i++ {
			r.add(segment.HICDB{Version: v, Ref: ref, Account: h.Account, Format: pain001,
				Pain: []byte(fmt.Sprintf("<Document><CtrlSum>%d.00</CtrlSum></Document>", 10*i)), OrderID: fmt.Sprintf("SO-%d", i),
				Schedule: segment.Schedule{FirstExecution: time.Date(2025, 1, i, 0, 0, 0, 0, time.UTC), Unit: "M", Interval: i, Day: i}}.Segment())
		}
		r.rms(ref, ok)
	case "HKTAB":
		var media []segment.TANMedium
		for _, name := range b.sc.Media {
			media = append(media, segment.TANMedium{Class: "M", Status: segment.MediumActive, Name: name, PhoneMasked: "**** 1234"})
		}
		media = append(media, segment.TANMedium{Class: "G", Status: segment.MediumAvailable, Name: "Ersatzkarte"})
		r.add(segment.HITAB{Version: v, Ref: ref, Usage: 1, Media: media}.Segment())
		r.rms(ref, ok)
	default:
		r.rms(ref, rc(9210, "Geschäftsvorfall nicht unterstützt"))
	}
}

// touchdown returns the continuation token of a page; it holds every
// character that needs escaping.
func touchdown(page int) string { return fmt.Sprintf("P%d:a+b'c?d@e", page) }

// photoChallenge is an HHD_UC image challenge.
func photoChallenge() []byte {
	mime := "image/png"
	img := []byte("\x89PNG\r\n\x1a\nfake")
	b := []byte{0, byte(len(mime))}
	b = append(b, mime...)
	b = append(b, 0, byte(len(img)))
	return append(b, img...)
}

// bpd returns the bank parameter data.
func (b *fakeBank) bpd(ref int) []wire.Segment {
	segs := []wire.Segment{
		segment.HIBPA{Ref: ref, Version: fakeBPDVersion, Bank: segment.BankID{Country: "280", Code: fakeBLZ}, BankName: "fino Bank",
			MaxJobs: 3, Languages: []int{1}, HBCIVersions: []int{300}}.Segment(),
		segment.HIKOM{Ref: ref, Bank: segment.BankID{Country: "280", Code: fakeBLZ}, Language: 1,
			Access: []segment.CommParams{{Service: 3, Address: "bank.invalid/fints", Filter: "MIM", FilterVersion: 1}}}.Segment(),
		segment.HIPINS{Ref: ref, MaxJobs: 1, MinSignatures: 1, MinPINLength: 5, MaxPINLength: 10, MaxTANLength: 6, UserIDText: "Login",
			Jobs: []segment.JobTAN{{Job: "HKSPA"}, {Job: "HKSAL", TAN: true}, {Job: "HKKAZ", TAN: true}, {Job: "HKCAZ", TAN: true},
				{Job: "HKWPD"}, {Job: "HKCDB"}, {Job: "HKTAB"}, {Job: "HKTAN"}}}.Segment(),
		parseOne(b.t, "HITANS:9:5:4+1+1+1+J:N:0:999:1:X:Y:Z'"), // a version the client must skip
		parseOne(b.t, "DIKKUS:10:2:4+1+1+0+J:N'"),              // bank-private
		segment.Params{Type: "HISPAS", Version: 1, Ref: ref, MaxJobs: 1, MinSignatures: 1,
			Params: segment.SEPAParams{SingleAccount: true, NationalAccount: true, Formats: []string{pain001}}.Element(1)}.Segment(),
		segment.Params{Type: "HISALS", Version: 5, Ref: ref, MaxJobs: 3, MinSignatures: 1}.Segment(),
		segment.Params{Type: "HISALS", Version: 7, Ref: ref, MaxJobs: 1, MinSignatures: 1}.Segment(),
		segment.Params{Type: "HIWPDS", Version: 6, Ref: ref, MaxJobs: 1, MinSignatures: 1,
			Params: segment.HoldingsParams{MaxEntriesAllowed: true}.Element()}.Segment(),
		segment.Params{Type: "HICDBS", Version: 1, Ref: ref, MaxJobs: 1, MinSignatures: 1, Params: wire.Element{wire.Bool(true)}}.Segment(),
		segment.Params{Type: "HITABS", Version: 5, Ref: ref, MaxJobs: 1, MinSignatures: 1}.Segment(),
	}
	if len(b.sc.V6) > 0 {
		segs = append(segs, segment.HITANS{Version: 6, Ref: ref, MaxJobs: 1, MinSignatures: 1, OneStepAllowed: true, Methods: b.sc.V6}.Segment())
	}
	if len(b.sc.V7) > 0 {
		segs = append(segs, segment.HITANS{Version: 7, Ref: ref, MaxJobs: 1, MinSignatures: 1, OneStepAllowed: true, Methods: b.sc.V7}.Segment())
	}
	if !b.sc.NoMT940 {
		for _, v := range []int{6, 7} {
			segs = append(segs, segment.Params{Type: "HIKAZS", Version: v, Ref: ref, MaxJobs: 1, MinSignatures: 1,
				Params: segment.StatementParams{RetentionDays: 450, MaxEntriesAllowed: true}.Element(v)}.Segment())
		}
	}
	if !b.sc.NoCamt {
		segs = append(segs, segment.Params{Type: "HICAZS", Version: 1, Ref: ref, MaxJobs: 1, MinSignatures: 1,
			Params: segment.CamtParams{RetentionDays: 450, Formats: []string{camt052}}.Element()}.Segment())
	}
	return segs
}

// upd returns the user parameter data: a giro account and a depot.
func (b *fakeBank) upd(ref int) []wire.Segment {
	giroJobs := []segment.AllowedJob{{Job: "HKSPA", MinSignatures: 1}, {Job: "HKSAL", MinSignatures: 1}, {Job: "HKKAZ", MinSignatures: 1},
		{Job: "HKCAZ", MinSignatures: 1}, {Job: "HKCDB", MinSignatures: 1}, {Job: "HKTAN", MinSignatures: 1}}
	return []wire.Segment{
		segment.HIUPA{Ref: ref, UserID: fakeUser, Version: fakeUPDVersion, Usage: segment.UPDJobsListed}.Segment(),
		segment.HIUPD{Ref: ref, Account: segment.Account{Number: "12345", Country: "280", BankCode: fakeBLZ, IBAN: giroIBAN},
			CustomerID: fakeUser, Type: 1, Currency: "EUR", Owner1: "Max Mustermann", Product: "Girokonto", Jobs: giroJobs,
			Extension: `{"umsltzt":"2025-03-10"}`}.Segment(),
		segment.HIUPD{Ref: ref, Account: segment.Account{Number: "99999", Country: "280", BankCode: fakeBLZ},
			CustomerID: fakeUser, Type: 30, Currency: "EUR", Owner1: "Max Mustermann", Product: "Depot",
			Jobs: []segment.AllowedJob{{Job: "HKWPD", MinSignatures: 1}}}.Segment(),
	}
}

// wrap puts the reply into the bank's message envelope.
func (b *fakeBank) wrap(m *wire.Message, dialogID string, r *reply) *wire.Message {
	out := &wire.Message{DialogID: dialogID, Number: m.Number, Ref: &wire.MessageRef{DialogID: m.DialogID, Number: m.Number},
		Segments: r.segments()}
	for i := range out.Segments {
		// Keep the references the reply set; Marshal renumbers.
		out.Segments[i].Header.Number = 0
	}
	if m.Security != nil {
		out.Security = &wire.Security{Profile: m.Security.Profile, Function: "998", Party: 2, Unsigned: true,
			BankCode: fakeBLZ, UserID: fakeUser, SystemID: m.Security.SystemID}
	}
	return out
}

func parseOne(t testing.TB, s string) wire.Segment {
	t.Helper()
	segs, err := wire.ParseSegments([]byte(s))
	if err != nil || len(segs) != 1 {
		t.Fatalf("parsing %q: %v", s, err)
	}
	return segs[0]
}
