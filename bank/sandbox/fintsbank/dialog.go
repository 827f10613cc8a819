package fintsbank

import (
	"crypto/rand"
	"crypto/subtle"
	"slices"
	"sync"
	"time"

	"github.com/kontor-dev/kontor/bank/fints/segment"
	"github.com/kontor-dev/kontor/bank/fints/wire"
	"github.com/kontor-dev/kontor/bank/sandbox"
)

// maxPINFailures wrong PINs in a row lock a login for the dialog TTL.
const maxPINFailures = 3

// dialog is the bank's state of one FinTS dialog.
type dialog struct {
	mu sync.Mutex

	id        string
	anonymous bool
	// lastMsg is the number of the last message received.
	lastMsg  int
	lastUsed time.Time
	closed   bool

	// Personal dialogs: who, and how they sign.
	scenario   sandbox.Scenario
	userID     string
	customerID string
	systemID   string
	oneStep    bool
	method     sandbox.TANMethod
	// updVersion is the UPD version the client holds (HKVVB).
	updVersion int

	// authorised is set once SCA is done (or not needed) for the dialog;
	// tabOnly marks a dialog opened for HKTAB, which may list TAN media
	// but nothing else.
	authorised bool
	tabOnly    bool
	// exempt is set when the login authenticated strongly from the
	// dialog's system ID within sandbox.SCAExemptionPeriod: account
	// information needs no new SCA (see exemption.go).
	exempt bool
	// pending is the open TAN process.
	pending *task

	// asOf is when the dialog started: its data is generated for that day.
	asOf time.Time
	// listings caches paged job answers by job key; touchdowns maps the
	// touchdowns handed out to their continuation.
	listings   map[string]*listing
	touchdowns map[string]cursor
}

// cursor is where the next page of a paged job starts.
type cursor struct {
	key  string
	next int
}

// task is a TAN process waiting for the TAN or the decoupled approval.
type task struct {
	ref string
	// forInit is set for the dialog initialisation; otherwise job is the
	// parked job segment.
	forInit bool
	job     wire.Segment
	tan     string
	created time.Time
	polls   int
	wrong   int
}

// pinFailures counts a login's wrong PINs in a row.
type pinFailures struct {
	count       int
	lockedUntil time.Time
}

// Challenge validity and the number of wrong TANs a task survives.
const (
	challengeTTL = 10 * time.Minute
	maxWrongTANs = 3
)

