// Package web embeds the site's HTML templates (templates/*.tmpl) and static
// files (static/*), which the render package turns into pages and hashed
// assets.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates static
var files embed.FS

// FS returns the embedded templates and static files. The result is
// read-only.
func FS() fs.FS { return files }
