// delta: serves net/http/pprof on a loopback address so that delta profiles
// (/debug/pprof/heap?seconds=N, /debug/pprof/allocs?seconds=N) can be taken
// while memory is being freed.
//
//	start:        retains phaseA (48 x 1 MiB buffers) and an index of 20,000
//	              small entries; runs GC twice; prints READY.
//	GET /churn:   drops phaseA and half of the index, retains phaseB
//	              (12 x 1 MiB), allocates ~100 MB of garbage, runs GC twice.
//	GET /quit:    exits. The program also exits by itself after -max (60 s).
//
// So a delta heap profile whose window contains /churn has negative
// inuse_space/inuse_objects for loadPhaseA and buildIndex and positive for
// loadPhaseB.
//
// Usage: delta -addr 127.0.0.1:23950
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"
)

var (
	mu     sync.Mutex
	phaseA [][]byte
	phaseB [][]byte
	index  map[int]*record
	sink   int
)

type record struct {
	id   int
	name string
	tags []string
}

//go:noinline
func loadPhaseA() [][]byte {
	out := make([][]byte, 48)
	for i := range out {
		out[i] = make([]byte, 1<<20)
	}
	return out
}

//go:noinline
func loadPhaseB() [][]byte {
	out := make([][]byte, 12)
	for i := range out {
		out[i] = make([]byte, 1<<20)
	}
	return out
}

//go:noinline
func buildIndex(n int) map[int]*record {
	m := make(map[int]*record, n)
	for i := 0; i < n; i++ {
		m[i] = &record{id: i, name: fmt.Sprintf("record-%d", i), tags: []string{"a", "b", "c"}}
	}
	return m
}

//go:noinline
func churnGarbage(n int) {
	for i := 0; i < n; i++ {
		sink += len(strings.Repeat("y", 1000+i%100))
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:23950", "listen address (loopback only)")
	max := flag.Duration("max", 60*time.Second, "exit after this long")
	flag.Parse()
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		log.Fatalf("refusing non-loopback address %q", *addr)
	}
	runtime.MemProfileRate = 64 * 1024

	mu.Lock()
	phaseA = loadPhaseA()
	index = buildIndex(20000)
	mu.Unlock()
	runtime.GC()
	runtime.GC()

	http.HandleFunc("/churn", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		phaseA = nil
		for k := range index {
			if k%2 == 0 {
				delete(index, k)
			}
		}
		phaseB = loadPhaseB()
		mu.Unlock()
		churnGarbage(100000)
		runtime.GC()
		runtime.GC()
		fmt.Fprintln(w, "churned")
	})
	http.HandleFunc("/quit", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "bye")
		go func() { time.Sleep(100 * time.Millisecond); os.Exit(0) }()
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	time.AfterFunc(*max, func() { fmt.Fprintln(os.Stderr, "delta: max runtime reached"); os.Exit(0) })
	fmt.Println("READY", ln.Addr())
	log.Fatal(http.Serve(ln, nil))
}
