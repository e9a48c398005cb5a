module gel.test/corpusmeasure

go 1.26

require (
	github.com/lib/pq v1.10.9
	github.com/vmihailenco/msgpack/v5 v5.4.1
)

require github.com/vmihailenco/tagparser/v2 v2.0.0 // indirect
