package deploy

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/httpstatus/httpstatus/content"
	"github.com/httpstatus/httpstatus/internal/catalog"
	"github.com/httpstatus/httpstatus/internal/render"
	"github.com/httpstatus/httpstatus/internal/server"
	"github.com/httpstatus/httpstatus/web"
)

// The parts of the manifests the tests read. A misspelt field in a
// manifest reads as empty here, and the checks below fail on it.
type (
	meta struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	}
	probe struct {
		HTTPGet struct {
			Path string `yaml:"path"`
			Port string `yaml:"port"`
		} `yaml:"httpGet"`
	}
	container struct {
		Name  string   `yaml:"name"`
		Image string   `yaml:"image"`
		Args  []string `yaml:"args"`
		Env   []struct {
			Name  string `yaml:"name"`
			Value string `yaml:"value"`
		} `yaml:"env"`
		Ports []struct {
			Name          string `yaml:"name"`
			ContainerPort int    `yaml:"containerPort"`
		} `yaml:"ports"`
		ReadinessProbe probe `yaml:"readinessProbe"`
		LivenessProbe  probe `yaml:"livenessProbe"`
		Resources      struct {
			Requests map[string]string `yaml:"requests"`
			Limits   map[string]string `yaml:"limits"`
		} `yaml:"resources"`
		SecurityContext struct {
			AllowPrivilegeEscalation *bool `yaml:"allowPrivilegeEscalation"`
			ReadOnlyRootFilesystem   bool  `yaml:"readOnlyRootFilesystem"`
			Capabilities             struct {
				Drop []string `yaml:"drop"`
			} `yaml:"capabilities"`
		} `yaml:"securityContext"`
	}
	manifest struct {
		APIVersion string `yaml:"apiVersion"`
		Kind       string `yaml:"kind"`
		Metadata   meta   `yaml:"metadata"`
		Spec       struct {
			// Deployment
			Selector struct {
				MatchLabels map[string]string `yaml:"matchLabels"`
			} `yaml:"selector"`
			Template struct {
				Metadata meta `yaml:"metadata"`
				Spec     struct {
					SecurityContext struct {
						RunAsNonRoot bool `yaml:"runAsNonRoot"`
						RunAsUser    int  `yaml:"runAsUser"`
					} `yaml:"securityContext"`
					Containers []container `yaml:"containers"`
				} `yaml:"spec"`
			} `yaml:"template"`
			// Service (its selector is a plain map, read separately)
			Ports []struct {
				Port       int    `yaml:"port"`
				TargetPort string `yaml:"targetPort"`
			} `yaml:"ports"`
			// HorizontalPodAutoscaler
			ScaleTargetRef struct {
				APIVersion string `yaml:"apiVersion"`
				Kind       string `yaml:"kind"`
				Name       string `yaml:"name"`
			} `yaml:"scaleTargetRef"`
			MinReplicas int `yaml:"minReplicas"`
			MaxReplicas int `yaml:"maxReplicas"`
			Metrics     []struct {
				Resource struct {
					Name string `yaml:"name"`
				} `yaml:"resource"`
			} `yaml:"metrics"`
		} `yaml:"spec"`
	}
)

// doc is one document of a manifest file, with its YAML node for the
// fields manifest does not read.
type doc struct {
	manifest
	file string
	node yaml.Node
}

