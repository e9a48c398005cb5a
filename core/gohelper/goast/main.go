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
// With -tee it is the go command's -toolexec wrapper instead (tee.go); with -types, a type checker (types.go);
// with -reaper, the one that ends its owner's processes when the owner is killed (reaper.go).
//
// Standard library only, and nothing newer than Go 1.18, so that any toolchain the extension supports
// builds it.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

const bigSource = 256 << 10

func main() {
	// goast -tee SOCKET TOOL ARGS...: the go command's -toolexec wrapper (tee.go).
	if len(os.Args) > 2 && os.Args[1] == "-tee" {
		os.Exit(tee(os.Args[2], os.Args[3:]))
	}
	// goast -reaper: ends its owner's process groups and temp dirs when the owner dies (reaper.go).
	if len(os.Args) > 1 && os.Args[1] == "-reaper" {
		os.Exit(reaper(os.Stdin))
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
