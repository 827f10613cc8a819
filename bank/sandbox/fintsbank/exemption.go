package fintsbank

import (
	"time"

	"github.com/kontor-dev/kontor/bank/sandbox"
)

// The PSD2 exemption for account information (RTS Art. 10): the bank
// remembers, per login and customer system ID, when the last strong
// customer authentication succeeded, and for sandbox.SCAExemptionPeriod
// after it answers HKTAN process 4 for account information with 3076
// instead of a challenge. A new system ID (a new installation of the
// client) has no such record and needs SCA first.

// maxSCARecords bounds the remembered authentications; when it is
// reached, the oldest one is forgotten.
const maxSCARecords = 100000

// scaKey identifies one client installation of a login.
type scaKey struct {
	login, systemID string
}

// accountInformation lists the jobs the exemption covers.
var accountInformation = map[string]bool{
	"HKSPA": true, "HKSAL": true, "HKKAZ": true, "HKCAZ": true, "HKWPD": true, "HKCDB": true, "HKTAB": true,
}

// knownSystemID reports whether id is a customer system ID rather than the
// placeholder of a client that has none yet.
func knownSystemID(id string) bool { return id != "" && id != "0" }

// recordSCA remembers that d's login authenticated strongly at now from
// d's system ID. The caller holds d.mu.
func (s *server) recordSCA(d *dialog, now time.Time) {
	if !knownSystemID(d.systemID) {
		return
	}
	k := scaKey{login: d.scenario.Login, systemID: d.systemID}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.scas[k]; !ok && len(s.scas) >= maxSCARecords {
		var oldest scaKey
		var first time.Time
		for key, at := range s.scas {
			if first.IsZero() || at.Before(first) {
				oldest, first = key, at
			}
		}
		delete(s.scas, oldest)
	}
	s.scas[k] = now
}

// exempt reports whether d's login authenticated strongly from d's system
// ID less than sandbox.SCAExemptionPeriod before now. The caller holds
// d.mu.
func (s *server) exempt(d *dialog, now time.Time) bool {
	if !knownSystemID(d.systemID) {
		return false
	}
	s.mu.Lock()
	at, ok := s.scas[scaKey{login: d.scenario.Login, systemID: d.systemID}]
	s.mu.Unlock()
	return ok && now.Sub(at) < sandbox.SCAExemptionPeriod
}

// sweepSCAs forgets authentications older than the exemption period; the
// caller holds s.mu.
func (s *server) sweepSCAs(now time.Time) {
	for k, at := range s.scas {
		if now.Sub(at) >= sandbox.SCAExemptionPeriod {
			delete(s.scas, k)
		}
	}
}
