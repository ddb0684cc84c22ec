// Command ties writes a heap profile built to exercise pprof's formatting corner cases:
// equal flat values (ties broken by name), values that land exactly on a rounding tie once
// scaled (131072 B = 0.125 MB, which Go prints as 0.12MB), a deep recursion, and a function
// that is both called and inlined. MemProfileRate = 1 records every allocation exactly.
//
// Build and run (stdlib only): GO111MODULE=off go build -o /tmp/ties . && /tmp/ties out.pb.gz
package main

import (
	"os"
	"runtime"
	"runtime/pprof"
)

var keep [][]byte

//go:noinline
func alpha() { keep = append(keep, make([]byte, 131072)) }

//go:noinline
func beta() { keep = append(keep, make([]byte, 131072)) }

//go:noinline
func gamma() {
	for i := 0; i < 3; i++ {
		keep = append(keep, make([]byte, 40960))
	}
}

//go:noinline
func big() { keep = append(keep, make([]byte, 20<<20)) }

//go:noinline
func recurse(n int) {
	if n == 0 {
		keep = append(keep, make([]byte, 1<<20))
		return
	}
	recurse(n - 1)
}

// small is inlined into its callers.
func small() { keep = append(keep, make([]byte, 65536)) }

//go:noinline
func viaInline() { small() }

//go:noinline
func viaCall() {
	f := small
	f()
}

func main() {
	runtime.MemProfileRate = 1
	alpha()
	beta()
	gamma()
	big()
	recurse(20)
	viaInline()
	viaCall()
	runtime.GC()
	runtime.GC()
	f, err := os.Create(os.Args[1])
	if err != nil {
		panic(err)
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		panic(err)
	}
	f.Close()
	runtime.KeepAlive(keep)
}
