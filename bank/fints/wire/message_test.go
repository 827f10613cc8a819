package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = os.Getenv("KONTOR_UPDATE_GOLDEN") != ""

// initMessage is a personal dialog initialisation with SCA requested, as
// in the reference's constructed example.
func initMessage() *Message {
	idn := NewSegment("HKIDN", 2)
	idn.Add(Text("280"), Text("10020000"))
	idn.Add(Text("dummy"))
	idn.Add(Text("SYS+1:x"))
	idn.Add(Num(1))
	vvb := NewSegment("HKVVB", 3)
	vvb.Add(Num(3))
	vvb.Add(Num(1))
	vvb.Add(Num(0))
	vvb.Add(Text("KONTOR"))
	vvb.Add(Text("1.0"))
	tan := NewSegment("HKTAN", 7)
	tan.Add(Text("4"))
	tan.Add(Text("HKIDN"))
	return &Message{
		DialogID: "0",
		Number:   1,
		Security: &Security{
			Profile: 2, Function: "921", BankCode: "10020000", UserID: "dummy", SystemID: "SYS+1:x",
			Time: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC), ControlRef: "5551234", PIN: "654321",
		},
		Segments: []Segment{idn, vvb, tan},
	}
}

func TestMessageGolden(t *testing.T) {
	got, err := initMessage().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "init_message.golden")
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Marshal() =\n%s\nwant\n%s", got, want)
	}
}

func TestMessageMarshal(t *testing.T) {
	m := initMessage()
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	size, err := strconv.Atoi(string(raw[10:22]))
	if err != nil || size != len(raw) {
		t.Errorf("HNHBK size = %q, message is %d bytes", raw[10:22], len(raw))
	}
	for i, want := range []int{3, 4, 5} {
		if n := m.Segments[i].Header.Number; n != want {
			t.Errorf("segment %d numbered %d, want %d", i, n, want)
		}
	}
	outer, err := ParseSegments(raw)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, s := range outer {
		types = append(types, s.Header.String())
	}
	if got := strings.Join(types, " "); got != "HNHBK:1:3 HNVSK:998:3 HNVSD:999:1 HNHBS:7:1" {
		t.Errorf("outer segments = %s", got)
	}
	inner, err := ParseSegments(outer[2].Value(0, 0).Data)
	if err != nil {
		t.Fatal(err)
	}
	if inner[0].Header.String() != "HNSHK:2:4" || inner[len(inner)-1].Header.String() != "HNSHA:6:2" {
		t.Errorf("inner = %s … %s", inner[0].Header, inner[len(inner)-1].Header)
	}
	if got := string(inner[len(inner)-1].Bytes()); got != "HNSHA:6:2+5551234++654321'" {
		t.Errorf("HNSHA = %q", got)
	}

	back, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.DialogID != "0" || back.Number != 1 || back.Size != len(raw) {
		t.Errorf("parsed head = %q %d %d", back.DialogID, back.Number, back.Size)
	}
	sec := back.Security
	if sec == nil || sec.Unsigned || sec.Profile != 2 || sec.Function != "921" || sec.SystemID != "SYS+1:x" ||
		sec.UserID != "dummy" || sec.BankCode != "10020000" || sec.ControlRef != "5551234" ||
		sec.PIN.Reveal() != "654321" || sec.TAN != "" || !sec.Time.Equal(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)) {
		t.Errorf("parsed security = %+v", sec)
	}
	if !sameSegments(back.Segments, m.Segments) {
		t.Errorf("parsed segments differ")
	}
}

func TestMessageTAN(t *testing.T) {
	m := initMessage()
	m.Security.TAN = "123456"
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.Security.PIN.Reveal() != "654321" || back.Security.TAN.Reveal() != "123456" {
		t.Errorf("PIN/TAN = %s/%s", back.Security.PIN.Reveal(), back.Security.TAN.Reveal())
	}
}

