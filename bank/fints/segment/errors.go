package segment

import "errors"

var errCreditDebit = errors.New("credit/debit mark is neither C nor D")

var errUnsupportedVersion = errors.New("segment version not supported")
