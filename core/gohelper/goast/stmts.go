// Statements and blocks, as tree-sitter-go names their nodes and fields.

package main

import (
	"go/ast"
	"go/token"
	"strings"
)

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
