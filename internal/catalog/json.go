package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
)

// The catalog as JSON is what content/catalog.json holds: "make content"
// (go generate ./content) decodes the content files with Load and writes
// them with WriteJSON, and a command reads them back with LoadJSON, which
// is much faster than decoding the YAML of every file at every start.

// catalogJSON is the form of the catalog that WriteJSON writes.
type catalogJSON struct {
	Codes     []*Code         `json:"codes"`
	Classes   []*Class        `json:"classes"`
	Guides    []*Guide        `json:"guides"`
	Clients   []Client        `json:"clients,omitempty"`
	Scenarios []*ScenarioFile `json:"scenarios,omitempty"`
}

// WriteJSON writes the catalog as JSON in the form LoadJSON reads: every
// code with its meanings, every class and every guide, bodies and file
// names included, and the clients with every scenario they were put to.
// The same catalog always gives the same bytes.
func (c *Catalog) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "\t")
	return enc.Encode(catalogJSON{Codes: c.codes, Classes: c.classes, Guides: c.guides, Clients: c.clients, Scenarios: c.scenarios})
}

// LoadJSON reads a catalog that WriteJSON wrote and validates it as Load
// does, reporting every problem at once. Like json.Unmarshal, it ignores
// fields it does not know: the embedded catalog is checked instead by a
// test that compares it with the content files.
func LoadJSON(data []byte) (*Catalog, error) {
	var j catalogJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("catalog JSON: %w", err)
	}
	c := &Catalog{byCode: map[int]*Code{}, clients: j.Clients}
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
	for i, s := range j.Scenarios {
		if s == nil {
			return nil, fmt.Errorf("catalog JSON: scenarios[%d]: null", i)
		}
		c.scenarios = append(c.scenarios, s)
	}
	sortScenarios(c.scenarios)
	if errs := c.validate(); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c.sort()
	return c, nil
}

// catalogJSONLazy is catalogJSON with the codes and scenarios left
// undecoded, for LoadJSONCode.
type catalogJSONLazy struct {
	Codes     []json.RawMessage `json:"codes"`
	Classes   []*Class          `json:"classes"`
	Guides    []*Guide          `json:"guides"`
	Clients   []Client          `json:"clients,omitempty"`
	Scenarios []json.RawMessage `json:"scenarios,omitempty"`
}

// LoadJSONCode reads from a catalog that WriteJSON wrote only what the
// page of one code shows: the code, if the catalog has it, its class, the
// x00 code of its class (what a client treats an unassigned number as),
// the codes its meanings relate to, the guides (a code page lists those
// it belongs to), and the scenarios that concern the code. Decoding those
// instead of every code is most of what "httpstatus 503" saves. The result
// holds only those codes, so it answers Lookup and Class for them and
// nothing about the rest (Codes lists what was read); and it is not
// validated, so it is for a catalog that LoadJSON has checked, such as the
// embedded one, which the tests load.
func LoadJSONCode(data []byte, code int) (*Catalog, error) {
	var j catalogJSONLazy
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("catalog JSON: %w", err)
	}
	byNumber := make(map[int]json.RawMessage, len(j.Codes))
	for _, raw := range j.Codes {
		var peek struct {
			Code int `json:"code"`
		}
		if err := json.Unmarshal(raw, &peek); err != nil {
			return nil, fmt.Errorf("catalog JSON: %w", err)
		}
		byNumber[peek.Code] = raw
	}
	c := &Catalog{byCode: map[int]*Code{}, clients: j.Clients}
	addCode := func(n int) error {
		raw, ok := byNumber[n]
		if _, done := c.byCode[n]; !ok || done {
			return nil
		}
		var k Code
		if err := json.Unmarshal(raw, &k); err != nil {
			return fmt.Errorf("catalog JSON: code %d: %w", n, err)
		}
		c.add(parsedFile{code: &k})
		return nil
	}
	if err := addCode(code); err != nil {
		return nil, err
	}
	want := []int{code / 100 * 100}
	if k, ok := c.byCode[code]; ok {
		for _, e := range k.Entries {
			want = append(want, e.Related...)
		}
	}
	for _, n := range want {
		if err := addCode(n); err != nil {
			return nil, err
		}
	}
	for _, k := range j.Classes {
		if k != nil && k.Name == ClassOf(code) {
			c.add(parsedFile{class: k})
		}
	}
	for _, g := range j.Guides {
		if g != nil {
			c.add(parsedFile{guide: g})
		}
	}
	if err := c.addScenariosOf(j.Scenarios, code); err != nil {
		return nil, err
	}
	c.sort()
	return c, nil
}

// addScenariosOf decodes, of the scenarios raw, those that concern code.
func (c *Catalog) addScenariosOf(raw []json.RawMessage, code int) error {
	for _, r := range raw {
		var peek struct {
			Scenario struct {
				Codes []int `json:"codes"`
			} `json:"scenario"`
		}
		if err := json.Unmarshal(r, &peek); err != nil {
			return fmt.Errorf("catalog JSON: scenarios: %w", err)
		}
		if !slices.Contains(peek.Scenario.Codes, code) {
			continue
		}
		var s ScenarioFile
		if err := json.Unmarshal(r, &s); err != nil {
			return fmt.Errorf("catalog JSON: scenarios: %w", err)
		}
		c.scenarios = append(c.scenarios, &s)
	}
	sortScenarios(c.scenarios)
	return nil
}
