package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"slices"
	"strconv"
)

// The catalog as JSON is what content/catalog.jsonl and
// content/catalog-clients.jsonl hold: the front matter of every code,
// class and guide file, decoded, and the clients' data. "make content"
// (go generate ./content) decodes the content files with Load and writes
// them with WriteJSON; a command reads them back with LoadJSON, with the
// Markdown bodies from their files, which is much faster than decoding
// the YAML of every file at every start. A command that shows neither
// bodies nor clients, such as "list" and "search", reads the front matter
// alone with LoadIndex; "httpstatus 503" reads the few lines its page
// shows with LoadCode.
//
// Both are JSON Lines, one value per line, so that LoadCode finds a file's
// front matter, or a scenario, by reading the start of each line: the
// index has one line per content file, which names the file first; the
// clients' data has the clients on its first line, then one scenario a
// line, whose codes come first.

// fileJSON is one line of the index: the front matter of the content
// file File, which holds a code, a class or a guide.
type fileJSON struct {
	File  string `json:"file"`
	Code  *Code  `json:"code,omitempty"`
	Class *Class `json:"class,omitempty"`
	Guide *Guide `json:"guide,omitempty"`
}

// clientsHead is the first line of the clients' data.
type clientsHead struct {
	Clients []Client `json:"clients"`
}

// scenarioLine is each further line of the clients' data: a scenario,
// after its codes, which LoadCode reads alone.
type scenarioLine struct {
	Codes []int `json:"codes"`
	*ScenarioFile
}

// WriteJSON writes the catalog as JSON in the form LoadJSON, LoadIndex
// and LoadCode read: to index, the front matter of every code, class and
// guide, with the name of its file; to clients, the clients and every
// scenario they were put to. The same catalog always gives the same
// bytes.
func (c *Catalog) WriteJSON(index, clients io.Writer) error {
	enc := newLineEncoder(index)
	for _, k := range c.codes {
		if err := enc.Encode(fileJSON{File: k.Entries[0].File, Code: k}); err != nil {
			return err
		}
	}
	for _, k := range c.classes {
		if err := enc.Encode(fileJSON{File: k.File, Class: k}); err != nil {
			return err
		}
	}
	for _, g := range c.guides {
		if err := enc.Encode(fileJSON{File: g.File, Guide: g}); err != nil {
			return err
		}
	}
	enc = newLineEncoder(clients)
	if err := enc.Encode(clientsHead{Clients: c.clients}); err != nil {
		return err
	}
	for _, s := range c.scenarios {
		codes := s.Scenario.Codes
		if codes == nil {
			codes = []int{}
		}
		if err := enc.Encode(scenarioLine{Codes: codes, ScenarioFile: s}); err != nil {
			return err
		}
	}
	return nil
}

// newLineEncoder writes one compact value a line: the encoder escapes the
// line breaks in strings.
func newLineEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
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
		clients   []Client
		scenarios []*ScenarioFile
		err       error
	}
	done := make(chan decoded, 1)
	go func() {
		var d decoded
		d.clients, d.scenarios, d.err = decodeClients(clients, nil)
		done <- d
	}()
	c, err := LoadIndex(index)
	if err == nil {
		err = c.readBodies(fsys, nil)
	}
	d := <-done
	if err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, d.err
	}
	c.clients, c.scenarios = d.clients, d.scenarios
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
	c := &Catalog{byCode: map[int]*Code{}}
	n := 0
	for line := range bytes.Lines(index) {
		n++
		if err := c.addJSON(n, line); err != nil {
			return nil, err
		}
	}
	c.sort()
	return c, nil
}

