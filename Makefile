# httpstatus: build, test and check.
#
#   make test    everything CI runs: vet, unit tests with -race, then the
#                integration tests (real browser, real nginx, load) after
#                installing what they need (scripts/deps.sh)
#   make check   static checks: go vet, gofmt, staticcheck, govulncheck
#   make build   the binary, in bin/httpstatus
#
# Integration tests carry the build tag "integration", so a plain
# "go test ./..." stays fast and needs nothing but Go.

GO ?= go
STATICCHECK_VERSION := v0.8.2
GOVULNCHECK_VERSION := v1.9.0

.PHONY: test unit integration deps build check fmt

build:
	$(GO) build -o bin/httpstatus ./cmd/httpstatus

test: unit integration

unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

deps:
	./scripts/deps.sh

integration: deps
	$(GO) vet -tags integration ./...
	$(GO) test -tags integration -count=1 -run 'Integration' -timeout 20m ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

check:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	$(GO) run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION) ./...
