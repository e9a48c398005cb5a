package main

// The -tee mode: the language server runs `go list -export -toolexec="goast -tee SOCKET"`, and the go command
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
	if !escapeCompile(args) {
		return run(cmd)
	}
	conn, err := net.Dial("unix", socket)
	if err != nil {
		return run(cmd)
	}
	defer conn.Close()
	// The compile prints into a spool file, not a pipe: the compiler writes each -m line on its own (tens of
	// thousands of writes), and a pipe would wake a reader here for each, and the go command's reader again
	// behind it, on the cores the compile's backend runs on. Written to a file, each line costs the compiler a page-cache copy; the tee reads
	// what is new every few milliseconds in large blocks, and hands the go command the whole output at exit,
	// which is when the go command would show it anyway. The spool lives beside the socket, in the server's
	// private temp dir, and is unlinked at once: nothing is left behind however the tee ends.
	spool, err := os.CreateTemp(filepath.Dir(socket), "spool-*")
	if err != nil {
		return run(cmd)
	}
	os.Remove(spool.Name())
	defer spool.Close()
	cmd.Stdout = spool
	// The go command gives a tool one pipe for both streams, so what the compiler prints on stderr stays in
	// order with its stdout; the spool keeps that order when both are that one pipe.
	if sameFile(os.Stdout, os.Stderr) {
		cmd.Stderr = spool
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "goast -tee: %v\n", err)
		return 1
	}
	exited := make(chan struct{})
	forwarded := make(chan struct{})
	go func() {
		defer close(forwarded)
		forward(spool, conn, []byte("# "+os.Getenv("TOOLEXEC_IMPORTPATH")+"\n"), exited)
	}()
	status := exitStatus(cmd.Wait())
	close(exited)
	// The go command reads the tool's output at exit; the server reads the rest of its copy meanwhile.
	if _, err := io.Copy(os.Stdout, io.NewSectionReader(spool, 0, 1<<62)); err != nil {
		fmt.Fprintf(os.Stderr, "goast -tee: %v\n", err)
		if status == 0 {
			status = 1
		}
	}
	<-forwarded
	return status
}

// run runs cmd as it is and returns its exit status.
func run(cmd *exec.Cmd) int {
	return exitStatus(cmd.Run())
}

func exitStatus(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() >= 0 {
		return ee.ExitCode()
	}
	fmt.Fprintf(os.Stderr, "goast -tee: %v\n", err)
	return 1
}

func sameFile(a, b *os.File) bool {
	fa, err := a.Stat()
	if err != nil {
		return false
	}
	fb, err := b.Stat()
	return err == nil && os.SameFile(fa, fb)
}

// poll is how often the tee looks for new output while the compile runs: the server waits 50 ms of quiet
// before it analyses, so a few milliseconds of lag cost nothing.
const poll = 3 * time.Millisecond

// forward sends header, then the spool's contents as they grow, to the server until the tool has exited
// and all of it is sent. A server that reads late only delays this copy (the compile writes to the file,
// never to the socket); once the tool has exited the copy gets a few seconds, and a copy cut short only
// makes the server analyse what the go command prints instead.
func forward(spool *os.File, conn net.Conn, header []byte, exited <-chan struct{}) {
	if _, err := conn.Write(header); err != nil {
		return
	}
	buf := make([]byte, 1<<20)
	var at int64
	done := false
	for {
		n, err := spool.ReadAt(buf, at)
		if n > 0 {
			if _, werr := conn.Write(buf[:n]); werr != nil {
				return
			}
			at += int64(n)
		}
		if err != nil && err != io.EOF {
			return
		}
		if n == len(buf) {
			continue
		}
		// Everything up to the exit is read once a read after it comes up short.
		if done {
			return
		}
		select {
		case <-exited:
			done = true
			conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		case <-time.After(poll):
		}
	}
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
