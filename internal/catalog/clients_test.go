package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

func validScenario() ScenarioFile {
	return ScenarioFile{
		Scenario: Scenario{ID: "redirect-302-get", Title: "302", Codes: []int{302}, Server: "live",
			Method: "GET", Path: "/status/302", Response: "302", Limit: 8},
		Checked: "2026-12-05",
		Observations: []Observation{
			{Client: "curl", Version: "7.88.1", Result: ClientResult{Outcome: OutcomeResponse, Status: 302, Requests: []ClientRequest{{Method: "GET", Path: "/status/302"}}}},
			{Client: "go", Version: "go1.26", Result: ClientResult{Outcome: OutcomeError, Error: "EOF", Requests: []ClientRequest{}}},
			{Client: "wget", Version: "1.21", Result: ClientResult{Outcome: OutcomeNone, Seconds: 8, Requests: []ClientRequest{}}},
		},
	}
}

// TestScenarioFileValidate has a row for each rule of a scenario file.
func TestScenarioFileValidate(t *testing.T) {
	clients := []string{"curl", "go", "wget"}
	tests := []struct {
		name   string
		change func(f *ScenarioFile)
		want   string // in the error; empty for valid
	}{
		{"valid", func(*ScenarioFile) {}, ""},
		{"bad id", func(f *ScenarioFile) { f.Scenario.ID = "Redirect 302" }, "scenario.id"},
		{"no title", func(f *ScenarioFile) { f.Scenario.Title = "" }, "scenario.title"},
		{"no codes", func(f *ScenarioFile) { f.Scenario.Codes = nil }, "scenario.codes"},
		{"code out of range", func(f *ScenarioFile) { f.Scenario.Codes = []int{999} }, "not a status code"},
		{"bad server", func(f *ScenarioFile) { f.Scenario.Server = "nginx" }, "scenario.server"},
		{"relative path", func(f *ScenarioFile) { f.Scenario.Path = "status/302" }, "absolute path"},
		{"no response", func(f *ScenarioFile) { f.Scenario.Response = "" }, "scenario.response"},
		{"no limit", func(f *ScenarioFile) { f.Scenario.Limit = 0 }, "scenario.limit"},
		{"bad date", func(f *ScenarioFile) { f.Checked = "5 Dec 2026" }, "checked"},
		{"no version", func(f *ScenarioFile) { f.Observations[0].Version = "" }, "curl: version"},
		{"clients out of order", func(f *ScenarioFile) {
			f.Observations[0], f.Observations[1] = f.Observations[1], f.Observations[0]
		}, "observations: clients"},
		{"client missing", func(f *ScenarioFile) { f.Observations = f.Observations[:2] }, "observations: clients"},
		{"bad outcome", func(f *ScenarioFile) { f.Observations[0].Result.Outcome = "ok" }, "outcome \"ok\""},
		{"response without status", func(f *ScenarioFile) { f.Observations[0].Result.Status = 0 }, "outcome response"},
		{"error without error", func(f *ScenarioFile) { f.Observations[1].Result.Error = "" }, "outcome error"},
		{"none before the limit", func(f *ScenarioFile) { f.Observations[2].Result.Seconds = 5 }, "not the limit"},
		{"seconds not rounded", func(f *ScenarioFile) { f.Observations[0].Result.Seconds = 3 }, "multiple of 5"},
		{"request without method", func(f *ScenarioFile) { f.Observations[0].Result.Requests[0].Method = "" }, "method and path"},
		{"bad result also seen", func(f *ScenarioFile) {
			f.Observations[0].AlsoSeen = []ClientResult{{Outcome: "maybe"}}
		}, "outcome \"maybe\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validScenario()
			tt.change(&f)
			err := f.Validate(clients)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Validate() = %v, want an error with %q", err, tt.want)
			}
		})
	}
}

