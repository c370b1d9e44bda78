package main

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

const dataDir = "../../content/clients"

// TestCommittedData checks the data in git against the schema and against
// the harness: every scenario of the harness has its file, with the same
// definition, and every client its observation, in order.
func TestCommittedData(t *testing.T) {
	infos, files, err := loadData(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	clients := newClients()
	var ids []string
	for _, c := range clients {
		ids = append(ids, c.info.ID)
	}
	var gotIDs []string
	for _, ci := range infos {
		gotIDs = append(gotIDs, ci.ID)
	}
	if !reflect.DeepEqual(gotIDs, ids) {
		t.Errorf("%s lists %v, want %v", catalog.ClientsFile, gotIDs, ids)
	}
	for i, c := range clients {
		if i < len(infos) && infos[i] != c.info {
			t.Errorf("%s: %+v, want %+v (run make clients)", catalog.ClientsFile, infos[i], c.info)
		}
	}
	scns := scenarios()
	if len(scns) < 25 {
		t.Errorf("%d scenarios, want at least 25", len(scns))
	}
	for _, s := range scns {
		f, ok := files[s.ID]
		if !ok {
			t.Errorf("%s.json: missing (run make clients)", s.ID)
			continue
		}
		if !reflect.DeepEqual(f.Scenario, s.Scenario) {
			t.Errorf("%s.json: scenario %+v, want %+v (run make clients)", s.ID, f.Scenario, s.Scenario)
		}
		if err := f.Validate(ids); err != nil {
			t.Errorf("%s.json: %v", s.ID, err)
		}
		delete(files, s.ID)
	}
	for id := range files {
		t.Errorf("%s.json: no such scenario in the harness", id)
	}
}

// TestScenarioIDs checks that IDs are unique and file names.
func TestScenarioIDs(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range scenarios() {
		if seen[s.ID] {
			t.Errorf("scenario %s: defined twice", s.ID)
		}
		seen[s.ID] = true
		if filepath.Base(s.ID) != s.ID || s.ID != strings.ToLower(s.ID) {
			t.Errorf("scenario ID %q: not a plain file name", s.ID)
		}
	}
}

func validFile() catalog.ScenarioFile {
	return catalog.ScenarioFile{
		Scenario: catalog.Scenario{ID: "redirect-302-get", Title: "302", Codes: []int{302}, Server: "live",
			Method: "GET", Path: "/status/302", Response: "302", Limit: 8},
		Checked: "2026-12-05",
		Observations: []catalog.Observation{
			{Client: "curl", Version: "7.88.1", Result: catalog.ClientResult{Outcome: catalog.OutcomeResponse, Status: 302, Requests: []catalog.ClientRequest{{Method: "GET", Path: "/status/302"}}}},
			{Client: "go", Version: "go1.26", Result: catalog.ClientResult{Outcome: catalog.OutcomeError, Error: "EOF", Requests: []catalog.ClientRequest{}}},
			{Client: "wget", Version: "1.21", Result: catalog.ClientResult{Outcome: catalog.OutcomeNone, Seconds: 8, Requests: []catalog.ClientRequest{}}},
		},
	}
}

// TestCompare checks that a difference names the scenario, the client and
// both results, and that a result also seen is no difference.
func TestCompare(t *testing.T) {
	infos := []catalog.Client{{ID: "curl", Name: "curl"}}
	committed := validFile()
	committed.Observations = committed.Observations[:1]
	old := map[string]catalog.ScenarioFile{committed.Scenario.ID: committed}

	fresh := validFile()
	fresh.Observations = fresh.Observations[:1]
	fresh.Checked = "2027-01-01"
	if err := compare(infos, old, infos, []catalog.ScenarioFile{fresh}); err != nil {
		t.Fatalf("same results, another date: compare() = %v, want nil", err)
	}

	fresh.Observations[0].Result = catalog.ClientResult{Outcome: catalog.OutcomeError, Error: "exit 52", Requests: []catalog.ClientRequest{}}
	err := compare(infos, old, infos, []catalog.ScenarioFile{fresh})
	if err == nil {
		t.Fatal("another result: compare() = nil, want an error")
	}
	for _, want := range []string{"redirect-302-get × curl", "committed: response status=302", `now:       error error="exit 52"`, "make clients"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("compare() = %q, want it to contain %q", err, want)
		}
	}

	committed.Observations[0].AlsoSeen = []catalog.ClientResult{fresh.Observations[0].Result}
	if err := compare(infos, old, infos, []catalog.ScenarioFile{fresh}); err != nil {
		t.Errorf("a result also seen: compare() = %v, want nil", err)
	}

	fresh.Observations[0].Version = "8.0.0"
	if err := compare(infos, old, infos, []catalog.ScenarioFile{fresh}); err == nil || !strings.Contains(err.Error(), "version 7.88.1 in the committed data, now 8.0.0") {
		t.Errorf("another version: compare() = %v, want it to name both versions", err)
	}
}

// TestMerge checks that rewriting keeps the committed result of the same
// version, adds a new result as also seen, and starts afresh with another
// version.
func TestMerge(t *testing.T) {
	committed := validFile()
	old := map[string]catalog.ScenarioFile{committed.Scenario.ID: committed}
	fresh := validFile()
	fresh.Observations[0].Result.Status = 200
	fresh.Observations[1].Version = "go1.27"
	fresh.Observations[1].Result.Error = "unexpected EOF"
	merge(old, []catalog.ScenarioFile{fresh})
	curl := fresh.Observations[0]
	if curl.Result.Status != 302 || len(curl.AlsoSeen) != 1 || curl.AlsoSeen[0].Status != 200 {
		t.Errorf("curl = %+v, want the committed 302, and 200 also seen", curl)
	}
	if got := fresh.Observations[1]; got.Result.Error != "unexpected EOF" || got.AlsoSeen != nil {
		t.Errorf("go (new version) = %+v, want the fresh result alone", got)
	}
	if got := fresh.Observations[2].AlsoSeen; got != nil {
		t.Errorf("wget (same result) also seen = %+v, want none", got)
	}
}

func TestResultOf(t *testing.T) {
	reqs := []catalog.ClientRequest{{Method: "GET", Path: "/status/503"}}
	tests := []struct {
		name string
		a    answer
		want catalog.ClientResult
	}{
		{"response", answer{Status: 503, BodyBytes: 24, ElapsedMS: 40}, catalog.ClientResult{Outcome: catalog.OutcomeResponse, Status: 503, BodyBytes: 24, Requests: reqs}},
		{"response with error", answer{Status: 503, Error: "exit 8", ElapsedMS: 5200}, catalog.ClientResult{Outcome: catalog.OutcomeResponse, Status: 503, Error: "exit 8", Seconds: 5, Requests: reqs}},
		{"rounded down", answer{Error: "httpx.ReadTimeout", ElapsedMS: 9999}, catalog.ClientResult{Outcome: catalog.OutcomeError, Error: "httpx.ReadTimeout", Seconds: 5, Requests: reqs}},
		{"no error named", answer{ElapsedMS: 10}, catalog.ClientResult{Outcome: catalog.OutcomeError, Error: "no status and no error", Requests: reqs}},
		{"none", answer{None: true, ElapsedMS: 8000}, catalog.ClientResult{Outcome: catalog.OutcomeNone, Seconds: 12, Requests: reqs}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resultOf(tt.a, 12, reqs); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("resultOf(%+v) = %+v, want %+v", tt.a, got, tt.want)
			}
		})
	}
}
