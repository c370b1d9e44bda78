package main

import (
	"io"
	"strings"
	"testing"
)

// TestLimitsConfig checks the flags of the per-client limits against
// their environment variables, and their errors.
func TestLimitsConfig(t *testing.T) {
	t.Parallel()
	e := env{stdout: io.Discard, stderr: io.Discard}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    limitsConfig
		wantErr string
	}{
		{"defaults", nil, nil, limitsConfig{clientHeader: "X-Forwarded-For", clientMaxSlow: 16, clientMaxBytes: 100 << 20, maxEgress: 1000 << 20}, ""},
		{"every variable", nil, map[string]string{
			"HTTPSTATUS_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7", "HTTPSTATUS_CLIENT_HEADER": "Forwarded",
			"HTTPSTATUS_CLIENT_RATE": "2.5", "HTTPSTATUS_CLIENT_BURST": "10", "HTTPSTATUS_CLIENT_MAX_SLOW": "4",
			"HTTPSTATUS_CLIENT_MAX_BYTES": "20000000", "HTTPSTATUS_MAX_EGRESS": "0",
		}, limitsConfig{trustedProxies: "10.0.0.0/8, 192.0.2.7", clientHeader: "Forwarded", clientRate: 2.5, clientBurst: 10, clientMaxSlow: 4, clientMaxBytes: 20000000}, ""},
		{"every flag over its variable", []string{
			"--trusted-proxies", "2001:db8::/32", "--client-header", "x-forwarded-for", "--client-rate", "20", "--client-burst", "40", "--client-max-slow", "0",
			"--client-max-bytes", "0", "--max-egress", "30000000",
		}, map[string]string{
			"HTTPSTATUS_TRUSTED_PROXIES": "10.0.0.0/8", "HTTPSTATUS_CLIENT_HEADER": "Forwarded",
			"HTTPSTATUS_CLIENT_RATE": "2.5", "HTTPSTATUS_CLIENT_BURST": "10", "HTTPSTATUS_CLIENT_MAX_SLOW": "4",
			"HTTPSTATUS_CLIENT_MAX_BYTES": "20000000", "HTTPSTATUS_MAX_EGRESS": "0",
		}, limitsConfig{trustedProxies: "2001:db8::/32", clientHeader: "x-forwarded-for", clientRate: 20, clientBurst: 40, maxEgress: 30000000}, ""},
		{"byte budget under --max-body", []string{"--max-body", "1000", "--client-max-bytes", "999"}, nil, limitsConfig{}, "serve: --client-max-bytes 999: want 0 (no limit) or --max-body (1000) to 2147483647"},
		{"egress under --max-body", []string{"--max-egress", "10"}, nil, limitsConfig{}, "serve: --max-egress 10: want 0 (no limit) or --max-body (10485760) to 2147483647"},
		{"bad proxy", []string{"--trusted-proxies", "10.0.0.0/8,lb.example.org"}, nil, limitsConfig{}, `serve: --trusted-proxies: "lb.example.org": want an address or a CIDR prefix such as 10.0.0.0/8`},
		{"bad header", nil, map[string]string{"HTTPSTATUS_CLIENT_HEADER": "X-Real-IP"}, limitsConfig{}, `serve: --client-header "X-Real-IP": want X-Forwarded-For or Forwarded`},
		{"negative rate", []string{"--client-rate", "-1"}, nil, limitsConfig{}, "serve: --client-rate -1: want 0 (no limit) to 1e+06 requests a second"},
		{"rate not a number", nil, map[string]string{"HTTPSTATUS_CLIENT_RATE": "fast"}, limitsConfig{}, `serve: HTTPSTATUS_CLIENT_RATE "fast": want requests a second such as 20`},
		{"burst without rate", []string{"--client-burst", "5"}, nil, limitsConfig{}, "serve: --client-burst needs --client-rate"},
		{"negative burst", []string{"--client-rate", "1", "--client-burst", "-5"}, nil, limitsConfig{}, "serve: --client-burst -5: want 0 to 1000000"},
		{"negative max slow", []string{"--client-max-slow", "-1"}, nil, limitsConfig{}, "serve: --client-max-slow -1: want 0 (no limit) to 100000"},
		{"max slow over max-slow", []string{"--max-slow", "8", "--client-max-slow", "16"}, nil, limitsConfig{clientHeader: "X-Forwarded-For", clientMaxSlow: 16, clientMaxBytes: 100 << 20, maxEgress: 1000 << 20}, ""},
	}
	for _, tt := range tests {
		checkParseServe(t, e, tt.name, tt.args, tt.env, func(c serveConfig) limitsConfig { return c.limits }, tt.want, tt.wantErr)
	}
}

// TestLimitsHelp checks that serve --help names the limits' flags and
// their variables.
func TestLimitsHelp(t *testing.T) {
	t.Parallel()
	code, out, _ := runArgs(t, nil, "serve", "--help")
	if code != 0 {
		t.Fatalf("serve --help: exit %d", code)
	}
	for _, want := range []string{
		"-trusted-proxies string\n", "(env HTTPSTATUS_TRUSTED_PROXIES)",
		"-client-header string\n", "(env HTTPSTATUS_CLIENT_HEADER) (default \"X-Forwarded-For\")",
		"-client-rate float\n", "(env HTTPSTATUS_CLIENT_RATE)",
		"-client-burst int\n", "(env HTTPSTATUS_CLIENT_BURST)",
		"-client-max-slow int\n", "(env HTTPSTATUS_CLIENT_MAX_SLOW) (default 16)",
		"-client-max-bytes int\n", "(env HTTPSTATUS_CLIENT_MAX_BYTES) (default 104857600)",
		"-max-egress int\n", "(env HTTPSTATUS_MAX_EGRESS) (default 1048576000)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help does not say %q:\n%s", want, out)
		}
	}
}
