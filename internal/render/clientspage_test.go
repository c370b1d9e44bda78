package render_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/render"
)

// TestCodePagesShowClients checks the pages the issue names: each has the
// section "What clients do" with at least eight clients and their versions
// in HTML and text, and each observation as data in JSON.
func TestCodePagesShowClients(t *testing.T) {
	r := newRenderer(t)
	for _, code := range []int{100, 101, 103, 301, 302, 303, 307, 308, 429, 503} {
		h, err := r.Code(code, render.HTML)
		if err != nil {
			t.Fatal(err)
		}
		page := string(h)
		if !strings.Contains(page, `<h2 id="clients-h">What clients do</h2>`) || strings.Count(page, `<th scope="row">`) < 8 || !strings.Contains(page, `href="/clients"`) {
			t.Errorf("/%d: no section What clients do with eight clients and a link to /clients", code)
		}
		txt, _ := r.Code(code, render.Text)
		if !strings.Contains(string(txt), "\nWHAT CLIENTS DO\n") || !strings.Contains(string(txt), "curl 7.") {
			t.Errorf("/%d.txt: no section WHAT CLIENTS DO naming curl's version", code)
		}
		js, _ := r.Code(code, render.JSON)
		var got struct {
			Clients struct {
				Checked      string
				Observations []struct{ Client, Version, Scenario, Summary string }
			}
		}
		if err := json.Unmarshal(js, &got); err != nil {
			t.Fatal(err)
		}
		clients := map[string]bool{}
		for _, o := range got.Clients.Observations {
			if o.Version == "" || o.Scenario == "" || o.Summary == "" {
				t.Errorf("/%d.json: observation %+v lacks a version, scenario or summary", code, o)
			}
			clients[o.Client] = true
		}
		if len(clients) < 8 || got.Clients.Checked == "" {
			t.Errorf("/%d.json: %d clients, checked %q; want at least 8 and a date", code, len(clients), got.Clients.Checked)
		}
	}
}

// TestClientsPage checks that /clients holds every scenario and every
// client, in every format.
func TestClientsPage(t *testing.T) {
	r := newRenderer(t)
	cat := r.Catalog()
	js, err := r.Clients(render.JSON)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Clients      []struct{ ID, Version string }
		Scenarios    []struct{ ID string }
		Observations []struct{ Client, Scenario string }
		License      struct{ Title string }
	}
	if err := json.Unmarshal(js, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Clients) != len(cat.Clients()) || len(got.Scenarios) != len(cat.Scenarios()) || len(got.Observations) != len(cat.Clients())*len(cat.Scenarios()) || got.License.Title == "" {
		t.Errorf("/clients.json: %d clients, %d scenarios, %d observations, licence %q; want %d, %d, %d and the licence",
			len(got.Clients), len(got.Scenarios), len(got.Observations), got.License.Title, len(cat.Clients()), len(cat.Scenarios()), len(cat.Clients())*len(cat.Scenarios()))
	}
	h, _ := r.Clients(render.HTML)
	txt, _ := r.Clients(render.Text)
	for _, s := range cat.Scenarios() {
		if !strings.Contains(string(h), `id="`+s.Scenario.ID+`"`) || !strings.Contains(string(txt), s.Scenario.Title) {
			t.Errorf("/clients: scenario %s missing in HTML or text", s.Scenario.ID)
		}
	}
	if n := strings.Count(string(h), "<td>"); n != len(got.Observations) {
		t.Errorf("/clients: %d cells, want %d", n, len(got.Observations))
	}
}
