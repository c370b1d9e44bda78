module github.com/httpstatus/httpstatus

go 1.26.0

// Build with the newest Go 1.26 patch release: go1.26.8 and earlier
// have standard-library vulnerabilities that govulncheck reports.
toolchain go1.26.11

require go.yaml.in/yaml/v3 v3.0.6

require (
	github.com/redis/go-redis/v9 v9.23.0
	github.com/yuin/goldmark v1.8.7
)

require go.uber.org/atomic v1.12.0 // indirect

require (
	github.com/chromedp/cdproto v0.159.0
	github.com/chromedp/chromedp v0.23.0
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
)

require (
	github.com/andybalholm/brotli v1.2.8
	github.com/beorn7/perks v1.0.1 // indirect
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/munnerz/goautoneg v0.0.0-20191010083416-a7dc8b61c822 // indirect
	github.com/prometheus/client_golang v1.25.0
	github.com/prometheus/client_model v0.6.3 // indirect
	github.com/prometheus/common v0.72.0
	github.com/prometheus/procfs v0.22.0 // indirect
	golang.org/x/sys v0.48.0
	google.golang.org/protobuf v1.36.12 // indirect
)
