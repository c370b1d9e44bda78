package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// process is a server the harness started. It runs in a process group of
// its own, so that stopping it stops its children (nginx's workers) and
// nothing else; and it is killed if the harness dies.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan error
}

// startProcess starts argv with its output in logPath and env added to
// the harness's environment. With cpu set, it runs under "taskset -c cpu".
func startProcess(name, cpu, logPath string, env []string, argv ...string) (*process, error) {
	if cpu != "" {
		argv = append([]string{"taskset", "-c", cpu}, argv...)
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	return p, nil
}

// pid is the server's process id: taskset execs the server in place.
func (p *process) pid() int { return p.cmd.Process.Pid }

// stop ends the process group with SIGTERM, then SIGKILL after a grace
// period, and waits for the process.
func (p *process) stop() {
	pgid := p.pid()
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(3 * time.Second):
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	}
}

// exited reports whether the process has ended, with its error.
func (p *process) exited() (bool, error) {
	select {
	case err := <-p.done:
		p.done <- err
		return true, err
	default:
		return false, nil
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// firstOK sends "GET path" to 127.0.0.1:port until it answers 200 and
// returns how long that took from start. It polls every 100µs, so that the
// figure is the server's start-up, not the poll interval.
func firstOK(ctx context.Context, start time.Time, port int, path, accept string, p *process) (time.Duration, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	req := "GET " + path + " HTTP/1.1\r\nHost: " + addr + "\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n"
	for {
		if err := ctx.Err(); err != nil {
			return 0, fmt.Errorf("%s: no 200 from %s: %w", p.name, path, err)
		}
		if done, err := p.exited(); done {
			return 0, fmt.Errorf("%s exited before answering: %v", p.name, err)
		}
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			time.Sleep(100 * time.Microsecond)
			continue
		}
		c.SetDeadline(time.Now().Add(5 * time.Second))
		status := ""
		if _, err = c.Write([]byte(req)); err == nil {
			status, err = bufio.NewReader(c).ReadString('\n')
		}
		c.Close()
		if err == nil && strings.HasPrefix(status, "HTTP/1.1 200 ") {
			return time.Since(start), nil
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// clockTicks is USER_HZ, the unit of CPU times in /proc: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// procStat is what /proc/PID/stat says about CPU use.
type procStat struct {
	ppid  int
	utime uint64 // clock ticks
	stime uint64
}

// parseStat parses the contents of /proc/PID/stat. The command name, in
// parentheses, may hold spaces and parentheses, so fields are counted from
// the last ")".
func parseStat(s string) (procStat, error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return procStat{}, errors.New("stat: no command name")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); field n is f[n-3].
	if len(f) < 13 {
		return procStat{}, fmt.Errorf("stat: %d fields", len(f)+2)
	}
	var st procStat
	var err error
	parse := func(n int) uint64 {
		v, e := strconv.ParseUint(f[n-3], 10, 64)
		if e != nil && err == nil {
			err = fmt.Errorf("stat field %d: %w", n, e)
		}
		return v
	}
	st.ppid = int(parse(4))
	st.utime = parse(14)
	st.stime = parse(15)
	return st, err
}

func readStat(pid int) (procStat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return procStat{}, err
	}
	return parseStat(string(b))
}

// children returns the processes whose parent is pid.
func children(pid int) []int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	var out []int
	for _, d := range dirs {
		n, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		if st, err := readStat(n); err == nil && st.ppid == pid {
			out = append(out, n)
		}
	}
	return out
}

// usage is the CPU time and memory of a server with its children.
type usage struct {
	cpu   time.Duration
	rssKB int64
	hwmKB int64 // peak RSS
}

// measure adds up the CPU time and RSS of pid and its children.
func measure(pid int) (usage, error) {
	var u usage
	for i, p := range append([]int{pid}, children(pid)...) {
		st, err := readStat(p)
		if err != nil {
			if i == 0 {
				return u, err
			}
			continue // a child that just exited
		}
		u.cpu += time.Duration(st.utime+st.stime) * time.Second / clockTicks
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p))
		if err != nil {
			continue
		}
		u.rssKB += statusKB(string(status), "VmRSS:")
		u.hwmKB += statusKB(string(status), "VmHWM:")
	}
	return u, nil
}

// statusKB returns the value in kB of a field of /proc/PID/status.
func statusKB(status, field string) int64 {
	for line := range strings.Lines(status) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			v, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return v
		}
	}
	return 0
}
