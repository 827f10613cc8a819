// Package wire implements the lexical syntax and the message envelope of
// FinTS 3.0 with the PIN/TAN security procedure.
//
// It knows how bytes on the wire map to segments, data elements and data
// element groups, how values are escaped with the release character '?',
// how binary data is framed as @len@, how text is carried in ISO 8859-1,
// how a message is wrapped in HNHBK/HNVSK/HNVSD/HNSHK/HNSHA/HNHBS, and how
// return codes (HIRMG, HIRMS) look. It knows nothing of dialogs or jobs, so
// that both a client and a server can be built on top of it.
//
// The model is deliberately small:
//
//	Message  – dialog ID, message number, security and the inner segments
//	Segment  – a Header (type:number:version[:ref]) and a list of Elements
//	Element  – one data element, or a data element group: a list of Values
//	Value    – the unescaped bytes of one data element, text or binary
//
// Repeated data element groups nested in one element are flattened into
// the Element's values, exactly as they appear on the wire; interpreting
// positions is the job of the schema layer above this package.
//
// Parsing never panics: malformed input yields an error.
package wire
