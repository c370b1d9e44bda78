// Package content embeds the guide's source files: one Markdown file with
// front matter per status code (100.md ... 599.md), one per class
// (1xx.md ... 5xx.md), one per guide (guides/NAME.md), and what real HTTP
// clients did against the live endpoint (clients/*.json, written by
// tools/clients). The catalog package parses and validates them.
//
// catalog.json is the same content decoded, which commands read at start
// instead of decoding the YAML of every file; "make content" rewrites it
// after a content file changes, and a test fails while it is stale.
package content

//go:generate go run ../tools/catalogjson -dir . -o catalog.json

import (
	"embed"
	"io/fs"
)

//go:embed *.md guides/*.md clients/*.json
var files embed.FS

//go:embed catalog.json
var catalogJSON []byte

// FS returns the embedded content files. The result is read-only.
func FS() fs.FS { return files }

// CatalogJSON returns the embedded content files decoded, as
// catalog.LoadJSON reads them. The caller must not modify the result.
func CatalogJSON() []byte { return catalogJSON }
