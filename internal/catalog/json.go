package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
)

// The catalog as JSON is what content/catalog.json and
// content/catalog-clients.json hold: the front matter of every code, class
// and guide file, decoded, and the clients' data. "make content" (go
// generate ./content) decodes the content files with Load and writes them
// with WriteJSON; a command reads them back with LoadJSON, with the
// Markdown bodies from their files, which is much faster than decoding the
// YAML of every file at every start. A command that shows neither bodies
// nor clients, such as "list" and "search", reads the front matter alone
// with LoadIndex.

// indexJSON is the form of the front matter that WriteJSON writes.
type indexJSON struct {
	Codes   []*Code  `json:"codes"`
	Classes []*Class `json:"classes"`
	Guides  []*Guide `json:"guides"`
}

// observationsJSON is the form of the clients' data that WriteJSON writes.
type observationsJSON struct {
	Clients   []Client        `json:"clients"`
	Scenarios []*ScenarioFile `json:"scenarios"`
}

// WriteJSON writes the catalog as JSON in the form LoadJSON and LoadIndex
// read: to index, the front matter of every code, class and guide, with
// the name of its file; to clients, the clients with every scenario they
// were put to. The same catalog always gives the same bytes.
func (c *Catalog) WriteJSON(index, clients io.Writer) error {
	if err := writeJSON(index, indexJSON{Codes: c.codes, Classes: c.classes, Guides: c.guides}); err != nil {
		return err
	}
	return writeJSON(clients, observationsJSON{Clients: c.clients, Scenarios: c.scenarios})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	return enc.Encode(v)
}

// LoadJSON reads a catalog that WriteJSON wrote, index and clients, with
// the bodies of the codes, classes and guides read from their files in
// fsys, and validates it as Load does, reporting every problem at once.
// Like json.Unmarshal, it ignores fields it does not know: the embedded
// catalog is checked instead by a test that compares it with the content
// files.
func LoadJSON(index, clients []byte, fsys fs.FS) (*Catalog, error) {
	// The clients' data is decoded while the rest is read: neither needs
	// the other, and a server's start waits for both.
	type decoded struct {
		j   observationsJSON
		err error
	}
	done := make(chan decoded, 1)
	go func() {
		var d decoded
		d.err = json.Unmarshal(clients, &d.j)
		done <- d
	}()
	c, err := LoadIndex(index)
	if err == nil {
		err = c.readBodies(fsys)
	}
	d := <-done
	if err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, fmt.Errorf("clients JSON: %w", d.err)
	}
	for i, s := range d.j.Scenarios {
		if s == nil {
			return nil, fmt.Errorf("clients JSON: scenarios[%d]: null", i)
		}
	}
	c.clients, c.scenarios = d.j.Clients, d.j.Scenarios
	sortScenarios(c.scenarios)
	if errs := c.validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// LoadIndex reads the front matter that WriteJSON wrote to index and
// nothing else: no meaning, class or guide has a body, and there are no
// clients. It checks the form of the JSON but none of Load's rules, most
// of which need the bodies, so it is for content that Load has validated,
// such as the embedded content, which the tests load; and for what shows
// no body, such as the list of codes and the results of a search.
func LoadIndex(index []byte) (*Catalog, error) {
	var j indexJSON
	if err := json.Unmarshal(index, &j); err != nil {
		return nil, fmt.Errorf("catalog JSON: %w", err)
	}
	return fromJSON(j)
}

// fromJSON makes a catalog of the codes, classes and guides of j.
func fromJSON(j indexJSON) (*Catalog, error) {
	c := &Catalog{byCode: map[int]*Code{}}
	for i, k := range j.Codes {
		if k == nil || len(k.Entries) == 0 {
			return nil, fmt.Errorf("catalog JSON: codes[%d]: no meanings", i)
		}
		c.add(parsedFile{code: k})
	}
	for i, k := range j.Classes {
		if k == nil {
			return nil, fmt.Errorf("catalog JSON: classes[%d]: null", i)
		}
		c.add(parsedFile{class: k})
	}
	for i, g := range j.Guides {
		if g == nil {
			return nil, fmt.Errorf("catalog JSON: guides[%d]: null", i)
		}
		c.add(parsedFile{guide: g})
	}
	c.sort()
	return c, nil
}

// readBodies sets the body of every meaning, class and guide to the
// Markdown after its front matter in its file in fsys. A file must hold
// as many front matter blocks as the JSON has meanings from it: any other
// number means the JSON is stale.
func (c *Catalog) readBodies(fsys fs.FS) error {
	buf := make([]byte, 4096)
	read := func(file string, n int) ([]document, error) {
		text, err := readText(fsys, file, buf)
		if err != nil {
			return nil, fmt.Errorf("read body: %w", err)
		}
		docs, err := splitDocuments(text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if len(docs) != n {
			return nil, fmt.Errorf("%s: %d front matter blocks, the catalog JSON has %d: run make content", file, len(docs), n)
		}
		return docs, nil
	}
	for _, k := range c.codes {
		file := k.Entries[0].File
		docs, err := read(file, len(k.Entries))
		if err != nil {
			return err
		}
		for i := range k.Entries {
			if k.Entries[i].File != file {
				return fmt.Errorf("catalog JSON: code %d: meanings from %s and %s: a code's meanings are one file's", k.Code, file, k.Entries[i].File)
			}
			k.Entries[i].Body = docs[i].body
		}
	}
	for _, k := range c.classes {
		docs, err := read(k.File, 1)
		if err != nil {
			return err
		}
		k.Body = docs[0].body
	}
	for _, g := range c.guides {
		docs, err := read(g.File, 1)
		if err != nil {
			return err
		}
		g.Body = docs[0].body
	}
	return nil
}
