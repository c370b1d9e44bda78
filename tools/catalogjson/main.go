// Command catalogjson decodes the content files in a directory (their YAML
// front matter and Markdown bodies), validates them, and writes the catalog
// as JSON, which the binary embeds and reads at start instead of decoding
// YAML. "make content" runs it through go generate in content/:
//
//	catalogjson -dir . -o catalog.json
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

func main() {
	dir := flag.String("dir", ".", "directory of the content files")
	out := flag.String("o", "catalog.json", "file to write")
	flag.Parse()
	if err := write(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "catalogjson:", err)
		os.Exit(1)
	}
}

// write loads the content in dir and writes it as JSON to out, through a
// temporary file, so that out is never half written.
func write(dir, out string) error {
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := cat.WriteJSON(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".catalog-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}
