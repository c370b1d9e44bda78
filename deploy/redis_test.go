package deploy

import (
	"net"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/httpstatus/httpstatus/internal/redisstore"
)

// The parts of redis.yaml the tests read beyond manifest.
type (
	labelSelector struct {
		MatchLabels map[string]string `yaml:"matchLabels"`
	}
	networkPolicy struct {
		Spec struct {
			PodSelector labelSelector `yaml:"podSelector"`
			Ingress     []struct {
				From []struct {
					PodSelector labelSelector `yaml:"podSelector"`
				} `yaml:"from"`
				Ports []struct {
					Port string `yaml:"port"`
				} `yaml:"ports"`
			} `yaml:"ingress"`
		} `yaml:"spec"`
	}
)

// byName indexes documents by "Kind name".
func byName(t *testing.T, docs []doc) map[string]doc {
	t.Helper()
	m := map[string]doc{}
	for _, d := range docs {
		k := d.Kind + " " + d.Metadata.Name
		if _, dup := m[k]; dup {
			t.Fatalf("%s: a second %s", d.file, k)
		}
		m[k] = d
	}
	return m
}

// need returns the document "kind name", failing the test without it.
func need(t *testing.T, m map[string]doc, kind, name string) doc {
	t.Helper()
	d, ok := m[kind+" "+name]
	if !ok {
		t.Fatalf("no %s %s", kind, name)
	}
	return d
}

// TestRedisManifestsFitTogether checks the set of k8s/redis/: the
// httpstatus Deployment, Service and autoscaler fit together as the
// plain set's do and differ from it only in the sequence and limit
// stores and the replicas; each store's URL names the Redis Service,
// whose port leads to the Redis container; no Service sends site traffic
// to Redis; and only httpstatus pods may reach it.
func TestRedisManifestsFitTogether(t *testing.T) {
	t.Parallel()
	m := byName(t, readDocs(t, "k8s/redis/*.yaml"))
	dep, svc, hpa := need(t, m, "Deployment", "httpstatus"), need(t, m, "Service", "httpstatus"), need(t, m, "HorizontalPodAutoscaler", "httpstatus")
	checkSite(t, dep.manifest, svc.manifest, selectorOf(svc), hpa.manifest)
	if hpa.Spec.MinReplicas < 2 {
		t.Errorf("HPA minReplicas %d: the shared store is for several replicas", hpa.Spec.MinReplicas)
	}
	checkSameAsPlain(t, dep, svc, hpa)

	rdep, rsvc := need(t, m, "Deployment", "httpstatus-redis"), need(t, m, "Service", "httpstatus-redis")
	if len(rdep.Spec.Template.Spec.Containers) != 1 {
		t.Fatalf("the Redis Deployment has %d containers, want 1", len(rdep.Spec.Template.Spec.Containers))
	}
	rc := rdep.Spec.Template.Spec.Containers[0]
	redisPods := rdep.Spec.Template.Metadata.Labels
	sitePods := dep.Spec.Template.Metadata.Labels

	// HTTPSTATUS_SEQ_STORE and HTTPSTATUS_LIMIT_STORE name the Redis
	// Service and its port, whose targetPort is the Redis container's
	// port.
	var target string
	for _, store := range []struct {
		name  string
		check func(string) error
	}{
		{"HTTPSTATUS_SEQ_STORE", func(u string) error { _, err := redisstore.New(u); return err }},
		{"HTTPSTATUS_LIMIT_STORE", func(u string) error { _, err := redisstore.NewLimits(u); return err }},
	} {
		raw := env(dep.Spec.Template.Spec.Containers[0], store.name)
		if err := store.check(raw); err != nil {
			t.Errorf("%s %q: %v", store.name, raw, err)
		}
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatalf("%s %q: %v", store.name, raw, err)
		}
		host, port, _ := net.SplitHostPort(u.Host)
		if host != rsvc.Metadata.Name {
			t.Errorf("%s %q: host %q, want the Redis Service %q", store.name, raw, host, rsvc.Metadata.Name)
		}
		target = ""
		for _, p := range rsvc.Spec.Ports {
			if strconv.Itoa(p.Port) == port {
				target = p.TargetPort
			}
		}
		found := false
		for _, p := range rc.Ports {
			found = found || p.Name == target && p.ContainerPort == 6379
		}
		if !found {
			t.Errorf("%s: the Redis Service's port %s leads to %q, not to the Redis container's port 6379 (%v)", store.name, port, target, rc.Ports)
		}
	}

	// Selectors: each Service reaches its own pods only.
	if !subset(selectorOf(rsvc), redisPods) || subset(selectorOf(rsvc), sitePods) {
		t.Errorf("the Redis Service selects %v: want the Redis pods %v only", selectorOf(rsvc), redisPods)
	}
	if subset(selectorOf(svc), redisPods) {
		t.Errorf("the site's Service selects %v, which takes in the Redis pods %v", selectorOf(svc), redisPods)
	}
	if !subset(rdep.Spec.Selector.MatchLabels, redisPods) {
		t.Errorf("the Redis Deployment's selector %v does not match its pods %v", rdep.Spec.Selector.MatchLabels, redisPods)
	}

	// Only httpstatus pods reach Redis, on its port.
	var np networkPolicy
	npDoc := need(t, m, "NetworkPolicy", "httpstatus-redis")
	npDoc.node.Decode(&np)
	if !subset(np.Spec.PodSelector.MatchLabels, redisPods) || subset(np.Spec.PodSelector.MatchLabels, sitePods) {
		t.Errorf("the NetworkPolicy applies to %v: want the Redis pods %v", np.Spec.PodSelector.MatchLabels, redisPods)
	}
	if len(np.Spec.Ingress) != 1 || len(np.Spec.Ingress[0].From) != 1 || !subset(np.Spec.Ingress[0].From[0].PodSelector.MatchLabels, sitePods) ||
		len(np.Spec.Ingress[0].Ports) != 1 || np.Spec.Ingress[0].Ports[0].Port != target {
		t.Errorf("the NetworkPolicy lets in %+v: want the httpstatus pods %v on port %q only", np.Spec.Ingress, sitePods, target)
	}

	// Redis keeps nothing on disk, bounds its memory, and runs locked down.
	for _, a := range [][]string{{"--save", ""}, {"--appendonly", "no"}, {"--maxmemory-policy", "volatile-lru"}} {
		if i := slices.Index(rc.Args, a[0]); i < 0 || i+1 >= len(rc.Args) || rc.Args[i+1] != a[1] {
			t.Errorf("Redis args %q lack %s %q", rc.Args, a[0], a[1])
		}
	}
	sc, csc := rdep.Spec.Template.Spec.SecurityContext, rc.SecurityContext
	if !sc.RunAsNonRoot || sc.RunAsUser == 0 || csc.AllowPrivilegeEscalation == nil || *csc.AllowPrivilegeEscalation || !csc.ReadOnlyRootFilesystem || rc.Resources.Limits["memory"] == "" {
		t.Errorf("the Redis container: want non-root, no privilege escalation, a read-only root and a memory limit")
	}
}

