package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
