// Package segment holds typed schemas for the FinTS 3.0 segments Kontor
// speaks: dialog segments (HKIDN, HKVVB, HKSYN, HKEND), two-step TAN
// segments (HKTAN, HITAN), bank parameter data (HIBPA, HIKOM, HIPINS,
// HITANS, job parameter segments), user parameter data (HIUPA, HIUPD) and
// the account information jobs (HKSPA, HKSAL, HKKAZ, HKCAZ, HKWPD, HKCDB,
// HKTAB with their answers).
//
// Every type has a Segment method that builds the wire segment and a
// Decode function that reads one, so that both a client and a server can
// use them. Layouts differ between segment versions; each type documents
// the versions it knows, and decoders read the layout of the segment's own
// version. Decoders are lenient where banks are (omitted trailing elements,
// extra elements) and report malformed values as errors naming the segment
// and position.
package segment
