//go:build !windows

package main

import (
	"os/signal"
	"syscall"
)

// killGroup ends a process group: the go command and every compile, link and cgo process it started.
func killGroup(pid int) { syscall.Kill(-pid, syscall.SIGKILL) }

// ignoreTerminalSignals: the reaper lives in a group of its own, and must outlive its owner's terminal.
func ignoreTerminalSignals() { signal.Ignore(syscall.SIGHUP, syscall.SIGINT) }
