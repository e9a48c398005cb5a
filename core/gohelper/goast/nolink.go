package main

// The -nolink mode (and the -tee mode, for every tool but a -m compile): the go command's -toolexec wrapper
// for builds run only for the compiler's diagnostics. Every tool runs unchanged except the linker: escape
// analysis is over when the compiles are, and `go build -o /dev/null` of a tree with commands links each
// of them again on every run, warm cache or not (the go command does not cache executables it builds):
// golang.org/x/tools, 216 packages, replays its compiles in 0.3 s and then links for 6.5 s more. Each link
// is answered with an empty output file, which the go command then discards with the rest of the build.
// The linker's `-V=full` answer gets a mark of its own, so a link action of ours never has the ID of a real
// one: were a go command to cache its output, no real build would be handed an empty executable. The
// compiler's answer stays unchanged: compiles share their cache entries with plain builds.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// linkMark is added to the linker's version line (a release's whole line is its tool ID).
const linkMark = " X:go-escape-lens-nolink"

// toolexec runs args[0] with args[1:] as it is, except the linker (see above), and returns the exit status.
func toolexec(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "goast: no tool to run")
		return 2
	}
	if strings.TrimSuffix(filepath.Base(args[0]), ".exe") == "link" {
		for _, a := range args[1:] {
			if a == "-V=full" {
				return linkVersion(args)
			}
		}
		if out := outputFlag(args[1:]); out != "" {
			if err := os.WriteFile(out, nil, 0o666); err != nil {
				fmt.Fprintf(os.Stderr, "goast -nolink: %v\n", err)
				return 1
			}
			return 0
		}
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return run(cmd)
}

// linkVersion answers `link -V=full` with the linker's own line and the mark. A development toolchain's
// line ends in its build ID, which is what the go command reads there: that line is passed on unchanged
// (the language server does not ask for -nolink with such a toolchain).
func linkVersion(args []string) int {
	var out bytes.Buffer
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, &out, os.Stderr
	status := run(cmd)
	line := strings.TrimRight(out.String(), "\n")
	if status == 0 && !strings.Contains(line, "buildID=") && strings.Count(out.String(), "\n") <= 1 {
		line += linkMark
	}
	fmt.Println(line)
	return status
}

// outputFlag is the value of the linker's -o flag, "" without one.
func outputFlag(args []string) string {
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			return args[i+1]
		}
		if strings.HasPrefix(a, "-o=") {
			return strings.TrimPrefix(a, "-o=")
		}
	}
	return ""
}
