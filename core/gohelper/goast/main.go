// Command goast parses Go source with the go/parser of the toolchain that built it and prints each
// file's syntax tree in the shape of tree-sitter-go (its node types, field names and anonymous tokens),
// so the locator sees exactly the Go the user compiles. Go Escape Lens ships this file as source and
// builds it with the user's own go command into the user's cache directory, once per Go version.
//
// Protocol on stdin/stdout, one request at a time:
//
//	request:  "<n>\n" then n bytes of source
//	response: uint32 LE length L, then L bytes: uint32 LE length H, H bytes of a JSON header
//	          {"types":[...],"fields":[...],"errors":[...]} padded with spaces to a multiple of 4, then
//	          5 int32 LE per node in pre-order: type index*2 + named, start, end (UTF-16 code units of
//	          the text), parent index (-1 for the root), field index (-1 for none).
//
// With -once it reads one source until EOF and writes one response (the synchronous fallback).
// With -tee it is the go command's -toolexec wrapper instead (tee.go); with -types, a type checker (types.go).
//
// Standard library only, and nothing newer than Go 1.18, so that any toolchain the extension supports
// builds it.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"os"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
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

var literalTypes = map[token.Token]string{
	token.INT: "int_literal", token.FLOAT: "float_literal", token.IMAG: "imaginary_literal", token.CHAR: "rune_literal",
}

// isTypeSyntax: a call of this is a conversion (tree-sitter's type_conversion_expression).
func isTypeSyntax(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType:
		return true
	case *ast.ParenExpr:
		return isTypeSyntax(e.X)
	case *ast.StarExpr:
		return isTypeSyntax(e.X)
	}
	return false
}

