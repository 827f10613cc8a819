package wire

import "bytes"

// Redact returns a copy of a serialised message with the user-defined
// signature of every HNSHA (PIN and TAN) replaced by a mask, for logging.
// It works on the raw bytes, also inside HNVSD and on unparseable input,
// so that nothing after "HNSHA:" up to the end of its segment survives.
func Redact(msg []byte) []byte {
	out := make([]byte, 0, len(msg))
	rest := msg
	for {
		i := bytes.Index(rest, []byte("HNSHA:"))
		if i < 0 {
			return append(out, rest...)
		}
		out = append(out, rest[:i]...)
		rest = rest[i:]
		// Keep the header; mask the rest of the segment.
		keep, end := hnshaSpan(rest)
		out = append(out, rest[:keep]...)
		out = append(out, mask...)
		rest = rest[end:]
	}
}

// hnshaSpan scans a segment starting at "HNSHA:" and returns the length of
// the part that may be shown (the header) and the offset of its terminator
// (or of the end of input).
func hnshaSpan(b []byte) (keep, end int) {
	keep = -1
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '?':
			i++
		case '+':
			if keep < 0 {
				keep = i + 1
			}
		case '\'':
			if keep < 0 {
				keep = i
			}
			return keep, i
		}
	}
	if keep < 0 {
		keep = min(len(b), len("HNSHA:"))
	}
	return keep, len(b)
}
