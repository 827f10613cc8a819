package finformat

import (
	"bytes"
	"testing"
)

// BenchmarkParseMT940 reads a year of statements (the four samples,
// repeated).
func BenchmarkParseMT940(b *testing.B) {
	var data []byte
	for _, f := range []string{"sparkasse.sta", "volksbank.sta", "dkb.sta"} {
		data = append(data, readFileB(b, "testdata/mt940/"+f)...)
		data = append(data, '\r', '\n')
	}
	data = bytes.Repeat(data, 100)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		stmts, err := ParseMT940(data)
		if err != nil {
			b.Fatal(err)
		}
		_ = MT940Bookings(stmts, true)
	}
}

// BenchmarkParseCamt reads a camt.052 report.
func BenchmarkParseCamt(b *testing.B) {
	data := readFileB(b, "testdata/camt/dkb_camt052_02.xml")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		doc, err := ParseCamt(data)
		if err != nil {
			b.Fatal(err)
		}
		_ = CamtBookings(doc)
	}
}

func readFileB(b *testing.B, path string) []byte {
	b.Helper()
	data, err := readFileErr(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
