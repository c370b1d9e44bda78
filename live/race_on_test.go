//go:build race

package live

// raceEnabled reports whether the tests run under the race detector,
// which makes goroutines several times slower to schedule and run.
const raceEnabled = true
