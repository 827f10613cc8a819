package fints

import (
	"encoding/binary"
	"strings"
)

// parseImage reads a photoTAN/QR challenge from HHD_UC data: a two-byte
// big-endian length and the MIME type, then a two-byte length and the
// image. It returns nil for anything else, such as flicker codes.
func parseImage(b []byte) *Image {
	if len(b) < 2 {
		return nil
	}
	n := int(binary.BigEndian.Uint16(b))
	if n == 0 || n > 100 || len(b) < 2+n+2 {
		return nil
	}
	mime := string(b[2 : 2+n])
	if !strings.HasPrefix(mime, "image/") {
		return nil
	}
	rest := b[2+n:]
	m := int(binary.BigEndian.Uint16(rest))
	rest = rest[2:]
	if m == 0 || m > len(rest) {
		return nil
	}
	return &Image{MIMEType: mime, Data: rest[:m]}
}
