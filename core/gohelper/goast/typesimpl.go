// Implementations for the -types mode (types.go): the named types of the checked package and of every
// package whose export data the check loaded that implement an interface, by go/types' own Implements,
// so a method of the same name with another signature is never listed.
package main

import (
	"fmt"
	"go/ast"
	"go/types"
	"sort"
)

type implList struct {
	// Interface: the interface asked about, as go/types writes it.
	Interface string `json:"interface"`
	Types     []impl `json:"types"`
	// Packages: the packages searched (the checked one, its imports and theirs, as far as their export
	// data names them); a type of any other package is not known here either way.
	Packages []string `json:"packages"`
}

type impl struct {
	// Type: the named type (`pkg/path.T`).
	Type string `json:"type"`
	// Pointer: only *T implements the interface (a method with a pointer receiver); otherwise T and *T do.
	Pointer bool `json:"pointer"`
}

func implementations(c *checked, req *typesRequest) (*implList, error) {
	if req.Iface == nil {
		return nil, fmt.Errorf("implements: no interface given")
	}
	pkgs := loadedPackages(c, req)
	var iface types.Type
	if q := req.Iface; q.File != "" {
		iface = interfaceAt(c, q.File, q.At)
		if iface == nil {
			return nil, fmt.Errorf("no method call or method value on an interface at %s:%d", q.File, q.At)
		}
	} else {
		for _, p := range pkgs {
			if p.Path() != q.Pkg {
				continue
			}
			if tn, ok := p.Scope().Lookup(q.Name).(*types.TypeName); ok && types.IsInterface(tn.Type()) {
				iface = tn.Type()
			}
		}
		if iface == nil {
			return nil, fmt.Errorf("no interface %s.%s among the packages loaded", q.Pkg, q.Name)
		}
	}
	it, ok := iface.Underlying().(*types.Interface)
	if !ok {
		return nil, fmt.Errorf("%s is not an interface", types.TypeString(iface, nil))
	}
	out := &implList{Interface: types.TypeString(iface, nil), Types: []impl{}, Packages: []string{}}
	for _, p := range pkgs {
		out.Packages = append(out.Packages, p.Path())
		scope := p.Scope()
		for _, name := range scope.Names() {
			tn, ok := scope.Lookup(name).(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			named, ok := tn.Type().(*types.Named)
			if !ok || types.IsInterface(named) || named.TypeParams().Len() > 0 {
				continue
			}
			if types.Implements(named, it) {
				out.Types = append(out.Types, impl{Type: types.TypeString(named, nil)})
			} else if types.Implements(types.NewPointer(named), it) {
				out.Types = append(out.Types, impl{Type: types.TypeString(named, nil), Pointer: true})
			}
		}
	}
	sort.Slice(out.Types, func(i, j int) bool { return out.Types[i].Type < out.Types[j].Type })
	return out, nil
}

// loadedPackages: the checked package, every import with export data in the request (read whole, so
// their unexported types count too), and every package their export data names.
func loadedPackages(c *checked, req *typesRequest) []*types.Package {
	for path := range req.Exports {
		_, _ = c.imp.Import(path)
	}
	seen := map[*types.Package]bool{}
	var out []*types.Package
	var walk func(p *types.Package)
	walk = func(p *types.Package) {
		if p == nil || seen[p] {
			return
		}
		seen[p] = true
		out = append(out, p)
		for _, q := range p.Imports() {
			walk(q)
		}
	}
	walk(c.pkg)
	for path := range req.Exports {
		if p, err := c.imp.Import(path); err == nil {
			walk(p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path() < out[j].Path() })
	return out
}

// interfaceAt: the interface type whose method is called or taken as a value at a byte offset of a file
// (the `(` of the call or the `.` of the selector).
func interfaceAt(c *checked, file string, at int) types.Type {
	for i, f := range c.files {
		if c.paths[i] != file {
			continue
		}
		base := c.fset.File(f.Pos()).Base()
		k := &collector{c: c, base: base, src: c.srcs[i]}
		var found types.Type
		ast.Inspect(f, func(n ast.Node) bool {
			if found != nil {
				return false
			}
			var s *ast.SelectorExpr
			switch n := n.(type) {
			case *ast.CallExpr:
				if k.off(n.Lparen) == at {
					s, _ = unparen(n.Fun).(*ast.SelectorExpr)
				}
			case *ast.SelectorExpr:
				if k.dotBefore(n.Sel.Pos()) == at {
					s = n
				}
			}
			if s == nil {
				return true
			}
			if sel, ok := c.info.Selections[s]; ok && sel.Kind() != types.FieldVal && types.IsInterface(sel.Recv()) {
				found = sel.Recv()
			}
			return found == nil
		})
		return found
	}
	return nil
}
