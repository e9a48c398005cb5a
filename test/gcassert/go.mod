module example.com/gcassertref

go 1.26.0

require (
	github.com/jordanlewis/gcassert v0.0.0-20250430164644-389ef753e22e
	golang.org/x/tools v0.52.0
)