// expr converts an expression; ty says the position is a type's (identifiers are type_identifier,
// `*T` is pointer_type, `p.T` is qualified_type, `T[A]` is generic_type).
func (b *builder) expr(e ast.Expr, ty bool) *node {
	switch e := e.(type) {
	case nil:
		return nil
	case *ast.BadExpr:
		return b.mk("ERROR", e.From, e.To)
	case *ast.Ident:
		if ty {
			return b.mk("type_identifier", e.Pos(), e.End())
		}
		switch e.Name {
		case "nil", "true", "false", "iota":
			return b.mk(e.Name, e.Pos(), e.End())
		}
		return b.mk("identifier", e.Pos(), e.End())
	case *ast.BasicLit:
		t := literalTypes[e.Kind]
		if e.Kind == token.STRING {
			t = "interpreted_string_literal"
			if strings.HasPrefix(e.Value, "`") {
				t = "raw_string_literal"
			}
		}
		return b.mk(t, e.Pos(), e.End())
	case *ast.CompositeLit:
		n := b.mk("composite_literal", e.Pos(), e.End())
		if e.Type != nil {
			n.add("type", b.expr(e.Type, true))
		}
		n.add("body", b.literalValue(e))
		return n
	case *ast.FuncLit:
		n := b.mk("func_literal", e.Pos(), e.End())
		b.signature(n, e.Type)
		n.add("body", b.block(e.Body))
		return n
	case *ast.ParenExpr:
		t := "parenthesized_expression"
		if ty {
			t = "parenthesized_type"
		}
		n := b.mk(t, e.Pos(), e.End())
		n.add("", b.expr(e.X, ty))
		return n
	case *ast.SelectorExpr:
		if id, ok := e.X.(*ast.Ident); ok && ty {
			return b.node("qualified_type", e, child{"package", b.mk("package_identifier", id.Pos(), id.End())}, child{"name", b.mk("type_identifier", e.Sel.Pos(), e.Sel.End())})
		}
		return b.node("selector_expression", e, child{"operand", b.expr(e.X, false)}, child{"field", b.mk("field_identifier", e.Sel.Pos(), e.Sel.End())})
	case *ast.IndexExpr:
		if ty {
			return b.generic(e.X, []ast.Expr{e.Index}, e.Lbrack, e.Rbrack, e.End())
		}
		return b.node("index_expression", e, child{"operand", b.expr(e.X, false)}, child{"index", b.expr(e.Index, false)})
	case *ast.IndexListExpr:
		if ty {
			return b.generic(e.X, e.Indices, e.Lbrack, e.Rbrack, e.End())
		}
		n := b.mk("index_expression", e.Pos(), e.End())
		n.add("operand", b.expr(e.X, false))
		for _, i := range e.Indices {
			n.add("index", b.expr(i, true))
		}
		return n
	case *ast.SliceExpr:
		return b.node("slice_expression", e, child{"operand", b.expr(e.X, false)}, child{"start", b.expr(e.Low, false)}, child{"end", b.expr(e.High, false)}, child{"capacity", b.expr(e.Max, false)})
	case *ast.TypeAssertExpr:
		return b.node("type_assertion_expression", e, child{"operand", b.expr(e.X, false)}, child{"type", b.expr(e.Type, true)})
	case *ast.CallExpr:
		return b.call(e)
	case *ast.StarExpr:
		if ty {
			return b.wrap("pointer_type", "", e, e.X, true)
		}
		return b.unary(e, e.Star, e.X)
	case *ast.UnaryExpr:
		if e.Op == token.TILDE {
			return b.wrap("negated_type", "", e, e.X, true)
		}
		return b.unary(e, e.OpPos, e.X)
	case *ast.BinaryExpr:
		if ty && e.Op == token.OR {
			return b.node("union_type", e, child{"", b.expr(e.X, true)}, child{"", b.expr(e.Y, true)})
		}
		n := b.mk("binary_expression", e.Pos(), e.End())
		n.opAt = int32(b.off(e.OpPos))
		n.add("left", b.expr(e.X, false))
		n.add("right", b.expr(e.Y, false))
		return n
	case *ast.KeyValueExpr:
		return b.node("keyed_element", e, child{"", b.element(e.Key)}, child{"", b.element(e.Value)})
	case *ast.Ellipsis:
		n := b.mk("variadic_argument", e.Pos(), e.End())
		n.add("", b.expr(e.Elt, true))
		return n
	case *ast.ArrayType:
		var n *node
		switch l := e.Len.(type) {
		case nil:
			n = b.mk("slice_type", e.Pos(), e.End())
		case *ast.Ellipsis:
			_ = l
			n = b.mk("implicit_length_array_type", e.Pos(), e.End())
		default:
			n = b.mk("array_type", e.Pos(), e.End())
			n.add("length", b.expr(e.Len, false))
		}
		n.add("element", b.expr(e.Elt, true))
		return n
	case *ast.StructType:
		n := b.mk("struct_type", e.Pos(), e.End())
		if e.Fields != nil {
			n.add("", b.fields(e.Fields))
		}
		return n
	case *ast.FuncType:
		n := b.mk("function_type", e.Pos(), e.End())
		b.signature(n, e)
		return n
	case *ast.InterfaceType:
		n := b.mk("interface_type", e.Pos(), e.End())
		if e.Methods != nil {
			for _, f := range e.Methods.List {
				if ft, ok := f.Type.(*ast.FuncType); ok && len(f.Names) > 0 {
					m := b.mk("method_spec", f.Pos(), f.End())
					m.add("name", b.mk("field_identifier", f.Names[0].Pos(), f.Names[0].End()))
					b.signature(m, ft)
					n.add("", m)
				} else {
					c := b.mk("constraint_elem", f.Type.Pos(), f.Type.End())
					c.add("", b.expr(f.Type, true))
					n.add("", c)
				}
			}
		}
		return n
	case *ast.MapType:
		return b.node("map_type", e, child{"key", b.expr(e.Key, true)}, child{"value", b.expr(e.Value, true)})
	case *ast.ChanType:
		n := b.mk("channel_type", e.Pos(), e.End())
		n.add("value", b.expr(e.Value, true))
		return n
	}
	return b.mk("ERROR", e.Pos(), e.End())
}

