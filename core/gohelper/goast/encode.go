// Comments attached, trees normalised, and the binary answer: a JSON header, then five int32 per node.

package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"unicode/utf8"
)

func (b *builder) attach(root *node, fset *token.FileSet) {
	var sc scanner.Scanner
	file := fset.AddFile("", -1, len(b.src))
	sc.Init(file, b.src, nil, scanner.ScanComments)
	base := file.Base()
	for {
		pos, tok, lit := sc.Scan()
		if tok == token.EOF {
			break
		}
		start := int(pos) - base
		var typ string
		named := false
		end := start
		switch {
		case tok == token.COMMENT:
			typ, named, end = "comment", true, start+len(lit)
		case tok == token.SEMICOLON:
			if lit == "\n" {
				typ, end = "\n", start+1
			} else if lit == ";" {
				typ, end = ";", start+1
			} else {
				continue // inserted at EOF or before `)`/`}`
			}
		case tok == token.IDENT || tok.IsLiteral():
			typ, named, end = "identifier", true, start+len(lit)
		default:
			typ = tok.String()
			end = start + len(typ)
		}
		if end > len(b.src) {
			end = len(b.src)
		}
		n := root
		for {
			i := sort.Search(len(n.kids), func(i int) bool { return int(n.kids[i].end) > start })
			if i < len(n.kids) && int(n.kids[i].start) <= start && end <= int(n.kids[i].end) {
				n = n.kids[i]
				continue
			}
			break
		}
		if (tok == token.IDENT || tok.IsLiteral()) && len(n.kids) == 0 && n.named && n != root {
			continue // the token is this leaf (an identifier, a literal, `nil`)
		}
		t := &node{typ: kind(typ), named: named, start: int32(start), end: int32(end), opAt: -1}
		if int(n.opAt) == start {
			t.field = operatorField
		}
		n.toks = append(n.toks, t)
	}
}

var operatorField = kind("operator")

// merge puts tokens among the named children, in source order, everywhere in the tree.
func merge(n *node) {
	for _, k := range n.kids {
		merge(k)
	}
	if len(n.toks) == 0 {
		return
	}
	all := make([]*node, 0, len(n.kids)+len(n.toks))
	i, j := 0, 0
	for i < len(n.kids) || j < len(n.toks) {
		if j >= len(n.toks) || (i < len(n.kids) && n.kids[i].start <= n.toks[j].start) {
			all = append(all, n.kids[i])
			i++
		} else {
			all = append(all, n.toks[j])
			j++
		}
	}
	n.kids, n.toks = all, nil
}

// sortKids keeps children in source order (a few are added out of order, e.g. type switch parts).
func sortKids(n *node) {
	for i := 1; i < len(n.kids); i++ {
		if n.kids[i].start < n.kids[i-1].start {
			sort.SliceStable(n.kids, func(i, j int) bool { return n.kids[i].start < n.kids[j].start })
			break
		}
	}
	for _, k := range n.kids {
		sortKids(k)
	}
}

type header struct {
	Types  []string `json:"types"`
	Fields []string `json:"fields"`
	Errors []string `json:"errors"`
}

// encoder numbers types and fields in pre-order of first use (a first walk, for the header), then
// writes the nodes straight to the output (a second walk): neither the answer nor an array of its
// ints is held beside the tree.
type encoder struct {
	h      header
	types  []int32 // kind → type index + 1 (0: not seen yet)
	fields []int32 // kind → field index + 1
	count  int
	utf16  []int32 // byte offset → UTF-16 offset, nil when the text is ASCII
}

func (e *encoder) number(n *node) {
	e.count++
	if e.types[n.typ] == 0 {
		e.h.Types = append(e.h.Types, kinds[n.typ])
		e.types[n.typ] = int32(len(e.h.Types))
	}
	if n.field != 0 && e.fields[n.field] == 0 {
		e.h.Fields = append(e.h.Fields, kinds[n.field])
		e.fields[n.field] = int32(len(e.h.Fields))
	}
	for _, k := range n.kids {
		e.number(k)
	}
}

func (e *encoder) off(b int32) int32 {
	if e.utf16 == nil {
		return b
	}
	if int(b) >= len(e.utf16) {
		// go/parser may end a node of an unfinished file past its text (an index panic here once).
		return e.utf16[len(e.utf16)-1]
	}
	return e.utf16[b]
}

// write emits n and its descendants (5 int32 LE each) in pre-order; idx is n's index.
func (e *encoder) write(w *bufio.Writer, n *node, parent int32, idx *int32) {
	me := *idx
	*idx++
	named := int32(0)
	if n.named {
		named = 1
	}
	var buf [20]byte
	binary.LittleEndian.PutUint32(buf[0:], uint32((e.types[n.typ]-1)*2+named))
	binary.LittleEndian.PutUint32(buf[4:], uint32(e.off(n.start)))
	binary.LittleEndian.PutUint32(buf[8:], uint32(e.off(n.end)))
	binary.LittleEndian.PutUint32(buf[12:], uint32(parent))
	binary.LittleEndian.PutUint32(buf[16:], uint32(e.fields[n.field]-1))
	w.Write(buf[:])
	for _, k := range n.kids {
		e.write(w, k, me, idx)
	}
}

func utf16Offsets(src []byte) []int32 {
	ascii := true
	for _, c := range src {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	t := make([]int32, len(src)+1)
	u := int32(0)
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		for k := 0; k < size; k++ {
			t[i+k] = u
		}
		if r >= 0x10000 {
			u += 2
		} else {
			u++
		}
		i += size
	}
	t[len(src)] = u
	return t
}

// parse writes the response for one source to w.
func parse(w *bufio.Writer, src []byte) {
	fset := token.NewFileSet()
	// The file's base is the set's next one: asked of f.Pos() instead, an empty source (no package
	// clause, f.Pos() is NoPos) had no file and the helper panicked.
	base := fset.Base()
	f, err := parser.ParseFile(fset, "", src, parser.SkipObjectResolution|parser.AllErrors)
	e := &encoder{utf16: utf16Offsets(src), h: header{Types: []string{}, Fields: []string{}, Errors: []string{}}}
	if list, ok := err.(scanner.ErrorList); ok {
		for _, x := range list {
			e.h.Errors = append(e.h.Errors, x.Error())
		}
	} else if err != nil {
		e.h.Errors = append(e.h.Errors, err.Error())
	}
	var root *node
	if f != nil {
		b := &builder{base: base, src: src}
		root = b.file(f)
		f = nil // the go/ast tree is garbage from here on
		sortKids(root)
		b.attach(root, fset)
		merge(root)
	} else {
		root = &node{typ: kind("source_file"), named: true, end: int32(len(src)), opAt: -1}
	}
	e.types = make([]int32, len(kinds))
	e.fields = make([]int32, len(kinds))
	e.number(root)
	hdr, _ := json.Marshal(e.h)
	for len(hdr)%4 != 0 {
		hdr = append(hdr, ' ')
	}
	var lens [8]byte
	binary.LittleEndian.PutUint32(lens[0:], uint32(4+len(hdr)+20*e.count))
	binary.LittleEndian.PutUint32(lens[4:], uint32(len(hdr)))
	w.Write(lens[:])
	w.Write(hdr)
	idx := int32(0)
	e.write(w, root, -1, &idx)
}

// bigSource: sources from this size on are followed by returning the freed memory to the OS.