const (
	clientsJSON = `[{"id": "curl", "name": "curl", "follow": "-L", "retry": "", "credentials": ""},
{"id": "go", "name": "Go net/http", "follow": "default", "retry": "", "credentials": ""},
{"id": "wget", "name": "GNU Wget", "follow": "default", "retry": "", "credentials": ""}]`
	scenario302 = `{"scenario": {"id": "redirect-302-get", "title": "302", "codes": [302], "server": "live", "method": "GET", "path": "/status/302", "response": "302", "limit": 8},
"checked": "2026-12-05", "observations": [
{"client": "curl", "version": "7.88.1", "result": {"outcome": "response", "status": 302, "requests": [{"method": "GET", "path": "/status/302"}], "seconds": 0}},
{"client": "go", "version": "go1.26", "result": {"outcome": "error", "error": "EOF", "requests": [], "seconds": 0}},
{"client": "wget", "version": "1.21", "result": {"outcome": "none", "requests": [], "seconds": 8}}]}`
)

// withClients is content with the code 302 (unofficial, for short) and the clients' data, which
// change may alter before it is loaded.
func withClients(change func(fs fstest.MapFS)) fstest.MapFS {
	fs := classFiles()
	fs["302.md"] = codeFile(`code: 302
name: Found
status: unofficial
vendor: Test
summary: Elsewhere for now.
spec: {title: Test, url: "https://example.org/"}`)
	fs["clients/clients.json"] = &fstest.MapFile{Data: []byte(clientsJSON)}
	fs["clients/redirect-302-get.json"] = &fstest.MapFile{Data: []byte(scenario302)}
	change(fs)
	return fs
}

// TestLoadClients has a row for each rule Load checks of the clients'
// data, beyond those of TestScenarioFileValidate.
func TestLoadClients(t *testing.T) {
	tests := []struct {
		name   string
		change func(fs fstest.MapFS)
		want   string // in the error; empty for valid
	}{
		{"valid", func(fstest.MapFS) {}, ""},
		{"no clients folder", func(fs fstest.MapFS) {
			delete(fs, "clients/clients.json")
			delete(fs, "clients/redirect-302-get.json")
		}, ""},
		{"code not in the catalog", func(fs fstest.MapFS) {
			fs["clients/redirect-302-get.json"].Data = []byte(strings.Replace(scenario302, `"codes": [302]`, `"codes": [302, 418]`, 1))
		}, "clients/redirect-302-get.json: scenario.codes: 418 is not a code of the catalog"},
		{"client not in clients.json", func(fs fstest.MapFS) {
			fs["clients/redirect-302-get.json"].Data = []byte(strings.Replace(scenario302, `"client": "go"`, `"client": "python"`, 1))
		}, "clients/redirect-302-get.json: observations: clients [curl python wget]"},
		{"client listed twice", func(fs fstest.MapFS) {
			fs["clients/clients.json"].Data = []byte(strings.Replace(clientsJSON, `"id": "go"`, `"id": "curl"`, 1))
		}, `clients/clients.json: clients[1].id: "curl" is listed twice`},
		{"client without a name", func(fs fstest.MapFS) {
			fs["clients/clients.json"].Data = []byte(strings.Replace(clientsJSON, `"name": "GNU Wget"`, `"name": ""`, 1))
		}, "clients/clients.json: clients[2].name: required"},
		{"file named for another scenario", func(fs fstest.MapFS) {
			fs["clients/redirect-302-post.json"] = fs["clients/redirect-302-get.json"]
			delete(fs, "clients/redirect-302-get.json")
		}, `redirect-302-post.json: holds scenario "redirect-302-get"`},
		{"unknown field", func(fs fstest.MapFS) {
			fs["clients/redirect-302-get.json"].Data = []byte(strings.Replace(scenario302, `"checked"`, `"when": 1, "checked"`, 1))
		}, `unknown field "when"`},
		{"scenarios without clients.json", func(fs fstest.MapFS) { delete(fs, "clients/clients.json") }, "clients.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := Load(withClients(tt.change))
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Load() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("Load() = %v, want an error with %q", err, tt.want)
			case tt.want == "" && tt.name == "valid":
				if got := cat.ScenariosFor(302); len(got) != 1 || len(cat.Clients()) != 3 {
					t.Fatalf("ScenariosFor(302) = %d scenarios, Clients() = %d, want 1 and 3", len(got), len(cat.Clients()))
				}
			}
		})
	}
}
