// The -types mode: type-checks one package with go/types, importing its dependencies from the export data
// the go command already built (a build-cache replay, no source of the dependencies is read), and answers
// what the syntax alone cannot: the free variables of a func literal, field or method value, the static
// callee of a call, the type of an expression (constant, zero-size, single byte, pointer, interface,
// error), the ranged type of a loop, and which named types implement an interface (typesfacts.go,
// typesvalues.go, typesimpl.go).
//
// Protocol on stdin/stdout, one request at a time, each a line of JSON answered by a line of JSON:
//
//	{"op":"check","key":K,"importPath":P,"files":[{"path":F,"text":T?}],"exports":{path:file},
//	 "importMap":{source path:resolved path},"goarch":A,"tests":B}
//	{"op":"implements", ...the same fields..., "iface":{"pkg":P,"name":N} or {"file":F,"at":OFFSET}}
//
// A file without "text" is read from disk; one with it is the editor's unsaved buffer. The last checked
// packages are kept by key, so an "implements" after a "check" of the same texts checks nothing again.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"runtime/debug"
	"sort"
)

type typesRequest struct {
	Op         string            `json:"op"`
	Key        string            `json:"key"`
	ImportPath string            `json:"importPath"`
	Files      []typesFile       `json:"files"`
	Exports    map[string]string `json:"exports"`
	ImportMap  map[string]string `json:"importMap"`
	GoArch     string            `json:"goarch"`
	Iface      *ifaceQuery       `json:"iface,omitempty"`
}

type typesFile struct {
	Path string  `json:"path"`
	Text *string `json:"text,omitempty"`
}

type ifaceQuery struct {
	Pkg  string `json:"pkg,omitempty"`
	Name string `json:"name,omitempty"`
	File string `json:"file,omitempty"`
	At   int    `json:"at,omitempty"`
}

type typesResponse struct {
	// Error: the request could not be answered at all (no file parsed, a bad request).
	Error string `json:"error,omitempty"`
	// Errors: the package's type errors; go/types goes on after them, so the facts cover the rest.
	Errors []string `json:"errors,omitempty"`
	// Missing: imports with no export data in the request (an import the unsaved text added).
	Missing []string   `json:"missing,omitempty"`
	Facts   *factTable `json:"facts,omitempty"`
	Impls   *implList  `json:"impls,omitempty"`
}

// checked is one type-checked package, kept for later questions about the same texts.
type checked struct {
	key     string
	fset    *token.FileSet
	pkg     *types.Package
	info    *types.Info
	files   []*ast.File
	paths   []string
	srcs    [][]byte
	imp     *exportImporter
	sizes   types.Sizes
	errors  []string
	missing []string
}

// maxChecked: how many checked packages the helper keeps (an editor moves between a few packages).
const maxChecked = 4

// maxErrors: type errors past this many are counted, not listed (a package that does not compile at all).
const maxErrors = 50

// exportImporter imports from the export files the go command listed, mapping vendored paths first.
type exportImporter struct {
	base      types.Importer
	exports   map[string]string
	importMap map[string]string
	missing   map[string]bool
}

func (m *exportImporter) Import(path string) (*types.Package, error) {
	if p, ok := m.importMap[path]; ok {
		path = p
	}
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if _, ok := m.exports[path]; !ok {
		m.missing[path] = true
		return nil, fmt.Errorf("no export data for %q", path)
	}
	return m.base.Import(path)
}

