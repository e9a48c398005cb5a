module goescapelens/goast

go 1.18