// addJSON adds to c the file on line n of the index.
func (c *Catalog) addJSON(n int, line []byte) error {
	var f fileJSON
	if err := json.Unmarshal(line, &f); err != nil {
		return fmt.Errorf("catalog JSON: line %d: %w", n, err)
	}
	var p parsedFile
	var file string // the file the front matter says it is from
	switch {
	case f.Code != nil && f.Class == nil && f.Guide == nil:
		if len(f.Code.Entries) == 0 {
			return fmt.Errorf("catalog JSON: line %d: %s: no meanings", n, f.File)
		}
		p.code, file = f.Code, f.Code.Entries[0].File
	case f.Class != nil && f.Code == nil && f.Guide == nil:
		p.class, file = f.Class, f.Class.File
	case f.Guide != nil && f.Code == nil && f.Class == nil:
		p.guide, file = f.Guide, f.Guide.File
	default:
		return fmt.Errorf("catalog JSON: line %d: %q: want one of a code, a class or a guide", n, f.File)
	}
	// LoadCode finds a file's line by the name it starts with.
	if file != f.File {
		return fmt.Errorf("catalog JSON: line %d: named %s, holds the front matter of %s", n, f.File, file)
	}
	c.add(p)
	return nil
}

// decodeClients reads the clients' data that WriteJSON wrote, keeping
// the scenarios whose codes keep accepts (all of them when keep is nil).
// The others are not decoded further than their codes.
func decodeClients(data []byte, keep func(codes []int) bool) ([]Client, []*ScenarioFile, error) {
	var (
		head  clientsHead
		files []*ScenarioFile
		n     int
	)
	for line := range bytes.Lines(data) {
		n++
		if n == 1 {
			if err := json.Unmarshal(line, &head); err != nil {
				return nil, nil, fmt.Errorf("clients JSON: line 1: %w", err)
			}
			continue
		}
		if keep != nil {
			codes, err := lineCodes(line)
			if err != nil {
				return nil, nil, fmt.Errorf("clients JSON: line %d: %w", n, err)
			}
			if !keep(codes) {
				continue
			}
		}
		var l scenarioLine
		if err := json.Unmarshal(line, &l); err != nil {
			return nil, nil, fmt.Errorf("clients JSON: line %d: %w", n, err)
		}
		if l.ScenarioFile == nil {
			return nil, nil, fmt.Errorf("clients JSON: line %d: no scenario", n)
		}
		files = append(files, l.ScenarioFile)
	}
	if n == 0 {
		return nil, nil, errors.New("clients JSON: empty, want the clients on the first line")
	}
	return head.Clients, files, nil
}

// LoadCode reads, from index and clients as WriteJSON wrote them, only
// what the page of one code shows: the code, if it has a file, its class,
// the x00 code of its class (what a client treats an unassigned number
// as), the codes its meanings relate to and the guides (a code page lists
// those it belongs to), and the scenarios that concern the code. Only the
// code and its class have their bodies, read from fsys: the page shows
// the others' front matter alone. It decodes a few lines of the index where
// LoadJSON decodes them all, which is most of what "httpstatus 503" would
// cost. The result holds only those codes, so it answers Lookup and Class
// for them and nothing about the rest (Codes lists what was read); and it
// is not checked across files, so it is for content that Load has
// validated, such as the embedded content, which the tests load.
func LoadCode(index, clients []byte, fsys fs.FS, code int) (*Catalog, error) {
	var lines [][]byte
	at := map[string]int{} // the line number of each file
	for line := range bytes.Lines(index) {
		lines = append(lines, line)
		name, err := lineFile(line)
		if err != nil {
			return nil, fmt.Errorf("catalog JSON: line %d: %w", len(lines), err)
		}
		at[name] = len(lines)
	}
	c := &Catalog{byCode: map[int]*Code{}}
	// read adds a file to the catalog once; a file the index does not
	// have (an unassigned number, a class beyond 5xx) is not an error.
	read := func(name string) error {
		n, ok := at[name]
		if !ok {
			return nil
		}
		delete(at, name)
		return c.addJSON(n, lines[n-1])
	}
	classFile, codeFile := ClassOf(code)+".md", strconv.Itoa(code)+".md"
	names := []string{classFile, codeFile}
	for name := range at {
		if path.Dir(name) == GuideDir {
			names = append(names, name)
		}
	}
	for _, name := range names {
		if err := read(name); err != nil {
			return nil, err
		}
	}
	want := []int{code / 100 * 100}
	if k, ok := c.byCode[code]; ok {
		for _, e := range k.Entries {
			want = append(want, e.Related...)
		}
	}
	for _, n := range want {
		if err := read(strconv.Itoa(n) + ".md"); err != nil {
			return nil, err
		}
	}
	// The page shows the body of the code and of its class, and of the
	// rest only what the front matter says.
	own := func(file string) bool { return file == classFile || file == codeFile }
	if err := c.readBodies(fsys, own); err != nil {
		return nil, err
	}
	concerns := func(codes []int) bool { return slices.Contains(codes, code) }
	var err error
	if c.clients, c.scenarios, err = decodeClients(clients, concerns); err != nil {
		return nil, err
	}
	sortScenarios(c.scenarios)
	c.sort()
	return c, nil
}

