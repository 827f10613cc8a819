package analysis

import "github.com/kontor-dev/kontor"

// SetCategory replaces the kontor tags of tx with one category tag. Tags of
// any other source are kept as they are. Because it drops every kontor tag,
// run MarkRecurring after categorising.
func SetCategory(tx *kontor.Transaction, category string) {
	tags := tx.Tags[:0]
	for _, t := range tx.Tags {
		if t.Source != kontor.TagSourceKontor {
			tags = append(tags, t)
		}
	}
	clear(tx.Tags[len(tags):])
	tx.Tags = append(tags, kontor.Tag{Name: category, Source: kontor.TagSourceKontor})
}

// addKontorTag adds a kontor tag unless tx has it already.
func addKontorTag(tx *kontor.Transaction, name string) {
	for _, t := range tx.Tags {
		if t.Name == name && t.Source == kontor.TagSourceKontor {
			return
		}
	}
	tx.Tags = append(tx.Tags, kontor.Tag{Name: name, Source: kontor.TagSourceKontor})
}

// CategoryOf returns the category reports use for tx: the first tag of a
// source other than kontor that names a category of the taxonomy (the API
// client knows best), else Kontor's own category tag, else Uncategorized.
func CategoryOf(tax *Taxonomy, tx *kontor.Transaction) *Category {
	var own *Category
	for _, t := range tx.Tags {
		c, ok := tax.byName[t.Name]
		if !ok {
			continue
		}
		if t.Source != kontor.TagSourceKontor {
			return c
		}
		if own == nil {
			own = c
		}
	}
	if own != nil {
		return own
	}
	return tax.byName[Uncategorized]
}
