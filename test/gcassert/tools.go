//go:build tools

package tools

import _ "github.com/jordanlewis/gcassert/cmd/gcassert"
