package kontor

import (
	"strconv"

	"github.com/kontor-dev/kontor/internal/jsonstr"
)

// AppendJSON appends the transaction's JSON, byte for byte as
// encoding/json's Marshal writes it. The store keeps this form of every
// transaction beside its columns, so that listing thousands of them copies
// stored bytes instead of reading and encoding each field (see Encoded).
func (t *Transaction) AppendJSON(b []byte) []byte {
	b = jsonstr.Append(append(b, `{"id":`...), t.ID)
	b = jsonstr.Append(append(b, `,"accountID":`...), t.AccountID)
	b = t.BookingDate.AppendJSON(append(b, `,"bookingDate":`...))
	b = t.ValueDate.AppendJSON(append(b, `,"valueDate":`...))
	b = jsonstr.Append(append(b, `,"currency":`...), t.Currency)
	b = jsonstr.Append(append(b, `,"mref":`...), t.MRef)
	b = jsonstr.Append(append(b, `,"purpose":`...), t.Purpose)
	b = strconv.AppendBool(append(b, `,"booked":`...), t.Booked)
	b = t.Amount.AppendJSON(append(b, `,"amount":`...))
	b = jsonstr.Append(append(b, `,"counterPart":{"bic":`...), t.CounterPart.BIC)
	b = jsonstr.Append(append(b, `,"iban":`...), t.CounterPart.IBAN)
	b = jsonstr.Append(append(b, `,"creditorId":`...), t.CounterPart.CreditorID)
	b = jsonstr.Append(append(b, `,"name":`...), t.CounterPart.Name)
	b = append(b, `},"tags":`...)
	if t.Tags == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, tag := range t.Tags {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.Append(append(b, `{"name":`...), tag.Name)
			if tag.Source != "" {
				b = jsonstr.Append(append(b, `,"source":`...), tag.Source)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"codes":`...)
	if t.Codes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range t.Codes {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.Append(append(b, `{"value":`...), c.Value)
			b = jsonstr.Append(append(b, `,"type":`...), c.Type)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}
