package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// worker is a running client script (client.py, client.mjs, Client.java,
// browser.mjs): one process that prints its version as its first line,
// then runs many jobs at once, one JSON line each on stdin, and answers
// each with a JSON line with the job's id.
type worker struct {
	cmd     *exec.Cmd
	stdin   io.WriteCloser
	version string
	page    string // browsers: base URL of the page server, another origin

	mu      sync.Mutex
	nextID  int
	waiting map[int]chan answer
	err     error // set once the worker is gone
	stderr  strings.Builder
}

// startWorker starts argv and waits for the version it prints first.
func startWorker(ctx context.Context, name string, argv []string) (*worker, error) {
	w := &worker{waiting: map[int]chan answer{}}
	w.cmd = exec.CommandContext(ctx, argv[0], argv[1:]...)
	w.cmd.Stderr = &lockedWriter{mu: &w.mu, w: &w.stderr}
	var err error
	w.stdin, err = w.cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := w.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := w.cmd.Start(); err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	first := make(chan error, 1)
	go func() {
		if !sc.Scan() {
			first <- fmt.Errorf("%s did not start: %s", name, lastLine(w.stderrText()))
			return
		}
		var v struct{ Version string }
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil || v.Version == "" {
			first <- fmt.Errorf("%s: bad first line %q", name, sc.Text())
			return
		}
		w.version = v.Version
		first <- nil
		w.read(sc)
	}()
	select {
	case err := <-first:
		if err != nil {
			w.cmd.Process.Kill()
			w.cmd.Wait()
			return nil, err
		}
	case <-time.After(workerStart):
		w.cmd.Process.Kill()
		w.cmd.Wait()
		return nil, fmt.Errorf("%s did not start within %v: %s", name, workerStart, lastLine(w.stderrText()))
	}
	return w, nil
}

// workerStart is how long a worker may take to start (a browser on a busy
// machine takes a while).
const workerStart = 2 * time.Minute

func (w *worker) stderrText() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stderr.String()
}

// read hands each answer to the job waiting for it, until the worker
// ends.
func (w *worker) read(sc *bufio.Scanner) {
	for sc.Scan() {
		var a answer
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		w.mu.Lock()
		ch := w.waiting[a.ID]
		delete(w.waiting, a.ID)
		w.mu.Unlock()
		if ch != nil {
			ch <- a
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.err = fmt.Errorf("browser worker ended: %s", lastLine(w.stderr.String()))
	for id, ch := range w.waiting {
		close(ch)
		delete(w.waiting, id)
	}
}

// do runs one job in mode (navigate or fetch) and waits for its answer.
func (w *worker) do(ctx context.Context, j job, mode string) (answer, error) {
	ch := make(chan answer, 1)
	w.mu.Lock()
	if w.err != nil {
		w.mu.Unlock()
		return answer{}, w.err
	}
	w.nextID++
	j.ID, j.Mode = w.nextID, mode
	if w.page != "" {
		j.Page = w.page + "/"
	}
	w.waiting[j.ID] = ch
	// Unescaped: the Java worker reads the job with patterns, which know
	// \" and \\ but not the \u0026 json.Marshal makes of a query's "&".
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	enc.Encode(j) // a job always encodes; Encode ends the line
	_, err := w.stdin.Write(line.Bytes())
	w.mu.Unlock()
	if err != nil {
		return answer{}, err
	}
	select {
	case a, ok := <-ch:
		if !ok {
			return answer{}, w.err
		}
		if a.HarnessError != "" {
			return answer{}, errors.New(a.HarnessError)
		}
		return a, nil
	case <-time.After(time.Duration(j.Limit)*time.Second + killGrace):
		return answer{}, errors.New("browser worker did not answer")
	case <-ctx.Done():
		return answer{}, ctx.Err()
	}
}

// close ends the browser and the worker.
func (w *worker) close() {
	w.stdin.Close()
	done := make(chan struct{})
	go func() { w.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		w.cmd.Process.Kill()
		<-done
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// browsers are the browsers the harness drives through browser.mjs.
var browsers = []struct {
	id, name, exe, install string
}{
	{"chromium", "Chromium", "chromium", "chromium"},
	{"firefox", "Firefox", "firefox-esr", "firefox-esr"},
}

// pageServer serves the blank page a browser's fetch starts from, and
// the POST form of a navigation, on its own origin.
func pageServer(ctx context.Context, wg *sync.WaitGroup) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>harness</title></head><body></body></html>`)
	})}
	wg.Add(2)
	go func() { defer wg.Done(); srv.Serve(ln) }()
	go func() { defer wg.Done(); <-ctx.Done(); srv.Close() }()
	return "http://" + ln.Addr().String(), nil
}
