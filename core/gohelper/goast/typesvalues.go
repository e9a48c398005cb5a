// The value facts of the -types mode (typesfacts.go): what a value's type says about boxing it (constant,
// zero-size, one byte, pointer, interface, error), and what a range loop ranges over.
package main

import (
	"go/ast"
	"go/types"
)

// Range kinds.
const (
	rangeSlice = iota
	rangeArray
	rangeArrayPointer
	rangeMap
	rangeString
	rangeChan
	rangeFunc
	rangeInt
	rangeOther
)

var errorType = types.Universe.Lookup("error").Type().Underlying().(*types.Interface)

func (k *collector) flags(e ast.Expr, tv types.TypeAndValue) int {
	f := 0
	t := tv.Type
	if tv.Value != nil {
		f |= flagConstant
	}
	if tv.IsNil() {
		f |= flagNil
	}
	if b, ok := t.Underlying().(*types.Basic); ok {
		switch b.Kind() {
		case types.Bool, types.UntypedBool, types.Uint8, types.Int8:
			f |= flagSingleByte
		}
	}
	if _, ok := t.Underlying().(*types.Pointer); ok {
		f |= flagPointer
	}
	if types.IsInterface(t) {
		f |= flagInterface
	}
	if zeroSize(k.c.sizes, t) {
		f |= flagZeroSize
	}
	if tv.Type != types.Typ[types.Invalid] && types.Implements(t, errorType) {
		f |= flagError
	}
	if id, ok := e.(*ast.Ident); ok {
		if v, ok := k.c.info.Uses[id].(*types.Var); ok {
			f |= flagVariable
			if v.Parent() == k.c.pkg.Scope() {
				f |= flagPackageVar
			}
		}
	}
	return f
}

// zeroSize: is the type's size zero? (Never for an invalid or untyped type, which go/types cannot size.)
func zeroSize(sizes types.Sizes, t types.Type) (zero bool) {
	defer func() {
		if recover() != nil {
			zero = false
		}
	}()
	if b, isBasic := t.(*types.Basic); isBasic && (b.Kind() == types.Invalid || b.Info()&types.IsUntyped != 0) {
		return false
	}
	return sizes.Sizeof(t) == 0
}

func (k *collector) rangeStmt(r *ast.RangeStmt) {
	t := k.c.info.TypeOf(r.X)
	if t == nil {
		return
	}
	kind := rangeOther
	switch u := t.Underlying().(type) {
	case *types.Slice:
		kind = rangeSlice
	case *types.Array:
		kind = rangeArray
	case *types.Pointer:
		if _, ok := u.Elem().Underlying().(*types.Array); ok {
			kind = rangeArrayPointer
		}
	case *types.Map:
		kind = rangeMap
	case *types.Chan:
		kind = rangeChan
	case *types.Signature:
		kind = rangeFunc
	case *types.Basic:
		if u.Info()&types.IsString != 0 {
			kind = rangeString
		} else if u.Info()&types.IsInteger != 0 {
			kind = rangeInt
		}
	}
	k.ff.Ranges = append(k.ff.Ranges, [5]int{k.off(r.For), k.off(r.X.Pos()), k.off(r.X.End()), k.typ(t), kind})
}
