// The facts table of the -types mode (types.go): per file, rows keyed by the byte offset where the
// compiler reports the expression. cmd/compile's syntax package positions an expression at its operator:
// a selector at its dot, a call or conversion at its `(`, a composite literal at its `{`, `&x` at the `&`,
// a binary expression at its operator, a func literal at `func`, a name at its first byte.
package main

import (
	"go/ast"
	"go/token"
	"go/types"
)

type factTable struct {
	// Types and Names: strings the rows point into (a type or callee is written once per package).
	Types []string     `json:"types"`
	Names []string     `json:"names"`
	Files []*fileFacts `json:"files"`
}

// fileFacts holds the rows of one file. Offsets are bytes from the start of the file.
type fileFacts struct {
	Path string `json:"path"`
	// Lits: func literals, [at of `func`, end, free variables...] (names as strings in Names).
	Lits [][]int `json:"lits"`
	// Sels: selectors, [at of the dot, kind].
	Sels [][2]int `json:"sels"`
	// Calls: [at of `(`, kind, name (callee or method), type (interface, func value or conversion target)].
	Calls [][4]int `json:"calls"`
	// Exprs: values, [at, start, end, type, flags].
	Exprs [][5]int `json:"exprs"`
	// Ranges: [at of `for`, start of the ranged expression, its end, its type, kind].
	Ranges [][5]int `json:"ranges"`
}

// Selector kinds.
const (
	selField = iota
	selMethodValue
	selMethodExpr
	selQualified
	selMethodCall
)

// Call kinds.
const (
	callStatic = iota
	callInterface
	callFuncValue
	callBuiltin
	callConversion
)

// Expression flags.
const (
	flagConstant = 1 << iota
	flagZeroSize
	flagSingleByte
	flagPointer
	flagInterface
	flagError
	flagVariable
	flagPackageVar
	flagNil
)

type collector struct {
	c     *checked
	t     *factTable
	types map[string]int
	// byType: the same types.Type value (named and basic types are shared) spelled once.
	byType map[types.Type]int
	names  map[string]int
	base  int
	src   []byte
	ff    *fileFacts
	// calledFuns: the selectors that are the function of a call (a method call, not a method value).
	calledFuns map[ast.Expr]bool
	seenExpr   map[int]bool
}

func (k *collector) typ(t types.Type) int {
	if i, ok := k.byType[t]; ok {
		return i
	}
	s := types.TypeString(t, nil)
	i, ok := k.types[s]
	if !ok {
		i = len(k.t.Types)
		k.types[s] = i
		k.t.Types = append(k.t.Types, s)
	}
	k.byType[t] = i
	return i
}

func (k *collector) name(s string) int {
	if i, ok := k.names[s]; ok {
		return i
	}
	k.names[s] = len(k.t.Names)
	k.t.Names = append(k.t.Names, s)
	return k.names[s]
}

func (k *collector) off(p token.Pos) int { return int(p) - k.base }

// lbrack: the `[` of an index or slice expression.
func lbrack(e ast.Expr) token.Pos {
	if ix, ok := e.(*ast.IndexExpr); ok {
		return ix.Lbrack
	}
	return e.(*ast.SliceExpr).Lbrack
}

// dotBefore: the offset of the `.` before the selected name (spaces and line breaks may stand between).
func (k *collector) dotBefore(p token.Pos) int {
	i := k.off(p) - 1
	for i > 0 && i < len(k.src) && k.src[i] != '.' {
		i--
	}
	return i
}

func collectFacts(c *checked) *factTable {
	k := &collector{c: c, t: &factTable{}, types: map[string]int{}, byType: map[types.Type]int{}, names: map[string]int{}}
	for i, f := range c.files {
		tf := c.fset.File(f.Pos())
		if tf == nil {
			continue
		}
		k.base, k.src = tf.Base(), c.srcs[i]
		k.ff = &fileFacts{Path: c.paths[i], Lits: [][]int{}, Sels: [][2]int{}, Calls: [][4]int{}, Exprs: [][5]int{}, Ranges: [][5]int{}}
		k.calledFuns = map[ast.Expr]bool{}
		k.seenExpr = map[int]bool{}
		ast.Inspect(f, k.visit)
		k.t.Files = append(k.t.Files, k.ff)
	}
	return k.t
}

func (k *collector) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.FuncLit:
		k.funcLit(n)
	case *ast.CallExpr:
		k.calledFuns[unparen(n.Fun)] = true
		k.call(n)
	case *ast.SelectorExpr:
		k.selector(n)
	case *ast.RangeStmt:
		k.rangeStmt(n)
	}
	if e, ok := n.(ast.Expr); ok {
		k.expr(e)
	}
	return true
}

func unparen(e ast.Expr) ast.Expr {
	for {
		p, ok := e.(*ast.ParenExpr)
		if !ok {
			return e
		}
		e = p.X
	}
}

