package analysis

import (
	"fmt"
	"strings"
)

// A keyword in a rule is written like a word or phrase in the statement and
// matched against normal form (see normalize.go), so case, umlauts and
// punctuation do not matter: "Gebühr" matches "GEBUEHR", "1&1" matches
// "1 & 1". By default a keyword matches whole words only. A '*' at either
// end lets the word go on at that end:
//
//	aral           the word "aral" ("ARAL Tankstelle", not "Paral")
//	edeka sagt     the phrase "edeka sagt"
//	lohn*          words starting with "lohn" ("Lohnabrechnung")
//	*versicherung  words ending in "versicherung" ("Hausratversicherung")
//	*miete*        "miete" anywhere ("Garagenmiete", "Mieteingang")

// parseKeyword returns the automaton pattern of a keyword: its normal form
// with a space at each end that does not carry a '*'.
func parseKeyword(k string) (string, error) {
	s := strings.TrimSpace(k)
	open := strings.HasPrefix(s, "*")
	s = strings.TrimPrefix(s, "*")
	close := strings.HasSuffix(s, "*")
	s = strings.TrimSuffix(s, "*")
	if strings.Contains(s, "*") {
		return "", fmt.Errorf("keyword %q: '*' is allowed only at the start or the end", k)
	}
	core := strings.TrimSpace(normalize(s))
	if len(core) < 2 {
		return "", fmt.Errorf("keyword %q: needs at least two letters or digits", k)
	}
	if !open {
		core = " " + core
	}
	if !close {
		core += " "
	}
	return core, nil
}