// The start of each line is read as WriteJSON writes it, without a JSON
// decoder: a decoder for each of a hundred lines took longer than
// decoding the lines LoadCode needs.

// lineFile reads the name of the file a line of the index holds: WriteJSON
// writes it first, and a name is a path with no character JSON escapes.
func lineFile(line []byte) (string, error) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"file":"`))
	if !ok {
		return "", errors.New(`want {"file":"NAME", first`)
	}
	name, _, ok := bytes.Cut(rest, []byte(`"`))
	if !ok || bytes.IndexByte(name, '\\') >= 0 {
		return "", errors.New("want a file name with no escape in it")
	}
	return string(name), nil
}

// lineCodes reads the codes of a scenario line of the clients' data,
// which WriteJSON writes first.
func lineCodes(line []byte) ([]int, error) {
	rest, ok := bytes.CutPrefix(line, []byte(`{"codes":`))
	end := bytes.IndexByte(rest, ']')
	if !ok || end < 0 {
		return nil, errors.New(`want {"codes":[...], first`)
	}
	var codes []int
	if err := json.Unmarshal(rest[:end+1], &codes); err != nil {
		return nil, fmt.Errorf("codes: %w", err)
	}
	return codes, nil
}

// readBodies sets the body of every meaning, class and guide whose file
// keep accepts (all of them when keep is nil) to the Markdown after its
// front matter in its file in fsys. A file must hold as many front matter
// blocks as the JSON has meanings from it: any other number means the
// JSON is stale.
func (c *Catalog) readBodies(fsys fs.FS, keep func(file string) bool) error {
	buf := make([]byte, 4096)
	// read passes the n documents of file to set, unless keep refuses
	// the file.
	read := func(file string, n int, set func(docs []document)) error {
		if keep != nil && !keep(file) {
			return nil
		}
		text, err := readText(fsys, file, buf)
		if err != nil {
			return fmt.Errorf("read body: %w", err)
		}
		docs, err := splitDocuments(text)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if len(docs) != n {
			return fmt.Errorf("%s: %d front matter blocks, the catalog JSON has %d: run make content", file, len(docs), n)
		}
		set(docs)
		return nil
	}
	for _, k := range c.codes {
		file := k.Entries[0].File
		for _, e := range k.Entries {
			if e.File != file {
				return fmt.Errorf("catalog JSON: code %d: meanings from %s and %s: a code's meanings are one file's", k.Code, file, e.File)
			}
		}
		if err := read(file, len(k.Entries), func(docs []document) {
			for i := range k.Entries {
				k.Entries[i].Body = docs[i].body
			}
		}); err != nil {
			return err
		}
	}
	for _, k := range c.classes {
		if err := read(k.File, 1, func(docs []document) { k.Body = docs[0].body }); err != nil {
			return err
		}
	}
	for _, g := range c.guides {
		if err := read(g.File, 1, func(docs []document) { g.Body = docs[0].body }); err != nil {
			return err
		}
	}
	return nil
}
