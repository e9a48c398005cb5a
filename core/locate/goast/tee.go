package main

// The -tee mode: the language server runs `go build -toolexec="goast -tee SOCKET"`, and the go command
// then starts every tool through this program. The compiler prints each -m diagnostic as soon as it finds
// it (escape analysis is over long before the backend is), but the go command holds a tool's output back
// until the tool exits; the tee sends a copy of a -m compile's output to the server over a local socket as
// it is printed, so the server analyses it while the backend still runs. Everything else is untouched:
// the tool's arguments, input, output and exit status, and `-V=full` (the go command hashes that answer
// into the build cache key, so builds through the tee share their cache entries with plain ones).

import (
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// tee runs args[0] with args[1:] and returns its exit status.
func tee(socket string, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "goast -tee: no tool to run")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if escapeCompile(args) {
		if conn, err := net.Dial("unix", socket); err == nil {
			defer conn.Close()
			side := &sideCopy{w: conn}
			// The header the go command prints above the compile's output (TOOLEXEC_IMPORTPATH is the
			// package's description, `p [p.test]` for a test variant).
			side.Write([]byte("# " + os.Getenv("TOOLEXEC_IMPORTPATH") + "\n"))
			// The compiler prints its diagnostics on stdout.
			cmd.Stdout = io.MultiWriter(os.Stdout, side)
		}
	}
	if err := cmd.Run(); err != nil {
		if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() >= 0 {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "goast -tee: %v\n", err)
		return 1
	}
	return 0
}

// escapeCompile: a compile asked for -m diagnostics (not the go command's `compile -V=full` question,
// nor a dependency compiled without our flags).
func escapeCompile(args []string) bool {
	name := strings.TrimSuffix(filepath.Base(args[0]), ".exe")
	if name != "compile" {
		return false
	}
	m := false
	for _, a := range args[1:] {
		if a == "-V=full" || a == "-V" {
			return false
		}
		if a == "-m" || strings.HasPrefix(a, "-m=") {
			m = true
		}
	}
	return m
}

// sideCopy never fails: once the server is gone it drops the copy, and the compile's own output (the
// other half of the MultiWriter, which stops at the first error) goes on to the go command unharmed.
type sideCopy struct {
	w      io.Writer
	failed bool
}

func (s *sideCopy) Write(p []byte) (int, error) {
	if !s.failed {
		if _, err := s.w.Write(p); err != nil {
			s.failed = true
		}
	}
	return len(p), nil
}
