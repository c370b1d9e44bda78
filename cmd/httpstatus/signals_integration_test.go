//go:build integration

package main

import (
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalsIntegration checks what SIGINT does to the commands that
// catch it: export stops and leaves no file behind; annotate goes on to
// the end of its input and reports it. (serve's SIGTERM is
// TestShutdownIntegration's.)
func TestSignalsIntegration(t *testing.T) {
	bin := buildServe(t)

	t.Run("export", func(t *testing.T) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "site")
		cmd := exec.Command(bin, "export", dir)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// The export writes into a temporary directory beside dir for
		// a second or more: interrupt it there.
		deadline := time.Now().Add(10 * time.Second)
		for {
			if names, _ := filepath.Glob(filepath.Join(parent, ".site.tmp-*")); len(names) > 0 {
				break
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				t.Fatalf("export made no temporary directory in 10 s: %s", out)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(out.String(), "export: interrupt signal received") {
			t.Errorf("export after SIGINT: %v, %q; want exit 1 naming the signal", err, out)
		}
		if names, _ := filepath.Glob(filepath.Join(parent, "*")); len(names) != 0 {
			t.Errorf("an interrupted export left %v", names)
		}
		if names, _ := filepath.Glob(filepath.Join(parent, ".*")); len(names) != 0 {
			t.Errorf("an interrupted export left %v", names)
		}
	})

	t.Run("annotate", func(t *testing.T) {
		cmd := exec.Command(bin, "annotate")
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line := `127.0.0.1 - - [05/Dec/2026:10:00:00 +0000] "GET / HTTP/1.1" 503 12 "-" "curl"` + "\n"
		if _, err := io.WriteString(stdin, line); err != nil {
			t.Fatal(err)
		}
		// Time to start and catch the signal (it starts in tens of
		// milliseconds); a signal before that would end it, as it ends
		// show or list.
		time.Sleep(time.Second)
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		// Still reading: the line after the signal counts too.
		time.Sleep(200 * time.Millisecond)
		if _, err := io.WriteString(stdin, line); err != nil {
			t.Fatalf("annotate stopped reading at SIGINT: %v", err)
		}
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil || !strings.Contains(out.String(), "2 requests") {
				t.Errorf("annotate after SIGINT and the end of its input: %v, %q; want exit 0 and a report of 2 requests", err, out)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Fatal("annotate did not end within 10 s of the end of its input")
		}
	})
}
