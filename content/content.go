// Package content embeds the guide's source files: one Markdown file with
// front matter per status code (100.md ... 599.md), one per class
// (1xx.md ... 5xx.md), one per guide (guides/NAME.md), and what real HTTP
// clients did against the live endpoint (clients/*.json, written by
// tools/clients). The catalog package parses and validates them.
//
// catalog.jsonl is the front matter of the Markdown files decoded, one
// JSON line a file, and catalog-clients.jsonl the clients' data, one line
// a scenario, which commands read at start instead of decoding the YAML of
// every file (the Markdown bodies they read from the files themselves);
// "make content" rewrites both after a content file changes, and a test
// fails while they are stale.
package content

//go:generate go run ../tools/catalogjson -dir . -o catalog.jsonl -clients catalog-clients.jsonl

import (
	"embed"
	"io/fs"
)

//go:embed *.md guides/*.md clients/*.json
var files embed.FS

//go:embed catalog.jsonl
var catalogJSON []byte

//go:embed catalog-clients.jsonl
var clientsJSON []byte

// FS returns the embedded content files. The result is read-only.
func FS() fs.FS { return files }

// CatalogJSON returns the front matter of the embedded content files
// decoded, as catalog.LoadJSON, LoadIndex and LoadCode read it. The
// caller must not modify the result.
func CatalogJSON() []byte { return catalogJSON }

// ClientsJSON returns the embedded clients' data in one file, as
// catalog.LoadJSON and LoadCode read it. The caller must not modify the
// result.
func ClientsJSON() []byte { return clientsJSON }