// clauses adds the clauses of a switch or select body to n; clause makes each one's node and says which
// statements it holds (their ends run to the next clause, clauseEnds).
func (b *builder) clauses(n *node, body *ast.BlockStmt, clause func(c ast.Stmt) (*node, []ast.Stmt)) {
	next := b.clauseEnds(body)
	for ci, c := range body.List {
		k, stmts := clause(c)
		b.stmts(k, stmts, next[ci])
		n.add("", k)
	}
}

// child is one field of a node (an empty field name for tree-sitter's unnamed children).
type child struct {
	field string
	n     *node
}

// node is a node spanning e with the given children, in order.
func (b *builder) node(typ string, e ast.Node, kids ...child) *node {
	n := b.mk(typ, e.Pos(), e.End())
	for _, k := range kids {
		n.add(k.field, k.n)
	}
	return n
}

// caseClause is a switch's clause: a default_case without a list, else a typ node with what add puts in it.
func (b *builder) caseClause(c ast.Stmt, typ string, add func(k *node, list []ast.Expr)) (*node, []ast.Stmt) {
	cc := c.(*ast.CaseClause)
	if cc.List == nil {
		return b.mk("default_case", cc.Pos(), cc.End()), cc.Body
	}
	k := b.mk(typ, cc.Pos(), cc.End())
	add(k, cc.List)
	return k, cc.Body
}

// wrap is a node spanning e with one child, x read as a type (ty) or a value.
func (b *builder) wrap(typ, field string, e ast.Node, x ast.Expr, ty bool) *node {
	n := b.mk(typ, e.Pos(), e.End())
	n.add(field, b.expr(x, ty))
	return n
}

// unary is tree-sitter's unary_expression: the operator at op, the operand x.
func (b *builder) unary(e ast.Node, op token.Pos, x ast.Expr) *node {
	n := b.mk("unary_expression", e.Pos(), e.End())
	n.opAt = int32(b.off(op))
	n.add("operand", b.expr(x, false))
	return n
}

func (b *builder) generic(x ast.Expr, args []ast.Expr, lbrack, rbrack, end token.Pos) *node {
	n := b.mk("generic_type", x.Pos(), end)
	n.add("type", b.expr(x, true))
	n.add("type_arguments", b.typeArgs(args, lbrack, rbrack))
	return n
}

func (b *builder) typeArgs(args []ast.Expr, lbrack, rbrack token.Pos) *node {
	n := b.mk("type_arguments", lbrack, rbrack+1)
	for _, a := range args {
		n.add("", b.expr(a, true))
	}
	return n
}

func (b *builder) call(e *ast.CallExpr) *node {
	if isTypeSyntax(e.Fun) && len(e.Args) == 1 {
		return b.node("type_conversion_expression", e, child{"type", b.expr(e.Fun, true)}, child{"operand", b.expr(e.Args[0], false)})
	}
	n := b.mk("call_expression", e.Pos(), e.End())
	switch f := e.Fun.(type) {
	case *ast.IndexExpr:
		n.add("function", b.expr(f.X, false))
		n.add("type_arguments", b.typeArgs([]ast.Expr{f.Index}, f.Lbrack, f.Rbrack))
	case *ast.IndexListExpr:
		n.add("function", b.expr(f.X, false))
		n.add("type_arguments", b.typeArgs(f.Indices, f.Lbrack, f.Rbrack))
	default:
		n.add("function", b.expr(e.Fun, false))
	}
	args := b.mk("argument_list", e.Lparen, e.Rparen+1)
	// new(T) and make(T, n) take a type first.
	builtin := false
	if id, ok := e.Fun.(*ast.Ident); ok && (id.Name == "new" || id.Name == "make") {
		builtin = true
	}
	for i, a := range e.Args {
		var c *node
		if i == 0 && builtin {
			c = b.expr(a, isTypeExpr(a))
		} else {
			c = b.expr(a, false)
		}
		if i == len(e.Args)-1 && e.Ellipsis.IsValid() {
			v := b.mk("variadic_argument", a.Pos(), e.Ellipsis+3)
			v.add("", c)
			c = v
		}
		args.add("", c)
	}
	n.add("arguments", args)
	return n
}

