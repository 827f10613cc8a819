package wire

import (
	"bytes"
	"testing"
)

// Seeds shaped after real bank messages (anonymised) and edge cases.
var fuzzSeeds = []string{
	"HNHBK:1:3+000000000120+300+0+1'HKIDN:2:2+280:10020000+9999999999+0+0'HKVVB:3:3+0+0+0+KONTOR+1.0'HKTAN:4:7+4+HKIDN'HNHBS:5:1+1'",
	"HIRMG:2:2:+3060::Bitte beachten Sie die enthaltenen Warnungen/Hinweise.'HIRMS:3:2:4+3920::Zugelassene Zwei-Schritt-Verfahren für den Benutzer.:921:946+0020::Der Auftrag wurde ausgeführt.'",
	"HIKAZ:5:7:3+@40@\r\n:20:STARTUMSE\r\n:25:10020000/12345\r\n:28C:0'",
	"HIRMS:4:2:3+3040::Es liegen weitere Informationen vor:9978-12-08-12.12.22.?:9789'",
	"HITANS:169:7:4+1+1+0+N:N:0:946:2:DECOUPLED:Decoupled::SecureGo plus (Direktfreigabe):::TAN:2048:J:1:N:0:2:N:J:00:0:N:1:150:2:2:J:J'",
	"HKIDN:3:2+280:12030000+test?@user+Ppp?+kWr?:x+1'",
	"HNHBK:1:3+000000000000+300+D1+2+D1:2'HNVSK:998:3+PIN:1+998+1+2::S+1:20250101:120000+2:2:13:@8@00000000:5:1+280:10020000:dummy:V:0:0+0'HNVSD:999:1+@43@HIRMG:2:2+0010::Nachricht entgegengenommen''HNHBS:3:1+2'",
	"HIUPD:5:6:4+12345::280:10020000+DE29100200000000012345+dummy+1+EUR+Max Mustermann++Girokonto++HKSAL:1+HKKAZ:1+++++{\"umsltzt\":\"2025-03-10\"}'",
	"A:1:1+@0@'",
	"?",
	"@1@",
}

func FuzzParseSegments(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		segs, err := ParseSegments(data)
		if err != nil {
			return
		}
		out := Marshal(segs)
		back, err := ParseSegments(out)
		if err != nil {
			t.Fatalf("re-parsing %q: %v", out, err)
		}
		if !sameSegments(segs, back) {
			t.Fatalf("round trip changed segments: %q -> %q", data, out)
		}
		if again := Marshal(back); !bytes.Equal(again, out) {
			t.Fatalf("marshalling not stable: %q != %q", again, out)
		}
	})
}

func FuzzParseMessage(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	if raw, err := initMessage().Marshal(); err == nil {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMessage(data)
		if err != nil {
			return
		}
		_ = Redact(data)
		if _, err := Returns(m.Segments); err != nil {
			return
		}
		if m.Number < 1 {
			return
		}
		inner := append([]Segment(nil), m.Segments...)
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("marshalling parsed message: %v", err)
		}
		back, err := ParseMessage(out)
		if err != nil {
			t.Fatalf("re-parsing %q: %v", out, err)
		}
		if back.DialogID != m.DialogID || back.Number != m.Number || back.Size != len(out) {
			t.Fatalf("head changed: %q %d -> %q %d", m.DialogID, m.Number, back.DialogID, back.Number)
		}
		if len(back.Segments) != len(inner) {
			t.Fatalf("segment count changed: %d -> %d", len(inner), len(back.Segments))
		}
		for i := range inner {
			if !bytes.Equal(Marshal(back.Segments[i:i+1]), Marshal(m.Segments[i:i+1])) {
				t.Fatalf("segment %d changed", i)
			}
		}
	})
}

func FuzzAmount(f *testing.F) {
	for _, s := range []string{"100,", "0,5", "1234,50", "-1,", ",5", "99999999999999999999,9", "1,0000000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := Value{Data: []byte(s)}.Amount()
		if err != nil {
			return
		}
		back, err := Amount(a).Amount()
		if err != nil || !back.Equal(a) {
			t.Fatalf("%q -> %s -> %q: %v", s, a, Amount(a).Data, err)
		}
	})
}
