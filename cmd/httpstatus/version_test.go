package main

import (
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	t.Parallel()
	code, out, errs := runArgs(t, nil, "version")
	if code != 0 {
		t.Fatalf("version: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 3 || lines[0] != "httpstatus "+buildVersion() || !strings.HasPrefix(lines[1], "commit ") ||
		lines[len(lines)-1] != "built with "+runtime.Version()+" for "+runtime.GOOS+"/"+runtime.GOARCH {
		t.Errorf("version printed %q", out)
	}
	if _, out2, _ := runArgs(t, nil, "--version"); out2 != out {
		t.Errorf("--version printed %q, version %q", out2, out)
	}
	if code, _, errs := runArgs(t, nil, "version", "extra"); code != 2 || !strings.Contains(errs, `unexpected argument "extra"`) {
		t.Errorf("version extra: exit %d, %q", code, errs)
	}
}
