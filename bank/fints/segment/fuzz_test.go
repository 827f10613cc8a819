package segment

import (
	"testing"

	"github.com/kontor-dev/kontor/bank/fints/wire"
)

// decoders runs every decoder on s, with s's type set to the decoder's,
// and encodes what decodes.
var decoders = map[string]func(wire.Segment) error{
	"HKIDN":  func(s wire.Segment) error { v, err := DecodeHKIDN(s); _ = v.Segment(); return err },
	"HKVVB":  func(s wire.Segment) error { v, err := DecodeHKVVB(s); _ = v.Segment(); return err },
	"HKSYN":  func(s wire.Segment) error { v, err := DecodeHKSYN(s); _ = v.Segment(); return err },
	"HISYN":  func(s wire.Segment) error { v, err := DecodeHISYN(s); _ = v.Segment(); return err },
	"HKEND":  func(s wire.Segment) error { v, err := DecodeHKEND(s); _ = v.Segment(); return err },
	"HKTAN":  func(s wire.Segment) error { v, err := DecodeHKTAN(s); _ = v.Segment(); return err },
	"HITAN":  func(s wire.Segment) error { v, err := DecodeHITAN(s); _ = v.Segment(); return err },
	"HIBPA":  func(s wire.Segment) error { v, err := DecodeHIBPA(s); _ = v.Segment(); return err },
	"HIKOM":  func(s wire.Segment) error { v, err := DecodeHIKOM(s); _ = v.Segment(); return err },
	"HIPINS": func(s wire.Segment) error { v, err := DecodeHIPINS(s); _ = v.Segment(); return err },
	"HITANS": func(s wire.Segment) error { v, err := DecodeHITANS(s); _ = v.Segment(); return err },
	"HIUPA":  func(s wire.Segment) error { v, err := DecodeHIUPA(s); _ = v.Segment(); return err },
	"HIUPD":  func(s wire.Segment) error { v, err := DecodeHIUPD(s); _ = v.Segment(); return err },
	"HKSPA":  func(s wire.Segment) error { v, err := DecodeHKSPA(s); _ = v.Segment(); return err },
	"HISPA":  func(s wire.Segment) error { v, err := DecodeHISPA(s); _ = v.Segment(); return err },
	"HKSAL":  func(s wire.Segment) error { v, err := DecodeHKSAL(s); _ = v.Segment(); return err },
	"HISAL":  func(s wire.Segment) error { v, err := DecodeHISAL(s); _ = v.Segment(); return err },
	"HKKAZ":  func(s wire.Segment) error { v, err := DecodeHKKAZ(s); _ = v.Segment(); return err },
	"HIKAZ":  func(s wire.Segment) error { v, err := DecodeHIKAZ(s); _ = v.Segment(); return err },
	"HKCAZ":  func(s wire.Segment) error { v, err := DecodeHKCAZ(s); _ = v.Segment(); return err },
	"HICAZ":  func(s wire.Segment) error { v, err := DecodeHICAZ(s); _ = v.Segment(); return err },
	"HKWPD":  func(s wire.Segment) error { v, err := DecodeHKWPD(s); _ = v.Segment(); return err },
	"HIWPD":  func(s wire.Segment) error { v, err := DecodeHIWPD(s); _ = v.Segment(); return err },
	"HKCDB":  func(s wire.Segment) error { v, err := DecodeHKCDB(s); _ = v.Segment(); return err },
	"HICDB":  func(s wire.Segment) error { v, err := DecodeHICDB(s); _ = v.Segment(); return err },
	"HKTAB":  func(s wire.Segment) error { v, err := DecodeHKTAB(s); _ = v.Segment(); return err },
	"HITAB":  func(s wire.Segment) error { v, err := DecodeHITAB(s); _ = v.Segment(); return err },
	"HIKAZS": func(s wire.Segment) error {
		p, err := DecodeParams(s)
		_ = p.Segment()
		_, _ = p.Statement()
		_, _ = p.Camt()
		_, _ = p.SEPA()
		_, _ = p.Holdings()
		_, _ = p.StandingOrders()
		return err
	},
}

func FuzzDecodeSegments(f *testing.F) {
	for _, s := range []string{
		"HITANS:171:7:4+1+1+0+N:N:0:946:2:DECOUPLED:Decoupled::SecureGo plus (Direktfreigabe):::TAN:2048:J:1:N:0:2:N:J:00:0:N:1:150:2:2:J:J'",
		"HISAL:5:7:3+DE29100200000000012345:FINODEB1XXX:12345::280:10020000+Girokonto+EUR+C:1523,17:EUR:20250310+D:12,5:EUR:20250310+2000,:EUR+3510,67:EUR'",
		"HIPINS:78:1:3+1+1+0+5:20:6:Benutzer ID::HKSPA:N:HKSAL:J:HKKAZ:J'",
		"HIUPD:6:6:4+12345::280:10020000+DE29100200000000012345+dummy+1+EUR+Max Mustermann++Girokonto++HKSAL:1+HKKAZ:1'",
		"HITAB:4:5:3+1+M:1::::::::::::Handy-1:**** 1234'",
		"HICDB:4:1:3+DE1:B::::280:1+urn?:iso+@3@<a>+SO+20250101:M:1:1:20260101++J:N:J'",
		"HISPAS:42:3:4+1+1+0+J:J:N:J:140:urn?:iso?:std?:iso?:20022?:tech?:xsd?:pain.001.001.03'",
		"HITAN:4:7:4+4++R-8F2A+Bitte TAN eingeben+@4@\x00\x01ab+20250101:120000+M'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		segs, err := wire.ParseSegments(data)
		if err != nil {
			return
		}
		for _, s := range segs {
			for typ, decode := range decoders {
				s.Header.Type = typ
				_ = decode(s)
			}
		}
	})
}
