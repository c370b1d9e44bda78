package export

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestInspect covers every state of a target directory without writing a
// whole export.
func TestInspect(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	mk := func(name string, files ...string) string {
		dir := filepath.Join(root, name)
		os.Mkdir(dir, 0o755)
		for _, f := range files {
			os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
		}
		return dir
	}
	markerDir := mk("marker-is-a-dir")
	os.Mkdir(filepath.Join(markerDir, MarkerFile), 0o755)
	file := filepath.Join(root, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(root, "link")
	os.Symlink(mk("linked", MarkerFile), link)

	tests := []struct {
		name    string
		dir     string
		force   bool
		want    target
		wantErr error // nil, ErrNotEmpty, or errAny
	}{
		{"missing", filepath.Join(root, "nothing"), false, targetMissing, nil},
		{"empty", mk("empty"), false, targetEmpty, nil},
		{"earlier export", mk("export", MarkerFile, "503.html"), false, targetExport, nil},
		{"earlier export, forced", mk("export2", MarkerFile), true, targetExport, nil},
		{"someone's files", mk("mine", "notes.txt"), false, 0, ErrNotEmpty},
		{"someone's files, forced", mk("mine2", "notes.txt"), true, targetReplaced, nil},
		{"marker that is a directory", markerDir, false, 0, ErrNotEmpty},
		{"a file", file, true, 0, errAny},
		{"a symlink", link, true, 0, errAny},
	}
	for _, tt := range tests {
		got, err := inspect(tt.dir, tt.force)
		switch {
		case tt.wantErr == nil && err != nil:
			t.Errorf("%s: inspect: %v", tt.name, err)
		case tt.wantErr == errAny && err == nil, tt.wantErr == ErrNotEmpty && !errors.Is(err, ErrNotEmpty):
			t.Errorf("%s: inspect = %v, %v; want error %v", tt.name, got, err, tt.wantErr)
		case tt.wantErr == nil && got != tt.want:
			t.Errorf("%s: inspect = %v, want %v", tt.name, got, tt.want)
		}
	}
}

var errAny = errors.New("any error")

// TestSwapReplaces puts a new tree in place of a directory of other files,
// as a forced export does.
func TestSwapReplaces(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	dir := filepath.Join(root, "site")
	os.Mkdir(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("old"), 0o644)
	tmp := filepath.Join(root, ".site.tmp-1")
	os.Mkdir(tmp, 0o755)
	os.WriteFile(filepath.Join(tmp, "index.html"), []byte("new"), 0o644)
	if err := swap(tmp, dir, targetReplaced); err != nil {
		t.Fatalf("swap: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "index.html" {
		t.Errorf("after swap %s holds %v, want only index.html", dir, entries)
	}
	if left, _ := os.ReadDir(root); len(left) != 1 {
		t.Errorf("after swap the parent holds %v, want only site", left)
	}
}