// respond answers one raw client message.
func (s *server) respond(raw []byte) []byte {
	msg, err := wire.ParseMessage(raw)
	if err != nil {
		return abortMessage("0", 1, rc(9110, "Nachricht nicht lesbar: unbekannter Aufbau"))
	}
	if msg.DialogID == "0" {
		return s.open(msg)
	}
	d := s.lookup(msg.DialogID)
	if d == nil {
		return s.reply(nil, msg, &answer{abort: true, msgCodes: []wire.ReturnCode{rc(9800, "Dialog unbekannt oder abgelaufen")}})
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	now := s.cfg.Now()
	if d.closed {
		return s.reply(d, msg, &answer{abort: true, msgCodes: []wire.ReturnCode{rc(9800, "Dialog bereits beendet")}})
	}
	if msg.Number != d.lastMsg+1 {
		s.drop(d)
		return s.reply(d, msg, &answer{abort: true, msgCodes: []wire.ReturnCode{
			rc(9120, "Nachrichtennummer ungültig: erwartet "+itoa(d.lastMsg+1))}})
	}
	d.lastMsg, d.lastUsed = msg.Number, now
	a := &answer{}
	if !d.anonymous {
		sec := msg.Security
		if sec == nil || sec.Unsigned {
			s.drop(d)
			a.abort = true
			a.msg(rc(9340, "Signatur fehlt"))
			return s.reply(d, msg, a)
		}
		if !d.scenario.CheckPIN(sec.PIN.Reveal()) {
			s.pinFailed(d.scenario, now)
			s.drop(d)
			a.abort = true
			a.msg(rc(9340, "Signatur ungültig: PIN falsch"))
			return s.reply(d, msg, a)
		}
	}
	s.process(d, msg, a, nil)
	return s.reply(d, msg, a)
}

// open handles the first message of a dialog: HKIDN, HKVVB and what
// follows them.
func (s *server) open(msg *wire.Message) []byte {
	now := s.cfg.Now()
	a := &answer{}
	if msg.Number != 1 {
		a.abort = true
		a.msg(rc(9120, "Nachrichtennummer ungültig: erwartet 1"))
		return s.reply(nil, msg, a)
	}
	idnSeg, ok := msg.Find("HKIDN")
	vvbSeg, ok2 := msg.Find("HKVVB")
	if !ok || !ok2 {
		a.abort = true
		a.msg(rc(9110, "Dialoginitialisierung erwartet: HKIDN und HKVVB fehlen"))
		return s.reply(nil, msg, a)
	}
	idn, err := segment.DecodeHKIDN(idnSeg)
	if err != nil {
		a.abort = true
		a.ret(idnSeg.Header.Number, rc(9110, "Ungültiger Segmentaufbau"))
		return s.reply(nil, msg, a)
	}
	vvb, err := segment.DecodeHKVVB(vvbSeg)
	if err != nil {
		a.abort = true
		a.ret(vvbSeg.Header.Number, rc(9110, "Ungültiger Segmentaufbau"))
		return s.reply(nil, msg, a)
	}
	if idn.Bank.Code != sandbox.BankCode {
		a.abort = true
		a.ret(idnSeg.Header.Number, rc(9010, "Kreditinstitut unbekannt: Bankleitzahl "+idn.Bank.Code+" wird hier nicht geführt"))
		return s.reply(nil, msg, a)
	}
	handled := map[int]bool{idnSeg.Header.Number: true, vvbSeg.Header.Number: true}
	vvbRef := vvbSeg.Header.Number
	sendBPD := func() {
		if vvb.BPDVersion != bpdVersion {
			a.add(bpdSegments(vvbRef)...)
			a.ret(vvbRef, rc(3050, "BPD nicht mehr aktuell, aktuelle Version enthalten."))
		}
	}

	sec := msg.Security
	signed := sec != nil && !sec.Unsigned
	if idn.CustomerID == segment.AnonymousCustomerID || (idn.CustomerID == "" && !signed) {
		d, full := s.newDialog(now)
		if full {
			a.abort = true
			a.msg(rc(9010, "Verarbeitung derzeit nicht möglich: zu viele offene Dialoge"))
			return s.reply(nil, msg, a)
		}
		defer d.mu.Unlock()
		d.anonymous = true
		sendBPD()
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		if seg, ok := msg.Find("HKTAN"); ok {
			if h, err := segment.DecodeHKTAN(seg); err == nil && h.Process == segment.ProcessStart {
				handled[seg.Header.Number] = true
				noSCA(a, h.Version, seg.Header.Number)
			}
		}
		s.process(d, msg, a, handled)
		return s.reply(d, msg, a)
	}
	if !signed {
		a.abort = true
		a.ret(idnSeg.Header.Number, rc(9340, "Signatur fehlt: persönliche Dialoge müssen signiert sein"))
		return s.reply(nil, msg, a)
	}

	user := sec.UserID
	if user == "" {
		user = idn.CustomerID
	}
	sc, fail := s.checkLogin(user, sec.PIN.Reveal(), now)
	if fail != nil {
		a.abort = true
		a.msg(fail.msg...)
		a.ret(idnSeg.Header.Number, fail.seg...)
		return s.reply(nil, msg, a)
	}
	var methods []string
	for _, m := range sc.TANMethods {
		methods = append(methods, m.ID)
	}
	oneStep := sec.Function == "999" || sec.Profile == 1
	var method sandbox.TANMethod
	if !oneStep {
		i := slices.IndexFunc(sc.TANMethods, func(m sandbox.TANMethod) bool { return m.ID == sec.Function })
		if i < 0 {
			sendBPD()
			a.abort = true
			a.ret(vvbRef, rc(3920, "Zugelassene Zwei-Schritt-Verfahren für den Benutzer.", methods...))
			a.ret(idnSeg.Header.Number, rc(9380, "Das Zwei-Schritt-Verfahren "+sec.Function+" ist für den Benutzer nicht zugelassen."))
			return s.reply(nil, msg, a)
		}
		method = sc.TANMethods[i]
	}

	d, full := s.newDialog(now)
	if full {
		a.abort = true
		a.msg(rc(9010, "Verarbeitung derzeit nicht möglich: zu viele offene Dialoge"))
		return s.reply(nil, msg, a)
	}
	defer d.mu.Unlock()
	d.scenario, d.userID, d.customerID = sc, user, idn.CustomerID
	if d.customerID == "" {
		d.customerID = user
	}
	d.systemID, d.oneStep, d.method, d.updVersion = idn.SystemID, oneStep, method, vvb.UPDVersion
	d.exempt = !oneStep && s.exempt(d, now)

	sendBPD()
	a.ret(vvbRef, rc(3920, "Zugelassene Zwei-Schritt-Verfahren für den Benutzer.", methods...))
	if oneStep {
		// Leniently, as other test banks do, the one-step dialog carries
		// the UPD: the account list, nothing that needs SCA.
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		s.sendUPD(d, a, vvbRef)
		s.process(d, msg, a, handled)
		return s.reply(d, msg, a)
	}

	// The HKTAN process 4 that belongs to the initialisation.
	var tan *segment.HKTAN
	var tanRef int
	for _, seg := range msg.Segments {
		if !seg.Is("HKTAN") {
			continue
		}
		h, err := segment.DecodeHKTAN(seg)
		if err == nil && h.Process == segment.ProcessStart && (h.SegmentType == "HKIDN" || h.SegmentType == "HKTAB" || h.SegmentType == "") {
			tan, tanRef = &h, seg.Header.Number
			handled[tanRef] = true
		}
		break
	}
	switch {
	case tan == nil:
		// A client without PSD2 support: the dialog opens, and SCA is
		// asked for at the first TAN-relevant job.
		a.ret(vvbRef, rc(3075, "Starke Kundenauthentifizierung wird bei Aufträgen verlangt."))
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		s.sendUPD(d, a, vvbRef)
	case tan.SegmentType == "HKTAB":
		d.tabOnly = true
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		noSCA(a, tan.Version, tanRef)
	case d.exempt:
		// A refresh of a known installation within the exemption
		// period: the dialog opens for account information without SCA.
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		exemptSCA(a, tan.Version, tanRef)
		s.sendUPD(d, a, vvbRef)
	case len(sc.TANMethods) == 0:
		d.authorised = true
		a.ret(vvbRef, rc(20, "Dialoginitialisierung erfolgreich."))
		noSCA(a, tan.Version, tanRef)
		s.sendUPD(d, a, vvbRef)
	default:
		s.startSCA(d, a, tan.Version, tanRef, &task{forInit: true})
	}
	s.process(d, msg, a, handled)
	return s.reply(d, msg, a)
}

// process handles the segments of a message that open did not handle.
func (s *server) process(d *dialog, msg *wire.Message, a *answer, handled map[int]bool) {
	segs := msg.Segments
	for i := 0; i < len(segs); i++ {
		seg := segs[i]
		num := seg.Header.Number
		if handled[num] {
			continue
		}
		if d.closed {
			a.ret(num, rc(9120, "Segment nach Dialogende nicht erwartet"))
			continue
		}
		switch seg.Header.Type {
		case "HKIDN", "HKVVB":
			a.ret(num, rc(9120, "Dialoginitialisierung nur in der ersten Nachricht"))
		case "HKSYN":
			s.sync(d, a, seg)
		case "HKEND":
			a.ret(num, rc(100, "Dialog beendet."))
			s.drop(d)
		case "HKTAN":
			s.tanStep(d, a, seg, msg.Security)
		default:
			if !isJob(seg.Header.Type) {
				a.ret(num, rc(9210, "Geschäftsvorfall "+seg.Header.Type+" wird nicht unterstützt."))
				continue
			}
			var tan *segment.HKTAN
			tanRef := 0
			if i+1 < len(segs) && segs[i+1].Is("HKTAN") {
				if h, err := segment.DecodeHKTAN(segs[i+1]); err == nil && h.Process == segment.ProcessStart {
					tan, tanRef = &h, segs[i+1].Header.Number
					i++
				}
			}
			s.job(d, a, seg, tan, tanRef)
		}
	}
}

// isJob reports whether typ is a job the sandbox serves.
func isJob(typ string) bool { _, ok := jobVersions[typ]; return ok }

// sync answers HKSYN with a new customer system ID.
func (s *server) sync(d *dialog, a *answer, seg wire.Segment) {
	num := seg.Header.Number
	if d.anonymous {
		a.ret(num, rc(9210, "Synchronisierung im anonymen Dialog nicht möglich."))
		return
	}
	h, err := segment.DecodeHKSYN(seg)
	if err != nil {
		a.ret(num, rc(9110, "Ungültiger Segmentaufbau"))
		return
	}
	if h.Mode != segment.SyncNewSystemID {
		a.ret(num, rc(9210, "Nur die Synchronisierung der Kundensystem-ID (Modus 0) wird unterstützt."))
		return
	}
	d.systemID = "KONTORSB" + randomID(20)
	a.add(segment.HISYN{Ref: num, SystemID: d.systemID}.Segment())
	a.ret(num, rc(20, "Auftrag ausgeführt."))
}

// job runs a job segment, with its HKTAN process 4 (tan, at client
// segment tanRef) when the client sent one.
func (s *server) job(d *dialog, a *answer, seg wire.Segment, tan *segment.HKTAN, tanRef int) {
	num, typ := seg.Header.Number, seg.Header.Type
	switch {
	case d.anonymous:
		a.ret(num, rc(9210, "Auftrag im anonymen Dialog nicht zugelassen."))
		return
	case d.oneStep && typ != "HKSPA":
		a.ret(num, rc(9210, "Auftrag im Dialog mit Ein-Schritt-Verfahren nicht zugelassen: bitte ein Zwei-Schritt-Verfahren verwenden."))
		return
	case d.tabOnly && typ != "HKTAB":
		a.ret(num, rc(9210, "In diesem Dialog ist nur HKTAB zugelassen."))
		return
	case d.pending != nil:
		a.ret(num, rc(9210, "Es läuft noch eine Freigabe: bitte zuerst die TAN senden."))
		return
	}
	if d.exempt && accountInformation[typ] {
		if tan != nil {
			exemptSCA(a, tan.Version, tanRef)
		}
		s.execute(d, a, seg, num)
		return
	}
	if d.authorised || d.tabOnly || d.oneStep || !needsTAN(typ) {
		if tan != nil {
			noSCA(a, tan.Version, tanRef)
		}
		s.execute(d, a, seg, num)
		return
	}
	if tan == nil {
		a.ret(num, rc(9075, "Starke Kundenauthentifizierung notwendig: HKTAN fehlt."))
		return
	}
	// Check the job before asking for a TAN for it.
	if code, ok := s.precheck(d, seg); !ok {
		a.ret(num, code)
		return
	}
	s.startSCA(d, a, tan.Version, tanRef, &task{job: seg})
}

// noSCA answers an HKTAN process 4 that needs no SCA: 3076 and the dummy
// HITAN.
func noSCA(a *answer, version, ref int) {
	noSCAWith(a, version, ref, "Keine starke Authentifizierung erforderlich.")
}

// exemptSCA answers an HKTAN process 4 for account information under the
// PSD2 exemption: 3076 and the dummy HITAN.
func exemptSCA(a *answer, version, ref int) {
	noSCAWith(a, version, ref, "Starke Kundenauthentifizierung nicht notwendig.")
}

// noSCAWith answers an HKTAN process 4 with 3076 with text and the dummy
// HITAN.
func noSCAWith(a *answer, version, ref int, text string) {
	a.ret(ref, rc(3076, text))
	a.add(segment.HITAN{Version: tanVersion(version), Ref: ref, Process: segment.ProcessStart,
		TaskRef: segment.NoTaskRef, Challenge: segment.NoChallenge}.Segment())
}

// tanVersion is the HITAN version answering an HKTAN version.
func tanVersion(v int) int {
	if v < 6 {
		return 6
	}
	return v
}

// startSCA opens a TAN process for t: 0030 and a challenge that tells the
// TAN, or 3955 for a decoupled method.
func (s *server) startSCA(d *dialog, a *answer, version, ref int, t *task) {
	now := s.cfg.Now()
	t.ref = randomID(16)
	t.created = now
	h := segment.HITAN{Version: tanVersion(version), Ref: ref, Process: segment.ProcessStart, TaskRef: t.ref,
		ValidUntil: now.Add(challengeTTL).Truncate(time.Second)}
	if d.method.Decoupled {
		h.Challenge = d.scenario.Challenge
		if h.Challenge == "" {
			h.Challenge = "Bitte geben Sie den Auftrag in Ihrer Banking-App frei."
		}
		a.ret(ref, rc(3955, "Sicherheitsfreigabe erfolgt über anderen Kanal."))
	} else {
		t.tan = newTAN()
		h.Challenge = "Sandbox: Ihre TAN für " + d.method.Name + " lautet " + t.tan + "."
		a.ret(ref, rc(30, "Auftrag empfangen - Sicherheitsfreigabe erforderlich."))
	}
	d.pending = t
	a.add(h.Segment())
}

// tanStep handles HKTAN process 2 (the TAN, or a decoupled status query
// with HKTAN 6) and S (decoupled status query).
func (s *server) tanStep(d *dialog, a *answer, seg wire.Segment, sec *wire.Security) {
	num := seg.Header.Number
	h, err := segment.DecodeHKTAN(seg)
	if err != nil {
		a.ret(num, rc(9110, "Ungültiger Segmentaufbau"))
		return
	}
	if d.anonymous || d.oneStep {
		a.ret(num, rc(9210, "Kein Zwei-Schritt-Verfahren in diesem Dialog."))
		return
	}
	if h.Process == segment.ProcessStart {
		a.ret(num, rc(9120, "HKTAN Prozess 4 ohne zugehörigen Auftrag."))
		return
	}
	if h.Process != segment.ProcessSubmit && h.Process != segment.ProcessStatus {
		a.ret(num, rc(9210, "TAN-Prozess "+h.Process+" wird nicht unterstützt."))
		return
	}
	t := d.pending
	if t == nil || t.ref != h.TaskRef {
		a.ret(num, rc(9210, "Auftragsreferenz unbekannt."))
		return
	}
	now := s.cfg.Now()
	if now.Sub(t.created) > challengeTTL {
		d.pending = nil
		a.ret(num, rc(9951, "TAN abgelaufen: bitte den Auftrag neu starten."))
		return
	}
	version := tanVersion(h.Version)
	if d.method.Decoupled {
		t.polls++
		sc := d.scenario
		approved := (sc.ApprovePolls > 0 && t.polls >= sc.ApprovePolls) || (sc.ApproveAfter > 0 && now.Sub(t.created) >= sc.ApproveAfter)
		if !approved {
			if t.polls >= maxStatusQueries {
				d.pending = nil
				s.drop(d)
				a.abort = true
				a.ret(num, rc(9941, "Freigabe nicht innerhalb der erlaubten Statusabfragen erteilt."))
				return
			}
			a.ret(num, rc(3956, "Starke Kundenauthentifizierung noch ausstehend."))
			a.add(segment.HITAN{Version: version, Ref: num, Process: h.Process, TaskRef: t.ref, Challenge: d.scenario.Challenge}.Segment())
			return
		}
		a.ret(num, rc(20, "Auftrag ausgeführt."), rc(900, "Freigabe erfolgreich."))
	} else {
		if h.Process == segment.ProcessStatus {
			a.ret(num, rc(9210, "Statusabfrage nur für Verfahren mit Freigabe in der App."))
			return
		}
		var given string
		if sec != nil {
			given = sec.TAN.Reveal()
		}
		if given == "" || subtle.ConstantTimeCompare([]byte(given), []byte(t.tan)) != 1 {
			t.wrong++
			a.ret(num, rc(9941, "TAN ungültig."))
			if t.wrong >= maxWrongTANs {
				d.pending = nil
				s.drop(d)
				a.abort = true
			}
			return
		}
		a.ret(num, rc(20, "Auftrag ausgeführt."), rc(900, "TAN entwertet."))
	}
	d.pending = nil
	d.authorised = true
	s.recordSCA(d, now)
	a.add(segment.HITAN{Version: version, Ref: num, Process: h.Process, TaskRef: t.ref}.Segment())
	if t.forInit {
		s.sendUPD(d, a, num)
		return
	}
	s.execute(d, a, t.job, num)
}

// sendUPD adds the user parameter data when the client's version differs.
func (s *server) sendUPD(d *dialog, a *answer, ref int) {
	if d.updVersion == updVersion {
		return
	}
	a.add(updSegments(ref, d.userID, d.customerID, s.accounts(d))...)
	a.ret(ref, rc(3050, "UPD nicht mehr aktuell, aktuelle Version enthalten."))
	d.updVersion = updVersion
}

// accounts returns the dialog's data.
func (s *server) accounts(d *dialog) []sandbox.AccountData {
	return s.data.get(d.scenario.Login, d.asOf)
}

// reply serialises an answer to msg in dialog d (nil when there is none).
func (s *server) reply(d *dialog, msg *wire.Message, a *answer) []byte {
	id := "0"
	if d != nil {
		id = d.id
	} else if msg.DialogID != "" {
		id = msg.DialogID
	}
	number := max(msg.Number, 1)
	m := &wire.Message{
		DialogID: id,
		Number:   number,
		Ref:      &wire.MessageRef{DialogID: msg.DialogID, Number: number},
		Segments: a.segments(),
	}
	if sec := msg.Security; sec != nil {
		sys := sec.SystemID
		if sys == "" {
			sys = "0"
		}
		m.Security = &wire.Security{Unsigned: true, Profile: sec.Profile, Party: 2, BankCode: sandbox.BankCode,
			UserID: sec.UserID, SystemID: sys, Time: s.cfg.Now()}
		if m.Security.Profile != 1 && m.Security.Profile != 2 {
			m.Security.Profile = 1
		}
	}
	b, err := m.Marshal()
	if err != nil {
		return abortMessage(id, number, rc(9010, "Verarbeitung derzeit nicht möglich"))
	}
	return b
}

// failure is a refused login: message-level codes and codes for HKIDN.
type failure struct {
	msg, seg []wire.ReturnCode
}

// checkLogin checks a login and its PIN against the scenario catalogue.
func (s *server) checkLogin(user, pin string, now time.Time) (sandbox.Scenario, *failure) {
	sc, ok := sandbox.ScenarioFor(user)
	if !ok {
		return sc, &failure{seg: []wire.ReturnCode{rc(9942, "PIN ungültig oder Anmeldename unbekannt.")}}
	}
	switch code := sc.FinTSCode; {
	case code == "9010":
		return sc, &failure{msg: []wire.ReturnCode{rc(9010, "Verarbeitung derzeit nicht möglich: das Kreditinstitut ist nicht erreichbar.")}}
	case code != "" && sc.PIN != "":
		return sc, &failure{seg: []wire.ReturnCode{rc(atoi(code), loginText(code))}}
	}
	s.mu.Lock()
	f := s.failures[sc.Login]
	locked := f != nil && now.Before(f.lockedUntil)
	s.mu.Unlock()
	if locked {
		return sc, &failure{seg: []wire.ReturnCode{rc(9931, "Zugang nach 3 Fehlversuchen vorübergehend gesperrt.")}}
	}
	if !sc.CheckPIN(pin) {
		s.pinFailed(sc, now)
		code := sc.FinTSCode
		if code == "" {
			code = "9942"
		}
		return sc, &failure{seg: []wire.ReturnCode{rc(atoi(code), loginText(code))}}
	}
	s.mu.Lock()
	delete(s.failures, sc.Login)
	s.mu.Unlock()
	return sc, nil
}

// pinFailed counts a wrong PIN for a login that has one.
func (s *server) pinFailed(sc sandbox.Scenario, now time.Time) {
	if sc.PIN == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.failures[sc.Login]
	if f == nil {
		f = &pinFailures{}
		s.failures[sc.Login] = f
	}
	f.count++
	if f.count >= maxPINFailures {
		f.count, f.lockedUntil = 0, now.Add(s.cfg.DialogTTL)
	}
}

// loginText is the bank's text for a login failure code.
func loginText(code string) string {
	switch code {
	case "9942":
		return "PIN ungültig."
	case "9340":
		return "Signatur ungültig: PIN falsch."
	case "3938":
		return "Zugang vorläufig gesperrt - bitte PIN-Sperre aufheben."
	case "9931":
		return "Zugang gesperrt."
	case "9930":
		return "PIN gesperrt."
	}
	return "Anmeldung nicht möglich."
}

// newDialog registers a new dialog, locked; full reports that no more
// dialogs can be kept.
func (s *server) newDialog(now time.Time) (d *dialog, full bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	if len(s.dialogs) >= s.cfg.MaxDialogs {
		return nil, true
	}
	d = &dialog{id: "KSB" + randomID(24), lastMsg: 1, lastUsed: now, asOf: now,
		listings: map[string]*listing{}, touchdowns: map[string]cursor{}}
	d.mu.Lock()
	s.dialogs[d.id] = d
	return d, false
}

// lookup returns a live dialog.
func (s *server) lookup(id string) *dialog {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.cfg.Now()
	s.sweep(now)
	return s.dialogs[id]
}

// drop ends a dialog; the caller holds d.mu.
func (s *server) drop(d *dialog) {
	d.closed = true
	d.pending = nil
	d.listings, d.touchdowns = nil, nil
	s.mu.Lock()
	delete(s.dialogs, d.id)
	s.mu.Unlock()
}

// sweep removes idle dialogs, stale PIN failure counters and strong
// customer authentications older than the exemption period, at most once
// a minute; the caller holds s.mu.
func (s *server) sweep(now time.Time) {
	if now.Sub(s.lastSweep) < time.Minute && len(s.dialogs) < s.cfg.MaxDialogs {
		return
	}
	s.lastSweep = now
	for id, d := range s.dialogs {
		if d.mu.TryLock() {
			if now.Sub(d.lastUsed) > s.cfg.DialogTTL {
				d.closed = true
				delete(s.dialogs, id)
			}
			d.mu.Unlock()
		}
	}
	for login, f := range s.failures {
		if now.After(f.lockedUntil) && f.count == 0 {
			delete(s.failures, login)
		}
	}
	s.sweepSCAs(now)
}

// randomID returns n random letters and digits (no escaping needed).
func randomID(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("fintsbank: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newTAN returns a random six-digit TAN.
func newTAN() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic("fintsbank: crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}