// checkSameAsPlain checks that the httpstatus manifests of k8s/redis/ are
// those of k8s/ but for HTTPSTATUS_SEQ_STORE, HTTPSTATUS_LIMIT_STORE and
// the replica counts, so that a change to one set is made to the other.
func checkSameAsPlain(t *testing.T, dep, svc, hpa doc) {
	t.Helper()
	plain := map[string]doc{}
	for _, d := range readDocs(t, "k8s/*.yaml") {
		plain[d.Kind] = d
	}
	spec := func(d doc, drop func(map[string]any)) map[string]any {
		var v struct {
			Spec map[string]any `yaml:"spec"`
		}
		d.node.Decode(&v)
		drop(v.Spec)
		return v.Spec
	}
	noReplicas := func(s map[string]any) { delete(s, "replicas"); delete(s, "minReplicas") }
	noStore := func(s map[string]any) {
		noReplicas(s)
		c := s["template"].(map[string]any)["spec"].(map[string]any)["containers"].([]any)[0].(map[string]any)
		c["env"] = slices.DeleteFunc(c["env"].([]any), func(e any) bool {
			name := e.(map[string]any)["name"]
			return name == "HTTPSTATUS_SEQ_STORE" || name == "HTTPSTATUS_LIMIT_STORE"
		})
	}
	for _, p := range []struct {
		d    doc
		drop func(map[string]any)
	}{{dep, noStore}, {svc, noReplicas}, {hpa, noReplicas}} {
		a, b := spec(p.d, p.drop), spec(plain[p.d.Kind], p.drop)
		if !reflect.DeepEqual(a, b) {
			ya, _ := yaml.Marshal(a)
			yb, _ := yaml.Marshal(b)
			t.Errorf("%s: the %s differs from k8s/'s beyond the store and replicas:\n%s\nk8s/:\n%s", p.d.file, p.d.Kind, ya, yb)
		}
	}
}