func TestMessagePlainAndBank(t *testing.T) {
	rmg := NewReturnSegment("HIRMG", 0, ReturnCode{Code: 10, Text: "Nachricht entgegengenommen"})
	rms := NewReturnSegment("HIRMS", 3, ReturnCode{Code: 3920, Text: "Zugelassene Verfahren", Params: []string{"921", "946"}})
	bank := &Message{
		DialogID: "D?1+x", Number: 2, Ref: &MessageRef{DialogID: "D?1+x", Number: 2},
		Security: &Security{Profile: 1, Function: "998", Party: 2, Unsigned: true, SystemID: "S"},
		Segments: []Segment{rmg, rms},
	}
	raw, err := bank.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseMessage(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.DialogID != "D?1+x" || back.Ref == nil || *back.Ref != (MessageRef{"D?1+x", 2}) {
		t.Errorf("head = %q %+v", back.DialogID, back.Ref)
	}
	if back.Security == nil || !back.Security.Unsigned || back.Security.Party != 2 {
		t.Errorf("security = %+v", back.Security)
	}
	rets, err := Returns(back.Segments)
	if err != nil {
		t.Fatal(err)
	}
	if len(rets) != 2 || rets[0].Segment != 0 || rets[1].Segment != 3 || rets[1].Code != 3920 ||
		strings.Join(rets[1].Params, ",") != "921,946" {
		t.Errorf("returns = %+v", rets)
	}

	anon := &Message{DialogID: "0", Number: 1, Segments: []Segment{NewSegment("HKEND", 1)}}
	raw, err = anon.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if want := "HNHBK:1:3+000000000053+300+0+1'HKEND:2:1'HNHBS:3:1+1'"; string(raw) != want {
		t.Errorf("plain message = %q, want %q", raw, want)
	}
	back, err = ParseMessage(raw)
	if err != nil || back.Security != nil || len(back.Segments) != 1 {
		t.Errorf("plain parse = %+v, %v", back, err)
	}
}

func TestParseMessageErrors(t *testing.T) {
	for name, in := range map[string]string{
		"no HNHBK":       "HNHBS:2:1+1'",
		"bad size":       "HNHBK:1:3+abc+300+0+1'",
		"no number":      "HNHBK:1:3+000000000000+300+0'",
		"no dialog":      "HNHBK:1:3+000000000000+300++1'",
		"text HNVSD":     "HNHBK:1:3+000000000000+300+0+1'HNVSD:999:1+abc'",
		"broken HNVSD":   "HNHBK:1:3+000000000000+300+0+1'HNVSD:999:1+@3@abc'",
		"bad ref number": "HNHBK:1:3+000000000000+300+0+1+0:x'",
	} {
		if _, err := ParseMessage([]byte(in)); err == nil {
			t.Errorf("%s: ParseMessage succeeded", name)
		}
	}
}

func TestReturnCodeErrors(t *testing.T) {
	seg, err := ParseSegments([]byte("HIRMS:3:2:2+30::x'"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Returns(seg); err == nil {
		t.Error("three-digit code accepted")
	}
	rc := ReturnCode{Code: 30, Text: "Auftrag empfangen"}
	if !rc.IsSuccess() || rc.IsWarning() || rc.IsError() || rc.String() != "0030 Auftrag empfangen" {
		t.Errorf("ReturnCode %v", rc)
	}
}

func TestRedact(t *testing.T) {
	m := initMessage()
	m.Security.TAN = "987654"
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	out := string(Redact(raw))
	if strings.Contains(out, "654321") || strings.Contains(out, "987654") {
		t.Errorf("Redact leaked a secret: %s", out)
	}
	if !strings.Contains(out, "HNSHA:6:2+***'") || !strings.Contains(out, "HKIDN") {
		t.Errorf("Redact() = %s", out)
	}
	for in, want := range map[string]string{
		"HNSHA:":                                "HNSHA:***",
		"xxHNSHA:5:2+1++secret":                 "xxHNSHA:5:2+***",
		"HNSHA:5:2+1++sec?'ret'HNHBS:6:1+1'":    "HNSHA:5:2+***'HNHBS:6:1+1'",
		"HNSHA:5:2'HNSHA:6:2+1++a:b'HNHBS:7:1'": "HNSHA:5:2***'HNSHA:6:2+***'HNHBS:7:1'",
	} {
		if got := string(Redact([]byte(in))); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecretMasked(t *testing.T) {
	s := struct {
		PIN Secret
		Sec *Security
	}{PIN: "654321", Sec: &Security{PIN: "654321", TAN: "123456"}}
	outs := []string{
		fmt.Sprint(s), fmt.Sprintf("%v %+v %#v %s %q %x %d", s, s, s, s.PIN, s.PIN, s.PIN, s.PIN),
		s.Sec.String(), fmt.Sprintf("%+v", *s.Sec),
	}
	raw, _ := initMessage().Marshal()
	segs, _ := ParseSegments(raw)
	m, _ := ParseMessage(raw)
	outs = append(outs, fmt.Sprint(segs), fmt.Sprintf("%+v", m), fmt.Sprintf("%+v", *m))
	js, _ := json.Marshal(s)
	outs = append(outs, string(js))
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "pin", s.PIN, "sec", s.Sec)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, "654321") || strings.Contains(o, "123456") {
			t.Errorf("secret leaked: %s", o)
		}
	}
}
