// Package content embeds the guide's source files: one Markdown file with
// front matter per status code (100.md ... 599.md) and one per class
// (1xx.md ... 5xx.md). The catalog package parses and validates them.
package content

import (
	"embed"
	"io/fs"
)

//go:embed *.md
var files embed.FS

// FS returns the embedded content files. The result is read-only.
func FS() fs.FS { return files }
