package main

import "os"

// killGroup: Windows has no process groups to signal; the owner does not start a reaper there (its
// processes are ended with taskkill /T on every way out it sees).
func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}

func ignoreTerminalSignals() {}
