package wire

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// HBCIVersion is the protocol version written into HNHBK.
const HBCIVersion = 300

// sizeWidth is the fixed width of the message size in HNHBK.
const sizeWidth = 12

// MessageRef is the Bezugsnachricht of a bank message: the dialog and
// number of the client message being answered.
type MessageRef struct {
	DialogID string
	Number   int
}

// Message is one FinTS message. Segments are the inner segments: for a
// secured message those between the signature head and closing, otherwise
// those between HNHBK and HNHBS. The envelope segments (HNHBK, HNVSK,
// HNVSD, HNSHK, HNSHA, HNHBS) are produced by Marshal and removed by
// ParseMessage.
type Message struct {
	// DialogID is "0" in the first client message of a dialog.
	DialogID string
	// Number counts messages within a dialog from 1.
	Number int
	// Ref is the Bezugsnachricht; bank messages carry it.
	Ref *MessageRef
	// Security is nil for a plain message (anonymous dialogs, abort
	// messages).
	Security *Security
	Segments []Segment

	// Size is the message size declared in HNHBK; set by ParseMessage.
	Size int
}

// Marshal serialises the message. It assigns segment numbers: HNHBK is 1,
// then HNSHK when signed, then the inner segments in order (their headers
// in m.Segments are updated in place), then HNSHA, then HNHBS. HNVSK and
// HNVSD carry 998 and 999. The size in HNHBK counts the whole message.
func (m *Message) Marshal() ([]byte, error) {
	if m.DialogID == "" {
		return nil, errors.New("marshalling message: empty dialog ID")
	}
	if m.Number < 1 {
		return nil, fmt.Errorf("marshalling message: message number %d", m.Number)
	}
	now := time.Now()
	signed := m.Security != nil && !m.Security.Unsigned
	if m.Security != nil && !m.Security.Time.IsZero() {
		now = m.Security.Time
	}
	n := 2
	var inner []byte
	if signed {
		inner = m.Security.hnshk(n, now).Append(inner)
		n++
	}
	for i := range m.Segments {
		if m.Segments[i].Header.Type == "" {
			return nil, fmt.Errorf("marshalling message: segment %d has no type", i)
		}
		m.Segments[i].Header.Number = n
		inner = m.Segments[i].Append(inner)
		n++
	}
	if signed {
		inner = m.Security.hnsha(n).Append(inner)
		n++
	}

	head := Segment{Header: Header{Type: "HNHBK", Number: 1, Version: 3}}
	head.Add(Dig(0, sizeWidth))
	head.Add(Num(HBCIVersion))
	head.Add(Text(m.DialogID))
	head.Add(Num(m.Number))
	if m.Ref != nil {
		head.Add(Text(m.Ref.DialogID), Num(m.Ref.Number))
	}
	out := head.Append(nil)
	if m.Security != nil {
		out = m.Security.hnvsk(now).Append(out)
		vsd := Segment{Header: Header{Type: "HNVSD", Number: 999, Version: 1}}
		vsd.Add(Binary(inner))
		out = vsd.Append(out)
	} else {
		out = append(out, inner...)
	}
	tail := Segment{Header: Header{Type: "HNHBS", Number: n, Version: 1}}
	tail.Add(Num(m.Number))
	out = tail.Append(out)

	size := strconv.Itoa(len(out))
	if len(size) > sizeWidth {
		return nil, fmt.Errorf("marshalling message: size %s too large", size)
	}
	const sizeAt = len("HNHBK:1:3+")
	copy(out[sizeAt+sizeWidth-len(size):sizeAt+sizeWidth], size)
	return out, nil
}

// ParseMessage parses a complete message and unwraps its envelope. It is
// lenient about the envelope's filler values and about a missing HNHBS,
// and it accepts signed and unsigned, wrapped and plain messages.
func ParseMessage(b []byte) (*Message, error) {
	segs, err := ParseSegments(b)
	if err != nil {
		return nil, err
	}
	head := segs[0]
	if !head.Is("HNHBK") {
		return nil, fmt.Errorf("message starts with %s, not HNHBK", head.Header.Type)
	}
	m := &Message{DialogID: head.Value(2, 0).String()}
	if m.Size, err = head.Value(0, 0).Int(); err != nil {
		return nil, fmt.Errorf("HNHBK message size: %w", err)
	}
	if m.Number, err = head.Value(3, 0).Int(); err != nil {
		return nil, fmt.Errorf("HNHBK message number: %w", err)
	}
	if m.DialogID == "" {
		return nil, errors.New("HNHBK has no dialog ID")
	}
	if ref := head.Element(4); !ref.IsEmpty() {
		num, err := ref.Value(1).Int()
		if err != nil {
			return nil, fmt.Errorf("HNHBK reference message number: %w", err)
		}
		m.Ref = &MessageRef{DialogID: ref.Value(0).String(), Number: num}
	}
	body := segs[1:]
	if len(body) > 0 && body[len(body)-1].Is("HNHBS") {
		body = body[:len(body)-1]
	}
	for _, s := range body {
		switch s.Header.Type {
		case "HNVSK":
			if m.Security == nil {
				m.Security = &Security{Unsigned: true}
			}
			m.Security.readHNVSK(s)
		case "HNVSD":
			data := s.Value(0, 0)
			if !data.Binary {
				return nil, errors.New("HNVSD holds no binary data")
			}
			if len(data.Data) == 0 {
				continue
			}
			in, err := ParseSegments(data.Data)
			if err != nil {
				return nil, fmt.Errorf("HNVSD content: %w", err)
			}
			m.Segments = append(m.Segments, in...)
		default:
			m.Segments = append(m.Segments, s)
		}
	}
	m.unwrapSignature()
	return m, nil
}

// unwrapSignature removes HNSHK and HNSHA from the inner segments and
// records their content in m.Security.
func (m *Message) unwrapSignature() {
	segs := m.Segments
	if len(segs) == 0 || !segs[0].Is("HNSHK") {
		return
	}
	if m.Security == nil {
		m.Security = &Security{}
	}
	m.Security.Unsigned = false
	m.Security.readHNSHK(segs[0])
	segs = segs[1:]
	if n := len(segs); n > 0 && segs[n-1].Is("HNSHA") {
		m.Security.readHNSHA(segs[n-1])
		segs = segs[:n-1]
	}
	m.Segments = segs
}

// Find returns the first inner segment of the given type.
func (m *Message) Find(typ string) (Segment, bool) { return Find(m.Segments, typ) }

// FindAll returns every inner segment of the given type.
func (m *Message) FindAll(typ string) []Segment { return FindAll(m.Segments, typ) }
