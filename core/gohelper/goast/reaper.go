// goast -reaper: ends what its owner started when the owner cannot. The CLI and the language server end
// their process groups and remove their temp dirs on every way out they can see; a SIGKILL (an editor
// killing a stuck server, the OOM killer) runs none of that, and a go build in a group of its own runs on
// for as long as it compiles. The owner registers each group and temp dir here as it starts it and
// unregisters it as it ends, one line each on stdin: "+g PID", "-g PID", "+d PATH", "-d PATH". Stdin
// reaching its end means the owner is gone, however it ended: every group still registered is killed and
// every dir still registered removed. An owner that ends normally kills this process first.
package main

import (
	"bufio"
	"io"
	"os"
	"strconv"
	"time"
)

func reaper(in io.Reader) int {
	ignoreTerminalSignals()
	groups := map[int]bool{}
	dirs := map[string]bool{}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if len(line) < 4 || line[2] != ' ' || (line[0] != '+' && line[0] != '-') {
			continue
		}
		add, arg := line[0] == '+', line[3:]
		switch line[1] {
		case 'g':
			pid, err := strconv.Atoi(arg)
			if err != nil || pid <= 1 {
				continue
			}
			if add {
				groups[pid] = true
			} else {
				delete(groups, pid)
			}
		case 'd':
			if add {
				dirs[arg] = true
			} else {
				delete(dirs, arg)
			}
		}
	}
	for pid := range groups {
		killGroup(pid)
	}
	if len(groups) > 0 {
		// The killed processes close their files before their dirs are removed.
		time.Sleep(100 * time.Millisecond)
	}
	for d := range dirs {
		os.RemoveAll(d)
	}
	return 0
}