// isTypeExpr: the first argument of new/make reads as a type unless it clearly is a value (Go 1.26
// new(expr)).
func isTypeExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident, *ast.ArrayType, *ast.MapType, *ast.ChanType, *ast.FuncType, *ast.InterfaceType, *ast.StructType:
		return true
	case *ast.StarExpr:
		return isTypeExpr(e.X)
	case *ast.SelectorExpr:
		_, ok := e.X.(*ast.Ident)
		return ok
	case *ast.IndexExpr, *ast.IndexListExpr:
		return true
	case *ast.ParenExpr:
		return isTypeExpr(e.X)
	}
	return false
}

func (b *builder) element(e ast.Expr) *node {
	n := b.mk("literal_element", e.Pos(), e.End())
	if cl, ok := e.(*ast.CompositeLit); ok && cl.Type == nil {
		n.add("", b.literalValue(cl))
	} else {
		n.add("", b.expr(e, false))
	}
	return n
}

func (b *builder) literalValue(e *ast.CompositeLit) *node {
	n := b.mk("literal_value", e.Lbrace, e.Rbrace+1)
	for _, el := range e.Elts {
		if kv, ok := el.(*ast.KeyValueExpr); ok {
			n.add("", b.expr(kv, false))
		} else {
			n.add("", b.element(el))
		}
	}
	return n
}

func (b *builder) fields(fl *ast.FieldList) *node {
	n := b.mk("field_declaration_list", fl.Pos(), fl.End())
	for _, f := range fl.List {
		fd := b.mk("field_declaration", f.Pos(), f.End())
		b.names(fd, f.Names, "field_identifier")
		t := f.Type
		if st, ok := t.(*ast.StarExpr); ok && len(f.Names) == 0 {
			t = st.X // embedded *T: tree-sitter keeps the `*` as a token of the field
		}
		fd.add("type", b.expr(t, true))
		if f.Tag != nil {
			fd.add("tag", b.expr(f.Tag, false))
		}
		n.add("", fd)
	}
	return n
}

func (b *builder) block(s *ast.BlockStmt) *node {
	n := b.mk("block", s.Lbrace, s.End())
	for _, st := range s.List {
		n.add("", b.stmt(st))
	}
	return n
}

