package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// marshal is the form of every data file: indented JSON and a newline,
// with a query's "&" as it is.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeData writes clients.json and one file per scenario into dir, and
// removes the JSON files of scenarios that are gone.
func writeData(dir string, clients []catalog.Client, files []catalog.ScenarioFile) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	keep := map[string]bool{catalog.ClientsFile: true}
	b, err := marshal(clients)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, catalog.ClientsFile), b, 0o644); err != nil {
		return err
	}
	for _, f := range files {
		name := f.Scenario.ID + ".json"
		keep[name] = true
		b, err := marshal(f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	old, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if !keep[filepath.Base(p)] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadData reads clients.json and every scenario file of dir, strictly
// (catalog.LoadClients): an unknown field is an error. The scenarios are
// by ID.
func loadData(dir string) ([]catalog.Client, map[string]catalog.ScenarioFile, error) {
	clients, list, err := catalog.LoadClients(os.DirFS(dir))
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", dir, err)
	}
	files := map[string]catalog.ScenarioFile{}
	for _, f := range list {
		files[f.Scenario.ID] = *f
	}
	return clients, files, nil
}

// accepts reports whether r is the committed result of o or one also
// seen.
func accepts(o catalog.Observation, r catalog.ClientResult) bool {
	return slices.ContainsFunc(append([]catalog.ClientResult{o.Result}, o.AlsoSeen...), func(x catalog.ClientResult) bool { return reflect.DeepEqual(x, r) })
}

// merge keeps the committed result of each client whose version is the
// same, and adds the fresh result to the results also seen when the data
// does not accept it yet: rewriting after a run that saw nothing new
// changes nothing but the date, and a client whose behaviour depends on
// timing collects its variants. A new version starts afresh.
func merge(old map[string]catalog.ScenarioFile, fresh []catalog.ScenarioFile) {
	for i, f := range fresh {
		o, ok := old[f.Scenario.ID]
		if !ok || !reflect.DeepEqual(o.Scenario, f.Scenario) {
			continue
		}
		for k, n := range f.Observations {
			for _, c := range o.Observations {
				if c.Client != n.Client || c.Version != n.Version || !slices.Equal(c.Options, n.Options) {
					continue
				}
				if !accepts(c, n.Result) {
					c.AlsoSeen = append(c.AlsoSeen, n.Result)
				}
				fresh[i].Observations[k] = c
			}
		}
	}
}

// compare reports every difference between the committed data and a
// fresh run, one line each, naming the scenario, the client and both
// results. The dates are not compared.
func compare(oldClients []catalog.Client, old map[string]catalog.ScenarioFile, newClients []catalog.Client, fresh []catalog.ScenarioFile) error {
	var diffs []string
	add := func(format string, a ...any) { diffs = append(diffs, fmt.Sprintf(format, a...)) }
	if !reflect.DeepEqual(oldClients, newClients) {
		add("%s: the clients or their options changed", catalog.ClientsFile)
	}
	seen := map[string]bool{}
	for _, f := range fresh {
		id := f.Scenario.ID
		seen[id] = true
		o, ok := old[id]
		if !ok {
			add("%s: new scenario, not in the committed data", id)
			continue
		}
		if !reflect.DeepEqual(o.Scenario, f.Scenario) {
			add("%s: the scenario's definition changed", id)
		}
		byClient := map[string]catalog.Observation{}
		for _, ob := range o.Observations {
			byClient[ob.Client] = ob
		}
		for _, n := range f.Observations {
			c, ok := byClient[n.Client]
			switch {
			case !ok:
				add("%s × %s: not in the committed data; now: %s", id, n.Client, n.Result)
			case c.Version != n.Version:
				add("%s × %s: version %s in the committed data, now %s", id, n.Client, c.Version, n.Version)
			case !accepts(c, n.Result):
				add("%s × %s (%s) behaves differently:\n    committed: %s\n    now:       %s", id, n.Client, n.Version, c.Result, n.Result)
			case !slices.Equal(c.Options, n.Options):
				add("%s × %s: options %q in the committed data, now %q", id, n.Client, c.Options, n.Options)
			}
			delete(byClient, n.Client)
		}
		for name := range byClient {
			add("%s × %s: in the committed data, no longer run", id, name)
		}
	}
	for id := range old {
		if !seen[id] {
			add("%s: in the committed data, no longer a scenario", id)
		}
	}
	if len(diffs) == 0 {
		return nil
	}
	slices.Sort(diffs)
	return errors.New(strings.Join(diffs, "\n") + "\n(after a deliberate change or upgrade, run make clients and commit content/clients and content/catalog-clients.jsonl)")
}
