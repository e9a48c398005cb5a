// The syntax tree the helper answers: tree-sitter-go's node types and field names, built from go/ast
// (declarations here; expressions in exprs.go, statements in stmts.go, the wire format in encode.go).

package main

import (
	"go/ast"
	"go/token"
)

// node is one tree-sitter node. A big generated file's tree, a million nodes and more, is held at once, so
// a node is kept small: type and field are indexes into kinds (interned once per name), offsets are int32.
type node struct {
	typ   uint16 // index into kinds
	field uint16 // index into kinds; 0: none
	named bool
	start int32 // byte offsets
	end   int32
	opAt  int32 // byte offset of the token that is this node's `operator` field, or -1
	kids  []*node
	toks  []*node // anonymous tokens and comments, merged into kids at the end
}

// kinds interns the node type and field names; index 0 is the empty name (no field).
var kinds = []string{""}
var kindIDs = map[string]uint16{"": 0}

func kind(s string) uint16 {
	if id, ok := kindIDs[s]; ok {
		return id
	}
	id := uint16(len(kinds))
	kinds = append(kinds, s)
	kindIDs[s] = id
	return id
}

type builder struct {
	base int
	src  []byte
}

func (b *builder) off(p token.Pos) int { return int(p) - b.base }

func (b *builder) mk(typ string, from, to token.Pos) *node {
	return &node{typ: kind(typ), named: true, start: int32(b.off(from)), end: int32(b.off(to)), opAt: -1}
}

func (n *node) add(field string, c *node) *node {
	if c != nil && n != nil {
		c.field = kind(field)
		n.kids = append(n.kids, c)
	}
	return c
}

func (b *builder) file(f *ast.File) *node {
	root := &node{typ: kind("source_file"), named: true, start: 0, end: int32(len(b.src)), opAt: -1}
	if f.Name != nil {
		pc := b.mk("package_clause", f.Package, f.Name.End())
		pc.add("", b.mk("package_identifier", f.Name.Pos(), f.Name.End()))
		root.add("", pc)
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			root.add("", b.funcDecl(d))
		case *ast.GenDecl:
			root.add("", b.genDecl(d))
		case *ast.BadDecl:
			root.add("", b.mk("ERROR", d.From, d.To))
		}
	}
	return root
}

func (b *builder) funcDecl(d *ast.FuncDecl) *node {
	var n *node
	if d.Recv != nil {
		n = b.mk("method_declaration", d.Pos(), d.End())
		n.add("receiver", b.params(d.Recv, "parameter_list"))
		n.add("name", b.mk("field_identifier", d.Name.Pos(), d.Name.End()))
	} else {
		n = b.mk("function_declaration", d.Pos(), d.End())
		n.add("name", b.mk("identifier", d.Name.Pos(), d.Name.End()))
	}
	b.signature(n, d.Type)
	if d.Body != nil {
		n.add("body", b.block(d.Body))
	}
	return n
}

// signature adds type_parameters, parameters and result of a function type to n.
func (b *builder) signature(n *node, t *ast.FuncType) {
	if t.TypeParams != nil {
		n.add("type_parameters", b.params(t.TypeParams, "type_parameter_list"))
	}
	if t.Params != nil {
		n.add("parameters", b.params(t.Params, "parameter_list"))
	}
	if r := t.Results; r != nil && len(r.List) > 0 {
		if r.Opening.IsValid() {
			n.add("result", b.params(r, "parameter_list"))
		} else {
			n.add("result", b.expr(r.List[0].Type, true))
		}
	}
}

func (b *builder) params(fl *ast.FieldList, typ string) *node {
	n := b.mk(typ, fl.Pos(), fl.End())
	for _, f := range fl.List {
		var p *node
		if ell, ok := f.Type.(*ast.Ellipsis); ok {
			p = b.mk("variadic_parameter_declaration", f.Pos(), f.End())
			b.names(p, f.Names, "identifier")
			p.add("type", b.expr(ell.Elt, true))
		} else {
			p = b.mk("parameter_declaration", f.Pos(), f.End())
			b.names(p, f.Names, "identifier")
			p.add("type", b.expr(f.Type, true))
		}
		n.add("", p)
	}
	return n
}

func (b *builder) names(n *node, names []*ast.Ident, typ string) {
	for _, id := range names {
		n.add("name", b.mk(typ, id.Pos(), id.End()))
	}
}

func (b *builder) genDecl(d *ast.GenDecl) *node {
	var typ string
	switch d.Tok {
	case token.IMPORT:
		typ = "import_declaration"
	case token.CONST:
		typ = "const_declaration"
	case token.VAR:
		typ = "var_declaration"
	default:
		typ = "type_declaration"
	}
	n := b.mk(typ, d.Pos(), d.End())
	parent := n
	if d.Tok == token.IMPORT && d.Lparen.IsValid() {
		parent = n.add("", b.mk("import_spec_list", d.Lparen, d.Rparen+1))
	}
	for _, s := range d.Specs {
		switch s := s.(type) {
		case *ast.ImportSpec:
			is := b.mk("import_spec", s.Pos(), s.End())
			if s.Name != nil {
				t := "package_identifier"
				if s.Name.Name == "." {
					t = "dot"
				} else if s.Name.Name == "_" {
					t = "blank_identifier"
				}
				is.add("name", b.mk(t, s.Name.Pos(), s.Name.End()))
			}
			is.add("path", b.expr(s.Path, false))
			parent.add("", is)
		case *ast.ValueSpec:
			t := "var_spec"
			if d.Tok == token.CONST {
				t = "const_spec"
			}
			vs := b.mk(t, s.Pos(), s.End())
			b.names(vs, s.Names, "identifier")
			if s.Type != nil {
				vs.add("type", b.expr(s.Type, true))
			}
			if len(s.Values) > 0 {
				vs.add("value", b.exprList(s.Values))
			}
			parent.add("", vs)
		case *ast.TypeSpec:
			t := "type_spec"
			if s.Assign.IsValid() {
				t = "type_alias"
			}
			ts := b.mk(t, s.Pos(), s.End())
			ts.add("name", b.mk("type_identifier", s.Name.Pos(), s.Name.End()))
			if s.TypeParams != nil {
				ts.add("type_parameters", b.params(s.TypeParams, "type_parameter_list"))
			}
			ts.add("type", b.expr(s.Type, true))
			parent.add("", ts)
		}
	}
	return n
}

func (b *builder) exprList(list []ast.Expr) *node {
	if len(list) == 0 {
		return nil
	}
	n := b.mk("expression_list", list[0].Pos(), list[len(list)-1].End())
	for _, e := range list {
		n.add("", b.expr(e, false))
	}
	return n
}
