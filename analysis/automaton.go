package analysis

// An automaton finds all occurrences of a set of patterns in normalised
// text in one pass (Aho-Corasick) over the 37 symbols of normal form
// (space, a-z, 0-9).
//
// Matching is bound by memory latency: every byte of text is one look-up
// that depends on the one before. So the automaton keeps the states text
// runs through most — the shallow ones, near the root — in a dense table
// (one look-up per byte) small enough to stay in the CPU caches, and the
// many deep states, which only the rest of a long keyword reaches, in a
// compact sparse form: their own edges, and a failure link to fall back on.

const alphabetSize = 37

// denseDepth is the depth up to which states get a dense table row.
const denseDepth = 4

// symbolOf maps a byte of normalised text to its symbol; bytes outside the
// alphabet (which normal form never holds) map to the space symbol.
var symbolOf = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(1 + c - 'a')
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(27 + c - '0')
	}
	return t
}()

// An automaton's states are numbered breadth-first, so the dense states
// (depth ≤ denseDepth) are 0 to nDense-1 and the sparse ones follow. A
// transition target is encoded as state<<1, with the low bit set when the
// target state has outputs, so that scanning looks at outputs only where
// there are some.
type automaton struct {
	nDense uint32
	dense  []uint32 // dense[state*alphabetSize+symbol]: the full transition function

	// Sparse state s (numbered s-nDense here) has the trie edges
	// edgeSym/edgeTo[edgeStart[s]:edgeStart[s+1]] and the failure link
	// fail[s]; any other symbol is looked up from the failure state.
	edgeStart []uint32
	edgeSym   []uint8
	edgeTo    []uint32
	fail      []uint32

	outStart []uint32 // outputs of state s are outs[outStart[s]:outStart[s+1]]
	outs     []uint32 // pattern indexes
}

// newAutomaton builds the automaton of the patterns, which must be in
// normal form (possibly with leading or trailing spaces). A pattern's index
// in patterns is what scan reports.
func newAutomaton(patterns []string) *automaton {
	// Trie: -1 marks a missing edge.
	var edges []int32
	newState := func() int32 {
		for i := 0; i < alphabetSize; i++ {
			edges = append(edges, -1)
		}
		return int32(len(edges)/alphabetSize - 1)
	}
	newState()
	own := [][]uint32{nil}
	for p, pat := range patterns {
		s := int32(0)
		for i := 0; i < len(pat); i++ {
			e := int(s)*alphabetSize + int(symbolOf[pat[i]])
			if edges[e] < 0 {
				t := newState()
				own = append(own, nil)
				edges[e] = t
			}
			s = edges[e]
		}
		own[s] = append(own[s], uint32(p))
	}
	n := len(own)

	// Breadth-first: depth, failure links, full transitions and merged
	// outputs; order lists the trie states breadth-first.
	depth := make([]int, n)
	fail := make([]int32, n)
	delta := make([]int32, n*alphabetSize)
	merged := make([][]uint32, n)
	order := make([]int32, 1, n)
	for c := 0; c < alphabetSize; c++ {
		if t := edges[c]; t >= 0 {
			delta[c] = t
			depth[t] = 1
			order = append(order, t)
		}
	}
	merged[0] = own[0]
	for q := 1; q < len(order); q++ {
		s := order[q]
		merged[s] = append(append([]uint32(nil), own[s]...), merged[fail[s]]...)
		for c := 0; c < alphabetSize; c++ {
			e := int(s)*alphabetSize + c
			if t := edges[e]; t >= 0 {
				fail[t] = delta[int(fail[s])*alphabetSize+c]
				delta[e] = t
				depth[t] = depth[s] + 1
				order = append(order, t)
			} else {
				delta[e] = delta[int(fail[s])*alphabetSize+c]
			}
		}
	}

	rank := make([]uint32, n) // trie state → breadth-first number
	nDense := 0
	for i, s := range order {
		rank[s] = uint32(i)
		if depth[s] <= denseDepth {
			nDense = i + 1
		}
	}
	encode := func(t int32) uint32 {
		v := rank[t] << 1
		if len(merged[t]) > 0 {
			v |= 1
		}
		return v
	}
	a := &automaton{
		nDense:    uint32(nDense),
		dense:     make([]uint32, nDense*alphabetSize),
		edgeStart: make([]uint32, n-nDense+1),
		fail:      make([]uint32, n-nDense),
		outStart:  make([]uint32, n+1),
	}
	for i, s := range order {
		a.outStart[i] = uint32(len(a.outs))
		a.outs = append(a.outs, merged[s]...)
		if i < nDense {
			for c := 0; c < alphabetSize; c++ {
				a.dense[i*alphabetSize+c] = encode(delta[int(s)*alphabetSize+c])
			}
			continue
		}
		k := i - nDense
		a.edgeStart[k] = uint32(len(a.edgeTo))
		a.fail[k] = rank[fail[s]]
		for c := 0; c < alphabetSize; c++ {
			if t := edges[int(s)*alphabetSize+c]; t >= 0 {
				a.edgeSym = append(a.edgeSym, uint8(c))
				a.edgeTo = append(a.edgeTo, encode(t))
			}
		}
	}
	a.edgeStart[n-nDense] = uint32(len(a.edgeTo))
	a.outStart[n] = uint32(len(a.outs))
	return a
}

// scan appends to hits the index of every pattern occurring in text, once
// per occurrence.
func (a *automaton) scan(text []byte, hits []uint32) []uint32 {
	dense, nDense := a.dense, a.nDense
	s := uint32(0)
	for _, c := range text {
		sym := symbolOf[c]
		var v uint32
		for {
			if s < nDense {
				v = dense[s*alphabetSize+uint32(sym)]
				break
			}
			if t, ok := a.sparseEdge(s-nDense, sym); ok {
				v = t
				break
			}
			s = a.fail[s-nDense]
		}
		s = v >> 1
		if v&1 != 0 {
			hits = append(hits, a.outs[a.outStart[s]:a.outStart[s+1]]...)
		}
	}
	return hits
}

// sparseEdge returns the encoded target of sparse state k's trie edge on
// sym, if it has one.
func (a *automaton) sparseEdge(k uint32, sym uint8) (uint32, bool) {
	for e := a.edgeStart[k]; e < a.edgeStart[k+1]; e++ {
		if a.edgeSym[e] == sym {
			return a.edgeTo[e], true
		}
	}
	return 0, false
}