func newExportImporter(fset *token.FileSet, exports, importMap map[string]string) *exportImporter {
	lookup := func(path string) (io.ReadCloser, error) {
		f, ok := exports[path]
		if !ok || f == "" {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(f)
	}
	return &exportImporter{
		base:      importer.ForCompiler(fset, "gc", lookup),
		exports:   exports,
		importMap: importMap,
		missing:   map[string]bool{},
	}
}

func check(req *typesRequest) (*checked, error) {
	fset := token.NewFileSet()
	c := &checked{key: req.Key, fset: fset}
	for _, f := range req.Files {
		var src []byte
		var err error
		if f.Text != nil {
			src = []byte(*f.Text)
		} else if src, err = os.ReadFile(f.Path); err != nil {
			return nil, err
		}
		// A file with syntax errors still gives a partial tree: checked like the rest.
		af, _ := parser.ParseFile(fset, f.Path, src, parser.SkipObjectResolution)
		if af == nil {
			continue
		}
		c.files = append(c.files, af)
		c.paths = append(c.paths, f.Path)
		c.srcs = append(c.srcs, src)
	}
	if len(c.files) == 0 {
		return nil, fmt.Errorf("no Go file of %s could be parsed", req.ImportPath)
	}
	c.imp = newExportImporter(fset, req.Exports, req.ImportMap)
	c.sizes = types.SizesFor("gc", req.GoArch)
	if c.sizes == nil {
		c.sizes = types.SizesFor("gc", "amd64")
	}
	nerr := 0
	conf := types.Config{
		Importer:    c.imp,
		Sizes:       c.sizes,
		FakeImportC: true,
		Error: func(err error) {
			nerr++
			if nerr <= maxErrors {
				c.errors = append(c.errors, err.Error())
			}
		},
	}
	c.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	// The package is checked whatever the errors: Check returns the first, the Error hook saw them all.
	c.pkg, _ = conf.Check(req.ImportPath, fset, c.files, c.info)
	if nerr > maxErrors {
		c.errors = append(c.errors, fmt.Sprintf("… and %d more errors", nerr-maxErrors))
	}
	for p := range c.imp.missing {
		c.missing = append(c.missing, p)
	}
	sort.Strings(c.missing)
	return c, nil
}

// typesSession keeps the last checked packages by key.
type typesSession struct{ kept []*checked }

func (s *typesSession) checkedFor(req *typesRequest) (*checked, error) {
	for i, c := range s.kept {
		if c.key == req.Key && req.Key != "" {
			// Most recently used last.
			s.kept = append(append(s.kept[:i:i], s.kept[i+1:]...), c)
			return c, nil
		}
	}
	c, err := check(req)
	if err != nil {
		return nil, err
	}
	s.kept = append(s.kept, c)
	if len(s.kept) > maxChecked {
		s.kept = s.kept[1:]
	}
	return c, nil
}

func (s *typesSession) answer(req *typesRequest) (resp typesResponse) {
	defer func() {
		// A go/types panic on strange input must cost one answer, not the helper every other request shares.
		if r := recover(); r != nil {
			resp = typesResponse{Error: fmt.Sprintf("the type checker failed: %v", r)}
		}
	}()
	c, err := s.checkedFor(req)
	if err != nil {
		return typesResponse{Error: err.Error()}
	}
	resp = typesResponse{Errors: c.errors, Missing: c.missing}
	switch req.Op {
	case "check":
		resp.Facts = collectFacts(c)
	case "implements":
		impls, err := implementations(c, req)
		if err != nil {
			return typesResponse{Error: err.Error(), Errors: c.errors, Missing: c.missing}
		}
		resp.Impls = impls
	default:
		return typesResponse{Error: fmt.Sprintf("unknown op %q", req.Op)}
	}
	return resp
}

// typesMain answers requests until stdin closes.
func typesMain(in io.Reader, out io.Writer) int {
	// Most of what a check allocates lives until its answer is written: collecting less often holds a little
	// more memory and leaves the processor to the compile that runs beside the check.
	debug.SetGCPercent(400)
	r := bufio.NewReaderSize(in, 1<<16)
	w := bufio.NewWriterSize(out, 1<<16)
	enc := json.NewEncoder(w)
	s := &typesSession{}
	for {
		line, err := r.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			return 0 // the owner closed stdin: done
		}
		var req typesRequest
		var resp typesResponse
		if jerr := json.Unmarshal(line, &req); jerr != nil {
			resp = typesResponse{Error: "bad request: " + jerr.Error()}
		} else {
			resp = s.answer(&req)
		}
		if enc.Encode(&resp) != nil || w.Flush() != nil {
			return 0
		}
	}
}
