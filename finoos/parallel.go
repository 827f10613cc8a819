package finoos

import (
	"io"
	"runtime"
	"sync"

	"github.com/kontor-dev/kontor/internal/httpx"
)

// A long list of transactions is most of a large upload, and decoding it
// most of the upload's time. So once the body left to read is large, the
// decoder reads the list in parts, each only as far as needed to find
// where its elements end, and other goroutines decode the parts into their
// places while it reads on. The result, and any error, is what list gives.
const (
	// partsFrom is how many bytes of the body must be left for a list to
	// be read in parts.
	partsFrom int64 = 1 << 20
	// partSize is the size of the parts' text.
	partSize = 128 << 10
)

// inParts tells whether the list that begins next is read in parts, and
// returns the size of their text.
func (d *loginsDecoder) inParts() (bool, int) {
	from, size := partsFrom, partSize
	switch {
	case d.parts.whole:
		return false, 0
	case d.parts.from > 0:
		from, size = d.parts.from, d.parts.size
	}
	rem := d.rd.Remaining()
	return rem < 0 || rem >= from, size
}

// part is a run of elements of a list and their places in it.
type part[T any] struct {
	els   httpx.Elements
	out   []T
	n     int   // the part's index in the list
	cutBy error // the input's error, when els is cut short by it
	err   error // the part's decoding error
}

// parallelList reads an array of objects into *dst as list does, decoding
// its parts with elem on other goroutines. Elements that are not objects
// and all after them are decoded here, in order, as list decodes them.
func parallelList[T any](d *loginsDecoder, dst *[]T, path string, size int, elem func(*loginsDecoder, *T) error) error {
	if k, err := d.rd.Kind(); err != nil || k != httpx.KindArray || len(*dst) > 0 {
		return list(d, dst, path, func(t *T) error { return elem(d, t) })
	}
	if err := d.rd.BeginArray(); err != nil {
		return err
	}
	p := newParts(elem)
	defer p.close()
	var (
		start = d.rd.Offset()
		out   []T
		err   error
	)
	for n := 0; ; n++ {
		var (
			els           httpx.Elements
			more, pending bool
		)
		els, more, pending, err = d.rd.Elements(p.buffer(size), size)
		if els.N > 0 {
			if len(out)+els.N > cap(out) {
				p.wait() // no part may be decoding into the old array
				out = grown(out, els.N, d.rd, start)
			}
			pt := &part[T]{els: els, out: out[len(out) : len(out)+els.N : len(out)+els.N], n: n}
			out = out[:len(out)+els.N]
			if els.Cut {
				pt.cutBy = err
			}
			p.decode(pt, n == 0 && !more)
		}
		if err != nil || !more || p.failed() {
			break
		}
		if pending {
			// An element that is not an object: the rest as list reads it.
			p.wait()
			err = rest(d, &out, elem)
			break
		}
	}
	p.wait()
	if perr := p.firstErr(); perr != nil {
		return perr // it comes before whatever stopped the reading here
	}
	if err != nil {
		return err
	}
	if len(out) == 0 {
		out = []T{}
	}
	*dst = out
	return nil
}

// rest decodes the remaining elements of the array, the next one pending,
// appending them to *out.
func rest[T any](d *loginsDecoder, out *[]T, elem func(*loginsDecoder, *T) error) error {
	for {
		var zero T
		*out = append(*out, zero)
		if err := elem(d, &(*out)[len(*out)-1]); err != nil {
			return err
		}
		more, err := d.rd.Next()
		if err != nil || !more {
			return err
		}
	}
}

// grown returns out with room for n more elements and, estimated from the
// bytes an element took so far, for the rest of the body, as grow sizes a
// list.
func grown[T any](out []T, n int, rd *httpx.Reader, start int64) []T {
	have := len(out) + n
	c := have + max(have, 16)
	if rem := rd.Remaining(); rem >= 0 {
		perElem := float64(rd.Offset()-start) / float64(have)
		c = have + int(float64(rem)/perElem*1.02) + 16
	}
	bigger := make([]T, len(out), c)
	copy(bigger, out)
	return bigger
}

// parts decodes parts of a list on up to GOMAXPROCS goroutines, each with
// a decoder of its own.
type parts[T any] struct {
	elem       func(*loginsDecoder, *T) error
	jobs       chan *part[T]
	free       chan []byte // texts of decoded parts, for reuse
	running    sync.WaitGroup
	workers    int
	maxWorkers int

	mu    sync.Mutex
	first *part[T] // the failed part that comes first
}

func newParts[T any](elem func(*loginsDecoder, *T) error) *parts[T] {
	n := runtime.GOMAXPROCS(0)
	return &parts[T]{elem: elem, jobs: make(chan *part[T]), free: make(chan []byte, n+2), maxWorkers: n}
}

// buffer returns a buffer for a part's text.
func (p *parts[T]) buffer(size int) []byte {
	select {
	case b := <-p.free:
		return b
	default:
		return make([]byte, 0, size+size/4)
	}
}

// decode decodes pt, here when it is alone, else on a worker, starting
// one while there are fewer than GOMAXPROCS.
func (p *parts[T]) decode(pt *part[T], alone bool) {
	p.running.Add(1)
	if alone {
		p.run(&loginsDecoder{rd: &httpx.Reader{}}, pt)
		return
	}
	if p.workers < p.maxWorkers {
		select {
		case p.jobs <- pt:
			return
		default:
		}
		p.workers++
		go p.work()
	}
	p.jobs <- pt
}

func (p *parts[T]) work() {
	d := &loginsDecoder{rd: &httpx.Reader{}}
	for pt := range p.jobs {
		p.run(d, pt)
	}
}

// run decodes the part with d and records its error.
func (p *parts[T]) run(d *loginsDecoder, pt *part[T]) {
	defer p.running.Done()
	err := decodePart(d, pt, p.elem)
	if err == io.ErrUnexpectedEOF && pt.els.Cut {
		err = pt.cutBy // the text ended where the input failed
	}
	select {
	case p.free <- pt.els.Text[:0]:
	default:
	}
	if err == nil {
		return
	}
	p.mu.Lock()
	if p.first == nil || pt.n < p.first.n {
		pt.err, p.first = err, pt
	}
	p.mu.Unlock()
}

// decodePart decodes the part's elements into its places.
func decodePart[T any](d *loginsDecoder, pt *part[T], elem func(*loginsDecoder, *T) error) error {
	d.rd.ResetElements(pt.els)
	for i := range pt.out {
		if _, err := d.rd.Next(); err != nil {
			return err
		}
		if err := elem(d, &pt.out[i]); err != nil {
			return err
		}
	}
	return nil
}

// wait waits until every part handed out is decoded.
func (p *parts[T]) wait() { p.running.Wait() }

// failed reports whether a part failed to decode.
func (p *parts[T]) failed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.first != nil
}

// firstErr returns the error of the failed part that comes first.
func (p *parts[T]) firstErr() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.first == nil {
		return nil
	}
	return p.first.err
}

// close stops the workers.
func (p *parts[T]) close() { close(p.jobs) }
