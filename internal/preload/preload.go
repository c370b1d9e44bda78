// Package preload starts loading the embedded catalog while the rest of
// the program initialises, when the command line asks for a command that
// needs all of it.
//
// Go initialises packages one after another, on one core: for httpstatus
// that is about 4 ms (the metrics library, protobuf, goldmark), during
// which the second core of a small machine has nothing to do, and then
// "httpstatus serve" spends as long again reading and checking the
// content files. This package sorts before those libraries by import path
// and needs none of them, so Go initialises it early; its init reads
// os.Args and, for serve, list, search and export without --content,
// starts catalog.Load on the embedded files in a goroutine. The command
// then takes the result from Catalog instead of loading it again. Any
// other command line loads nothing here.
package preload

import (
	"os"
	"strings"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
)

var (
	started bool
	done    = make(chan struct{})
	cat     *catalog.Catalog
	err     error
)

func init() { start(os.Args) }

// start starts loading the catalog when args want it.
func start(args []string) {
	if !Wanted(args) {
		return
	}
	started = true
	go func() {
		defer close(done)
		cat, err = catalog.Load(content.FS())
	}()
}

// Wanted reports whether the command line args (args[0] is the program)
// will need the whole embedded catalog: serve, list, search or export,
// without a --content flag, which names other files.
func Wanted(args []string) bool {
	if len(args) < 2 {
		return false
	}
	switch args[1] {
	case "serve", "list", "search", "export":
	default:
		return false
	}
	for _, a := range args[2:] {
		if a == "--" {
			break
		}
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "content" {
			return false
		}
	}
	return true
}

// Catalog waits for the catalog started at init and returns it, or
// Load's error, with ok true; ok is false when none was started.
func Catalog() (c *catalog.Catalog, ok bool, e error) {
	if !started {
		return nil, false, nil
	}
	<-done
	return cat, true, err
}
