// Command catalogjson decodes the content files in a directory, validates
// them, and writes their YAML front matter as JSON, and the clients' data
// as one JSON file, which the binary embeds and reads at start instead of
// decoding YAML (the Markdown bodies it reads from the files). "make
// content" runs it through go generate in content/:
//
//	catalogjson -dir . -o catalog.jsonl -clients catalog-clients.jsonl
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
	out := flag.String("o", "catalog.jsonl", "file to write the front matter to")
	clients := flag.String("clients", "catalog-clients.jsonl", "file to write the clients' data to")
	flag.Parse()
	if err := write(*dir, *out, *clients); err != nil {
		fmt.Fprintln(os.Stderr, "catalogjson:", err)
		os.Exit(1)
	}
}

// write loads the content in dir and writes it as JSON to out and
// clients, each through a temporary file, so that neither is ever half
// written.
func write(dir, out, clients string) error {
	cat, err := catalog.Load(os.DirFS(dir))
	if err != nil {
		return err
	}
	var index, data bytes.Buffer
	if err := cat.WriteJSON(&index, &data); err != nil {
		return err
	}
	if err := replace(out, index.Bytes()); err != nil {
		return err
	}
	return replace(clients, data.Bytes())
}

// replace writes b to the file out through a temporary file.
func replace(out string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(out), ".catalog-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
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