// readDocs parses every document of the files glob matches.
func readDocs(t *testing.T, glob string) []doc {
	t.Helper()
	files, _ := filepath.Glob(glob)
	if len(files) == 0 {
		t.Fatalf("no %s", glob)
	}
	var docs []doc
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			d := doc{file: f}
			if err := dec.Decode(&d.node); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if err := d.node.Decode(&d.manifest); err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// selectorOf returns the selector of a Service document.
func selectorOf(d doc) map[string]string {
	var svc struct {
		Spec struct {
			Selector map[string]string `yaml:"selector"`
		} `yaml:"spec"`
	}
	d.node.Decode(&svc)
	return svc.Spec.Selector
}

// readManifests parses every document of k8s/*.yaml, by kind: one of
// each.
func readManifests(t *testing.T) (byKind map[string]manifest, serviceSelector map[string]string) {
	t.Helper()
	byKind = map[string]manifest{}
	for _, d := range readDocs(t, "k8s/*.yaml") {
		if _, dup := byKind[d.Kind]; dup {
			t.Fatalf("%s: a second %s", d.file, d.Kind)
		}
		byKind[d.Kind] = d.manifest
		if d.Kind == "Service" {
			serviceSelector = selectorOf(d)
		}
	}
	for _, k := range []string{"Deployment", "Service", "HorizontalPodAutoscaler"} {
		if _, ok := byKind[k]; !ok {
			t.Fatalf("no %s in k8s/", k)
		}
	}
	return byKind, serviceSelector
}

// containerfile returns the Containerfile's instructions (continuation
// lines joined, comments dropped) and the index where its last stage
// starts.
func containerfile(t *testing.T) (lines []string, last int) {
	t.Helper()
	f, err := os.Open("Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cur string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(l, `\`); ok {
			cur += cont
			continue
		}
		lines = append(lines, cur+l)
		cur = ""
	}
	for i, l := range lines {
		if strings.HasPrefix(l, "FROM ") {
			last = i
		}
	}
	return lines, last
}

func subset(sub, of map[string]string) bool {
	for k, v := range sub {
		if of[k] != v {
			return false
		}
	}
	return len(sub) > 0
}

