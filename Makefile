# httpstatus: build, test and check.
#
#   make test    everything CI runs: vet, unit and integration tests with -race
#   make check   static checks: go vet, gofmt, staticcheck, govulncheck
#   make build   the binary, in bin/httpstatus

GO ?= go
STATICCHECK_VERSION := 2025.1.1
GOVULNCHECK_VERSION := v1.1.4

.PHONY: test build check fmt

build:
	$(GO) build -o bin/httpstatus ./cmd/httpstatus

test:
	$(GO) vet ./...
	$(GO) test -race -count=1 ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

check:
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	$(GO) run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION) ./...
