package main

import (
	"strings"
	"testing"
)

func TestStatusKiB(t *testing.T) {
	for status, want := range map[string]int{
		"Name:\thttpstatus\nVmHWM:\t   20480 kB\nVmRSS:\t   12345 kB\nRssAnon:\t 1 kB\n": 12345,
		"Name:\tx\n": 0,
	} {
		if got := statusKiB([]byte(status)); got != want {
			t.Errorf("statusKiB(%q) = %d, want %d", status, got, want)
		}
	}
}

func TestParseMetrics(t *testing.T) {
	text := `# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 10009
# TYPE go_memstats_stack_inuse_bytes gauge
go_memstats_stack_inuse_bytes 1.048576e+08
# TYPE go_memstats_heap_inuse_bytes gauge
go_memstats_heap_inuse_bytes 2.097152e+08
# TYPE go_memstats_heap_alloc_bytes gauge
go_memstats_heap_alloc_bytes 2e+08
# TYPE go_memstats_sys_bytes gauge
go_memstats_sys_bytes 3e+08
# TYPE httpstatus_http_requests_in_flight gauge
httpstatus_http_requests_in_flight 10000
`
	m := parseMetrics(strings.NewReader(text))
	want := goMetrics{ok: true, goroutines: 10009, stack: 1 << 20 * 100, heapInuse: 200 << 20, heapAlloc: 2e8, sys: 3e8}
	if m != want {
		t.Errorf("parseMetrics = %+v, want %+v", m, want)
	}
	if m := parseMetrics(strings.NewReader("not metrics {")); m.ok {
		t.Errorf("parseMetrics of garbage = %+v, want not ok", m)
	}
}
