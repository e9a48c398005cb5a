// Package corpusmeasure imports the modules the measure-only corpus analyses (README.md), so that
// `go mod tidy` keeps their pins.
package corpusmeasure

import (
	_ "github.com/lib/pq"
	_ "github.com/vmihailenco/msgpack/v5"
)