// trimmed is [from, to) without surrounding white space.
func (b *builder) trimmed(from, to int) (int, int) {
	for from < to && isSpace(b.src[from]) {
		from++
	}
	for to > from && isSpace(b.src[to-1]) {
		to--
	}
	return from, to
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (b *builder) stmt(s ast.Stmt) *node {
	switch s := s.(type) {
	case nil:
		return nil
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			return b.genDecl(g)
		}
		return nil
	case *ast.BadStmt:
		return b.mk("ERROR", s.From, s.To)
	case *ast.EmptyStmt:
		if s.Implicit {
			return nil
		}
		return b.mk("empty_statement", s.Semicolon, s.Semicolon+1)
	case *ast.LabeledStmt:
		return b.node("labeled_statement", s, child{"label", b.mk("label_name", s.Label.Pos(), s.Label.End())}, child{"", b.stmt(s.Stmt)})
	case *ast.ExprStmt:
		return b.wrap("expression_statement", "", s, s.X, false)
	case *ast.SendStmt:
		return b.node("send_statement", s, child{"channel", b.expr(s.Chan, false)}, child{"value", b.expr(s.Value, false)})
	case *ast.IncDecStmt:
		t := "inc_statement"
		if s.Tok == token.DEC {
			t = "dec_statement"
		}
		return b.wrap(t, "", s, s.X, false)
	case *ast.AssignStmt:
		t := "assignment_statement"
		if s.Tok == token.DEFINE {
			t = "short_var_declaration"
		}
		n := b.mk(t, s.Pos(), s.End())
		if s.Tok != token.DEFINE {
			n.opAt = int32(b.off(s.TokPos))
		}
		n.add("left", b.exprList(s.Lhs))
		n.add("right", b.exprList(s.Rhs))
		return n
	case *ast.GoStmt:
		return b.wrap("go_statement", "", s, s.Call, false)
	case *ast.DeferStmt:
		return b.wrap("defer_statement", "", s, s.Call, false)
	case *ast.ReturnStmt:
		n := b.mk("return_statement", s.Pos(), s.End())
		n.add("", b.exprList(s.Results))
		return n
	case *ast.BranchStmt:
		n := b.mk(strings.ToLower(s.Tok.String())+"_statement", s.Pos(), s.End())
		if s.Label != nil {
			n.add("", b.mk("label_name", s.Label.Pos(), s.Label.End()))
		}
		return n
	case *ast.BlockStmt:
		return b.block(s)
	case *ast.IfStmt:
		return b.node("if_statement", s, child{"initializer", b.stmt(s.Init)}, child{"condition", b.expr(s.Cond, false)}, child{"consequence", b.block(s.Body)}, child{"alternative", b.stmt(s.Else)})
	case *ast.SwitchStmt:
		n := b.mk("expression_switch_statement", s.Pos(), s.End())
		n.add("initializer", b.stmt(s.Init))
		n.add("value", b.expr(s.Tag, false))
		b.clauses(n, s.Body, func(c ast.Stmt) (*node, []ast.Stmt) {
			return b.caseClause(c, "expression_case", func(k *node, list []ast.Expr) { k.add("value", b.exprList(list)) })
		})
		return n
	case *ast.TypeSwitchStmt:
		n := b.mk("type_switch_statement", s.Pos(), s.End())
		n.add("initializer", b.stmt(s.Init))
		var ta ast.Expr
		switch a := s.Assign.(type) {
		case *ast.AssignStmt:
			n.add("alias", b.exprList(a.Lhs))
			if len(a.Rhs) == 1 {
				ta = a.Rhs[0]
			}
		case *ast.ExprStmt:
			ta = a.X
		}
		if t, ok := ta.(*ast.TypeAssertExpr); ok {
			n.add("value", b.expr(t.X, false))
		}
		b.clauses(n, s.Body, func(c ast.Stmt) (*node, []ast.Stmt) {
			return b.caseClause(c, "type_case", func(k *node, list []ast.Expr) {
				for _, t := range list {
					k.add("type", b.expr(t, true))
				}
			})
		})
		return n
	case *ast.SelectStmt:
		n := b.mk("select_statement", s.Pos(), s.End())
		b.clauses(n, s.Body, func(c ast.Stmt) (*node, []ast.Stmt) {
			cc := c.(*ast.CommClause)
			if cc.Comm == nil {
				return b.mk("default_case", cc.Pos(), cc.End()), cc.Body
			}
			k := b.mk("communication_case", cc.Pos(), cc.End())
			switch cm := cc.Comm.(type) {
			case *ast.SendStmt:
				k.add("communication", b.stmt(cm))
			case *ast.ExprStmt:
				r := b.mk("receive_statement", cm.Pos(), cm.End())
				r.add("right", b.expr(cm.X, false))
				k.add("communication", r)
			case *ast.AssignStmt:
				r := b.mk("receive_statement", cm.Pos(), cm.End())
				r.add("left", b.exprList(cm.Lhs))
				if len(cm.Rhs) == 1 {
					r.add("right", b.expr(cm.Rhs[0], false))
				}
				k.add("communication", r)
			default:
				k.add("communication", b.stmt(cm))
			}
			return k, cc.Body
		})
		return n
	case *ast.ForStmt:
		n := b.mk("for_statement", s.Pos(), s.End())
		from, to := b.trimmed(b.off(s.For)+3, b.off(s.Body.Lbrace))
		if s.Init != nil || s.Post != nil || strings.Contains(string(b.src[from:to]), ";") {
			fc := &node{typ: kind("for_clause"), named: true, start: int32(from), end: int32(to), opAt: -1}
			fc.add("initializer", b.stmt(s.Init))
			fc.add("condition", b.expr(s.Cond, false))
			fc.add("update", b.stmt(s.Post))
			n.add("", fc)
		} else if s.Cond != nil {
			n.add("", b.expr(s.Cond, false))
		}
		n.add("body", b.block(s.Body))
		return n
	case *ast.RangeStmt:
		n := b.mk("for_statement", s.Pos(), s.End())
		from := s.Range
		if s.Key != nil {
			from = s.Key.Pos()
		}
		rc := b.mk("range_clause", from, s.X.End())
		if s.Key != nil {
			left := []ast.Expr{s.Key}
			if s.Value != nil {
				left = append(left, s.Value)
			}
			rc.add("left", b.exprList(left))
		}
		rc.add("right", b.expr(s.X, false))
		n.add("", rc)
		n.add("body", b.block(s.Body))
		return n
	}
	return b.mk("ERROR", s.Pos(), s.End())
}