func env(c container, name string) string {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

func TestManifestsFitTogether(t *testing.T) {
	t.Parallel()
	m, svcSel := readManifests(t)
	checkSite(t, m["Deployment"], m["Service"], svcSel, m["HorizontalPodAutoscaler"])
}

// checkSite checks that the Deployment of httpstatus, its Service and its
// HorizontalPodAutoscaler fit together, with the Containerfile and the
// server.
func checkSite(t *testing.T, dep, svc manifest, svcSel map[string]string, hpa manifest) {
	t.Helper()
	podLabels := dep.Spec.Template.Metadata.Labels
	if !subset(dep.Spec.Selector.MatchLabels, podLabels) {
		t.Errorf("Deployment selector %v does not match its pod labels %v", dep.Spec.Selector.MatchLabels, podLabels)
	}
	if !subset(svcSel, podLabels) {
		t.Errorf("Service selector %v does not match the pod labels %v", svcSel, podLabels)
	}
	if hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != dep.Metadata.Name || hpa.Spec.ScaleTargetRef.APIVersion != dep.APIVersion {
		t.Errorf("HPA targets %+v, not the Deployment %s %s", hpa.Spec.ScaleTargetRef, dep.APIVersion, dep.Metadata.Name)
	}
	if hpa.Spec.MinReplicas < 2 || hpa.Spec.MaxReplicas < hpa.Spec.MinReplicas {
		t.Errorf("HPA replicas %d to %d: want at least 2, max ≥ min", hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}
	if len(dep.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("Deployment has %d containers, want 1", len(dep.Spec.Template.Spec.Containers))
	}
	c := dep.Spec.Template.Spec.Containers[0]
	for _, mt := range hpa.Spec.Metrics {
		if r := mt.Resource.Name; r != "" && c.Resources.Requests[r] == "" {
			t.Errorf("HPA scales on %s, but the container requests no %s: utilisation is a share of the request", r, r)
		}
	}
	if len(c.Args) == 0 || c.Args[0] != "serve" {
		t.Errorf("container args %v, want serve", c.Args)
	}
	ports := map[string]int{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	_, port, err := net.SplitHostPort(env(c, "HTTPSTATUS_ADDR"))
	if err != nil || port != strconv.Itoa(ports["http"]) || port == "" {
		t.Errorf("HTTPSTATUS_ADDR %q does not listen on the http containerPort %d", env(c, "HTTPSTATUS_ADDR"), ports["http"])
	}
	for _, p := range svc.Spec.Ports {
		if _, ok := ports[p.TargetPort]; !ok {
			t.Errorf("Service targetPort %q names no container port (%v)", p.TargetPort, ports)
		}
	}
	if u, err := url.Parse(env(c, "HTTPSTATUS_BASE_URL")); err != nil || u.Scheme != "https" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		t.Errorf("HTTPSTATUS_BASE_URL %q: want a site root URL", env(c, "HTTPSTATUS_BASE_URL"))
	}
	sc := dep.Spec.Template.Spec.SecurityContext
	if !sc.RunAsNonRoot || sc.RunAsUser == 0 {
		t.Errorf("pod securityContext %+v: want runAsNonRoot and a non-zero runAsUser", sc)
	}
	csc := c.SecurityContext
	if csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation || !csc.ReadOnlyRootFilesystem || len(csc.Capabilities.Drop) != 1 || csc.Capabilities.Drop[0] != "ALL" {
		t.Errorf("container securityContext: want no privilege escalation, a read-only root and every capability dropped")
	}
	if c.Resources.Limits["memory"] == "" {
		t.Errorf("container has no memory limit")
	}

	// The image runs as the Containerfile's user, and the probes ask the
	// server for paths that answer 200 once it has warmed up.
	lines, last := containerfile(t)
	var user string
	for _, l := range lines[last:] {
		if u, ok := strings.CutPrefix(l, "USER "); ok {
			user = u
		}
	}
	if uid, _, _ := strings.Cut(user, ":"); uid != strconv.Itoa(sc.RunAsUser) {
		t.Errorf("runAsUser %d, but the Containerfile's USER is %q", sc.RunAsUser, user)
	}
	srv := newWarmServer(t)
	for name, p := range map[string]probe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe} {
		if _, ok := ports[p.HTTPGet.Port]; !ok {
			t.Errorf("%s probe port %q names no container port", name, p.HTTPGet.Port)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", p.HTTPGet.Path, nil))
		if p.HTTPGet.Path == "" || rec.Code != 200 {
			t.Errorf("%s probe GET %q: status %d, want 200", name, p.HTTPGet.Path, rec.Code)
		}
	}
}

func newWarmServer(t *testing.T) *server.Server {
	t.Helper()
	cat, err := catalog.Load(content.FS())
	if err != nil {
		t.Fatal(err)
	}
	rnd, err := render.New(cat, web.FS())
	if err != nil {
		t.Fatal(err)
	}
	srv := server.New(rnd, server.Options{Logger: slog.New(slog.DiscardHandler)})
	if err := srv.Warm(); err != nil {
		t.Fatal(err)
	}
	return srv
}

func TestContainerfile(t *testing.T) {
	t.Parallel()
	lines, last := containerfile(t)
	final := lines[last:]
	has := func(re string) string {
		t.Helper()
		rx := regexp.MustCompile(re)
		for _, l := range final {
			if m := rx.FindStringSubmatch(l); m != nil {
				return m[len(m)-1]
			}
		}
		t.Errorf("the final stage has no line matching %s", re)
		return ""
	}
	has(`^FROM gcr\.io/distroless/static-debian\d+:nonroot$`)
	if user := has(`^USER (\S+)$`); !regexp.MustCompile(`^[1-9]\d*:[1-9]\d*$`).MatchString(user) {
		t.Errorf("USER %q: want a numeric non-root uid:gid, which the runtime can check without /etc/passwd", user)
	}
	has(`^ENTRYPOINT \["/httpstatus"\]$`)
	has(`^CMD \["serve"\]$`)
	addr := has(`HTTPSTATUS_ADDR=(\S+)`)
	expose := has(`^EXPOSE (\d+)$`)
	if _, port, err := net.SplitHostPort(addr); err != nil || port != expose {
		t.Errorf("HTTPSTATUS_ADDR=%s does not listen on the EXPOSEd port %s", addr, expose)
	}

	// The build stage uses the Go of go.mod and builds a static binary.
	gomod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVersion == nil {
		t.Fatal("go.mod has no go line")
	}
	var from, build string
	for _, l := range lines[:last] {
		if strings.HasPrefix(l, "FROM ") {
			from = l
		}
		if strings.Contains(l, "go build") {
			build = l
		}
	}
	if !strings.Contains(from, "golang:"+string(goVersion[1])+"-") {
		t.Errorf("build stage %q: want the golang image of go %s (go.mod)", from, goVersion[1])
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "./cmd/httpstatus"} {
		if !strings.Contains(build, want) {
			t.Errorf("build line %q lacks %s", build, want)
		}
	}
}
