// Expressions and types, as tree-sitter-go names their nodes and fields.

package main

import (
	"go/ast"
	"go/token"
	"strings"
)

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