// funcLit records the variables a func literal captures: variables of enclosing functions it uses
// (package-level variables and fields are not captured).
func (k *collector) funcLit(lit *ast.FuncLit) {
	row := []int{k.off(lit.Type.Func), k.off(lit.End())}
	seen := map[types.Object]bool{}
	pkgScope := k.c.pkg.Scope()
	ast.Inspect(lit.Body, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok {
			return true
		}
		v, ok := k.c.info.Uses[id].(*types.Var)
		if !ok || v.IsField() || seen[v] || v.Parent() == pkgScope || v.Parent() == types.Universe || v.Pkg() != k.c.pkg {
			return true
		}
		if v.Pos() >= lit.Pos() && v.Pos() < lit.End() {
			return true
		}
		seen[v] = true
		row = append(row, k.name(v.Name()))
		return true
	})
	k.ff.Lits = append(k.ff.Lits, row)
}

func (k *collector) selector(s *ast.SelectorExpr) {
	kind := selQualified
	if sel, ok := k.c.info.Selections[s]; ok {
		switch sel.Kind() {
		case types.FieldVal:
			kind = selField
		case types.MethodVal:
			kind = selMethodValue
			if k.calledFuns[s] {
				kind = selMethodCall
			}
		case types.MethodExpr:
			kind = selMethodExpr
		}
	} else if _, ok := k.c.info.Uses[s.Sel]; !ok {
		return // not type-checked (an error in the expression)
	}
	k.ff.Sels = append(k.ff.Sels, [2]int{k.dotBefore(s.Sel.Pos()), kind})
}

func (k *collector) call(call *ast.CallExpr) {
	at := k.off(call.Lparen)
	fun := unparen(call.Fun)
	tv, ok := k.c.info.Types[fun]
	if ok && tv.IsType() {
		k.ff.Calls = append(k.ff.Calls, [4]int{at, callConversion, k.name(""), k.typ(tv.Type)})
		return
	}
	if ok && tv.IsBuiltin() {
		k.ff.Calls = append(k.ff.Calls, [4]int{at, callBuiltin, k.name(exprName(fun)), k.typ(types.Typ[types.Invalid])})
		return
	}
	// A generic function instantiated explicitly: f[int](x).
	switch ix := fun.(type) {
	case *ast.IndexExpr:
		fun = ix.X
	case *ast.IndexListExpr:
		fun = ix.X
	}
	var obj types.Object
	switch f := fun.(type) {
	case *ast.Ident:
		obj = k.c.info.Uses[f]
	case *ast.SelectorExpr:
		if sel, ok := k.c.info.Selections[f]; ok {
			if sel.Kind() != types.FieldVal && types.IsInterface(sel.Recv()) {
				m := sel.Obj()
				k.ff.Calls = append(k.ff.Calls, [4]int{at, callInterface, k.name(m.Name()), k.typ(sel.Recv())})
				return
			}
			obj = sel.Obj()
		} else {
			obj = k.c.info.Uses[f.Sel]
		}
	case *ast.FuncLit:
		k.ff.Calls = append(k.ff.Calls, [4]int{at, callStatic, k.name("func literal"), k.typ(k.c.info.TypeOf(f))})
		return
	}
	if fn, ok := obj.(*types.Func); ok {
		k.ff.Calls = append(k.ff.Calls, [4]int{at, callStatic, k.name(fn.FullName()), k.typ(fn.Type())})
		return
	}
	if t := k.c.info.TypeOf(fun); t != nil {
		k.ff.Calls = append(k.ff.Calls, [4]int{at, callFuncValue, k.name(exprName(fun)), k.typ(t)})
	}
}

// exprName: a name or selector as written (`f`, `h.fn`), else empty.
func exprName(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := exprName(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// anchor: where the compiler reports the expression (see the file comment), or -1 for expressions the
// compiler never names as an escaping value.
func (k *collector) anchor(e ast.Expr) int {
	switch e := e.(type) {
	case *ast.Ident:
		if e.Name == "_" {
			return -1
		}
		switch k.c.info.Uses[e].(type) {
		case *types.Var, *types.Const, *types.Nil:
			return k.off(e.Pos())
		}
		return -1
	case *ast.SelectorExpr:
		if _, ok := k.c.info.Uses[e.Sel].(*types.Func); ok && k.c.info.Selections[e] == nil {
			return -1 // a package-qualified function
		}
		return k.dotBefore(e.Sel.Pos())
	case *ast.UnaryExpr, *ast.StarExpr, *ast.FuncLit:
		return k.off(e.Pos()) // the operator, or `func`
	case *ast.CallExpr:
		return k.off(e.Lparen)
	case *ast.CompositeLit:
		return k.off(e.Lbrace)
	case *ast.BinaryExpr:
		return k.off(e.OpPos)
	case *ast.IndexExpr, *ast.SliceExpr:
		return k.off(lbrack(e))
	case *ast.TypeAssertExpr:
		return k.dotBefore(e.Lparen)
	}
	return -1
}

func (k *collector) expr(e ast.Expr) {
	tv, ok := k.c.info.Types[e]
	if !ok || tv.IsType() || tv.IsBuiltin() || tv.Type == nil {
		return
	}
	at := k.anchor(e)
	// Several expressions at one position (`x` of `x[i]` is not, but `(x)` and `x` can be): the outermost.
	if at < 0 || k.seenExpr[at] {
		return
	}
	k.seenExpr[at] = true
	k.ff.Exprs = append(k.ff.Exprs, [5]int{at, k.off(e.Pos()), k.off(e.End()), k.typ(tv.Type), k.flags(e, tv)})
}
