# httpstatus: build, test and check.
#
#   make test    everything CI runs: vet, unit tests with -race, then the
#                integration tests (real browser, real nginx, load) after
#                installing what they need (scripts/deps.sh)
#   make check   static checks: go vet, gofmt, staticcheck, govulncheck
#                (scripts/vulncheck.sh: an offline-built vulnerability DB)
#   make fuzz    every FuzzXxx for FUZZTIME each (run by integration)
#   make build   the binary, static (CGO_ENABLED=0), in bin/httpstatus
#   make dist    release builds in dist/: static binaries for linux, darwin
#                and windows on amd64 and arm64, their CycloneDX SBOMs and
#                SHA256SUMS (scripts/dist.sh)
#   make content content/catalog.jsonl and content/catalog-clients.jsonl from
#                the content files: run it after editing content (a test
#                fails while they are stale)
#   make clients runs real HTTP clients (curl, wget, Go, Python, Node, Java,
#                Chromium, Firefox) against the live endpoint and rewrites
#                their observations in content/clients (tools/clients) and
#                content/catalog-clients.jsonl; make test fails when a
#                client no longer does what they say
#   make bench   the load benchmark (tools/bench) against a bare net/http
#                server, nginx and go-httpbin, with every guardrail met or
#                not, under 4 minutes (see BENCHMARKS.md; the report also
#                goes to bin/bench-report.md); then held requests against
#                go-httpbin (tools/heldbench, about 2 minutes) and annotate
#                against awk | sort | uniq (tools/annotatebench). Not in
#                make test.
#
# Integration tests run one package at a time (-p 1): several of them
# time a server under load (fairness, slowloris, the client matrix), and
# two such packages at once on a small machine time each other.
#
# Integration tests carry the build tag "integration", so a plain
# "go test ./..." stays fast and needs nothing but Go.

GO ?= go
# Use the toolchain line of go.mod (downloaded once through the module
# proxy) even where the environment says GOTOOLCHAIN=local.
export GOTOOLCHAIN := auto
STATICCHECK_VERSION := v0.8.2
GOVULNCHECK_VERSION := v1.9.0
FUZZTIME ?= 5s

.PHONY: test unit integration deps build dist content check fmt fuzz bench clients

build:
	CGO_ENABLED=0 $(GO) build -o bin/httpstatus ./cmd/httpstatus

dist:
	GO="$(GO)" ./scripts/dist.sh dist

# The content decoded (YAML front matter and Markdown bodies) and validated,
# as JSON the binary embeds: commands read it instead of decoding YAML.
content:
	$(GO) generate ./content

test: unit integration

unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

deps:
	./scripts/deps.sh

integration: deps
	$(GO) vet -tags integration ./...
	$(GO) test -tags integration -count=1 -p 1 -run 'Integration' -timeout 40m ./...
	@$(MAKE) --no-print-directory fuzz

# Each fuzz target found in the tests, new ones included, fuzzed for
# FUZZTIME. A failing input is saved under testdata/fuzz/ and fails the run
# (scripts/fuzz.sh, which also says what it retries, and why).
fuzz:
	@GO="$(GO)" FUZZTIME="$(FUZZTIME)" ./scripts/fuzz.sh

# Installs nginx and wrk when missing (as root), builds everything, pins
# servers and wrk to separate cores, prints a Markdown table and the
# guardrails.
bench:
	$(GO) run ./tools/bench/harness -o bin/bench-report.md
	$(GO) run ./tools/heldbench
	$(GO) run ./tools/annotatebench

# Rewrites content/clients after a deliberate change or upgrade, then
# content/catalog-clients.jsonl, which carries it; review the diff. (make test
# checks the data: TestIntegrationClients.)
clients: deps
	$(GO) run ./tools/clients
	$(GO) generate ./content

fmt:
	gofmt -w $$(git ls-files '*.go')

check:
	$(GO) vet ./...
	$(GO) vet -tags integration ./...
	@out=$$(gofmt -l $$(git ls-files --cached --others --exclude-standard '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags integration ./...
	GO=$(GO) GOVULNCHECK_VERSION=$(GOVULNCHECK_VERSION) ./scripts/vulncheck.sh
