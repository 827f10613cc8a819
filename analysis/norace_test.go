//go:build !race

package analysis

// raceEnabled tells tests that the race detector is on.
const raceEnabled = false
