package server

import (
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// The metrics, in a registry of each Server's own (no global state):
//
//	httpstatus_http_requests_total{route,code}         counter
//	httpstatus_http_request_duration_seconds{route}    histogram
//	httpstatus_http_requests_in_flight                 gauge
//	httpstatus_limit_refusals_total{reason}           counter
//	httpstatus_limit_clients                           gauge
//	httpstatus_limit_store_errors_total{limit}         counter
//	httpstatus_build_info{version,goversion}           gauge, always 1
//	go_*, process_*                                    the Go runtime and the process (RSS, CPU, fds)
//
// route is the ServeMux pattern that served the request ("GET /{page}",
// "/status/{codes...}"), or "unmatched" for requests refused before
// routing, never the raw path (the live endpoint's GET pattern counts as
// its method-less one, see livePattern): the number of series stays
// bounded whatever clients send. The --live-addr listener's requests
// (Compat) are counted under its patterns prefixed with "live-addr "
// ("live-addr /{code}", "live-addr unmatched"). code is the final status,
// 100 to 999, or "aborted" for a request whose handler broke the
// connection before sending any status (the live endpoint's faults
// before the headers: reset-before-headers, close-before-headers,
// garbage), which the request log shows as status 0. reason is the name
// of the limit that refused a request (package limit: client-rate,
// client-max-slow, client-max-bytes, max-egress, max-slow); no metric is
// labelled by client, whose number has no bound.
// httpstatus_limit_clients is how many clients' request buckets are kept
// in memory (with --client-rate), bounded by MaxClients; with a shared
// limit store it stays near zero while the store answers.
// httpstatus_limit_store_errors_total counts the calls to the shared
// limit store (Options.LimitStore) that failed or timed out, by the
// limit's name (client-rate, client-max-bytes, max-egress); each one let
// the request be limited by the replica's own buckets instead, and while
// the store is down it is asked about once a second.

// durationBuckets spans a cached page (tens of microseconds) to the
// longest ?sleep of the live endpoint.
var durationBuckets = []float64{
	.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60,
}

// unmatched is the route label of a request no route pattern served.
const unmatched = "unmatched"

// aborted is the code label of a request that got no status (status 0).
const aborted = "aborted"

func routeLabel(pattern string) string {
	switch pattern {
	case "":
		return unmatched
	case liveGETPattern:
		return livePattern
	}
	return pattern
}

type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	refusals *prometheus.CounterVec
	// storeErrors counts the failures of the shared limit store.
	storeErrors *prometheus.CounterVec
	// extra are collectors added before the first scrape registers
	// them all.
	extra []prometheus.Collector
	http  http.Handler

	mu     sync.RWMutex
	routes map[string]*routeMetrics
}

// routeMetrics holds one route's metric children, resolved once, so that
// counting a request allocates nothing and takes no lock but a read lock.
type routeMetrics struct {
	route    string
	duration prometheus.Observer
	codes    [1000]atomic.Pointer[prometheus.Counter]
}

func newMetrics(version string) *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_http_requests_total",
			Help: "HTTP requests served, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "httpstatus_http_request_duration_seconds",
			Help:    "Time from the request's arrival at the handler to the end of its response, by route pattern.",
			Buckets: durationBuckets,
		}, []string{"route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "httpstatus_http_requests_in_flight",
			Help: "HTTP requests being served now.",
		}),
		refusals: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_limit_refusals_total",
			Help: "Requests refused by a limit (429, or 503 for the limits of all clients), by the limit's name.",
		}, []string{"reason"}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "httpstatus_limit_store_errors_total",
			Help: "Calls to the shared limit store that failed or timed out, each answered by the replica's own limits instead, by the limit's name.",
		}, []string{"limit"}),
		routes: map[string]*routeMetrics{},
	}
	if version == "" {
		version = "(devel)"
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "httpstatus_build_info",
		Help:        "Always 1; the labels name the build of httpstatus that is running.",
		ConstLabels: prometheus.Labels{"version": version, "goversion": runtime.Version()},
	})
	build.Set(1)
	// Registering, and making the Go and process collectors, costs a
	// third of a millisecond, which the first scrape pays instead of
	// every start. Requests are counted from the first one all the same.
	handler := sync.OnceValue(func() http.Handler {
		m.reg.MustRegister(
			m.requests, m.duration, m.inFlight, m.refusals, m.storeErrors, build,
			collectors.NewGoCollector(),
			collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		)
		m.reg.MustRegister(m.extra...)
		return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{
			// A scrape still gets what could be gathered; failures are
			// counted in promhttp_metric_handler_errors_total.
			ErrorHandling: promhttp.ContinueOnError,
			Registry:      m.reg,
			// Scrapes are rare; more than a few at once is abuse.
			MaxRequestsInFlight: 4,
		})
	})
	m.http = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { handler().ServeHTTP(w, r) })
	return m
}

// trackClients exports n, the number of clients whose buckets are kept,
// as httpstatus_limit_clients. It must be called before the first
// scrape.
func (m *metrics) trackClients(n func() int) {
	m.extra = append(m.extra, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "httpstatus_limit_clients",
		Help: "Clients whose request-rate bucket is kept in memory.",
	}, func() float64 { return float64(n()) }))
}

// storeFailed counts a failure of the shared limit store for the limit
// named limit.
func (m *metrics) storeFailed(limit string) {
	m.storeErrors.WithLabelValues(limit).Inc()
}

// route returns the metric children of a route pattern.
func (m *metrics) route(pattern string) *routeMetrics {
	m.mu.RLock()
	rm := m.routes[pattern]
	m.mu.RUnlock()
	if rm != nil {
		return rm
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if rm = m.routes[pattern]; rm == nil {
		label := routeLabel(pattern)
		rm = &routeMetrics{route: label, duration: m.duration.WithLabelValues(label)}
		m.routes[pattern] = rm
	}
	return rm
}

// observe counts one request, of status 0 when it got none. Patterns come
// from the route table, so the map stays small.
func (m *metrics) observe(pattern string, status int, d time.Duration) {
	rm := m.route(pattern)
	rm.duration.Observe(d.Seconds())
	if status != 0 && (status < 100 || status > 999) {
		return // net/http allows no such status
	}
	c := rm.codes[status].Load()
	if c == nil {
		code := aborted
		if status != 0 {
			code = strconv.Itoa(status)
		}
		cc := m.requests.WithLabelValues(rm.route, code)
		rm.codes[status].CompareAndSwap(nil, &cc)
		c = rm.codes[status].Load()
	}
	(*c).Inc()
}

// Metrics returns the handler of the metrics in the Prometheus text
// format, with the site's security headers, for serving on an address of
// its own when Options.SeparateMetrics is set.
func (s *Server) Metrics() http.Handler { return securityHeaders(s.metrics.http) }
