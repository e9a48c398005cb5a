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
	"sync"
	"time"
)

// tee runs args[0] with args[1:] and returns its exit status.
func tee(socket string, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "goast -tee: no tool to run")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	var side *sideCopy
	if escapeCompile(args) {
		if conn, err := net.Dial("unix", socket); err == nil {
			defer conn.Close()
			side = newSideCopy(conn)
			// The header the go command prints above the compile's output (TOOLEXEC_IMPORTPATH is the
			// package's description, `p [p.test]` for a test variant).
			side.Write([]byte("# " + os.Getenv("TOOLEXEC_IMPORTPATH") + "\n"))
			// The compiler prints its diagnostics on stdout.
			cmd.Stdout = io.MultiWriter(os.Stdout, side)
		}
	}
	if side != nil {
		defer side.finish()
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

// sideCopy never fails and never waits: the compile's output is queued here and a goroutine sends it to
// the server, so a server that reads late (a collection, a busy event loop) never slows the compile down.
// Once the server is gone the copy is dropped, and the compile's own output (the other half of the
// MultiWriter, which stops at the first error) goes on to the go command unharmed.
type sideCopy struct {
	w      io.Writer
	mu     sync.Mutex
	queue  [][]byte
	wake   chan struct{}
	closed bool
	done   chan struct{}
}

func newSideCopy(w io.Writer) *sideCopy {
	s := &sideCopy{w: w, wake: make(chan struct{}, 1), done: make(chan struct{})}
	go s.send()
	return s
}

func (s *sideCopy) Write(p []byte) (int, error) {
	b := append([]byte(nil), p...)
	s.mu.Lock()
	s.queue = append(s.queue, b)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (s *sideCopy) send() {
	defer close(s.done)
	failed := false
	for {
		s.mu.Lock()
		q, closed := s.queue, s.closed
		s.queue = nil
		s.mu.Unlock()
		for _, b := range q {
			if !failed {
				if _, err := s.w.Write(b); err != nil {
					failed = true
				}
			}
		}
		if closed && len(q) == 0 {
			return
		}
		if len(q) == 0 {
			<-s.wake
		}
	}
}

// finish sends what is queued (the tool has exited), for at most a few seconds: a copy cut short only
// makes the server analyse what the go command prints instead.
func (s *sideCopy) finish() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
	}
}