// stmts adds the statements of a case clause; like tree-sitter, the clause then ends after the
// terminator of its last statement. (Comments around clauses may sit differently than in tree-sitter:
// no locator question depends on a clause's extent.)
func (b *builder) stmts(n *node, list []ast.Stmt, next int) {
	for _, s := range list {
		n.add("", b.stmt(s))
	}
	if len(list) > 0 {
		e := int(n.end)
		for e < next && (b.src[e] == ' ' || b.src[e] == '\t') {
			e++
		}
		if e < next && (b.src[e] == ';' || b.src[e] == '\n') {
			n.end = int32(e + 1)
		}
	}
}

// clauseEnds: for each clause of a switch or select body, where the next one (or the `}`) starts.
func (b *builder) clauseEnds(body *ast.BlockStmt) []int {
	ends := make([]int, len(body.List))
	for i := range body.List {
		if i+1 < len(body.List) {
			ends[i] = b.off(body.List[i+1].Pos())
		} else {
			ends[i] = b.off(body.Rbrace)
		}
	}
	return ends
}

// attach puts every token the tree does not already hold (keywords, punctuation, comments) under the
// smallest node around it, as tree-sitter does.
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
const bigSource = 256 << 10

func main() {
	// goast -tee SOCKET TOOL ARGS...: the go command's -toolexec wrapper (tee.go).
	if len(os.Args) > 2 && os.Args[1] == "-tee" {
		os.Exit(tee(os.Args[2], os.Args[3:]))
	}
	// goast -types: type-checks packages from export data and answers typed facts (types.go).
	if len(os.Args) > 1 && os.Args[1] == "-types" {
		os.Exit(typesMain(os.Stdin, os.Stdout))
	}
	once := flag.Bool("once", false, "parse one source read from stdin until EOF")
	flag.Parse()
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	if *once {
		src, err := io.ReadAll(os.Stdin)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		parse(out, src)
		out.Flush()
		return
	}
	in := bufio.NewReaderSize(os.Stdin, 1<<16)
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return // the owner closed stdin: done
		}
		n, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "goast: bad request header %q\n", line)
			os.Exit(2)
		}
		src := make([]byte, n)
		if _, err := io.ReadFull(in, src); err != nil {
			return
		}
		parse(out, src)
		src = nil
		if err := out.Flush(); err != nil {
			return
		}
		if n >= bigSource {
			// The tree of a big file is garbage now; without this the helper kept its peak resident for as
			// long as it ran (a language server's whole session).
			debug.FreeOSMemory()
		}
	}
}
