// stall: an ingest pipeline whose downstream stopped, served over net/http/pprof
// on a loopback address. What a user would profile when "requests hang":
//
//   - -producers goroutines (default 2000) each hand one batch to a queue channel
//     (capacity 16) and stay parked in `chan send`: the only consumer took the
//     sink's lock and is waiting for a flush that never finishes (it sleeps for
//     -max), so nothing drains the queue.
//   - 8 workers contend on one stats lock (mutex and block profile rates set).
//   - a 48 MiB lookup cache is held for the whole run while a request loop
//     allocates and drops 256 KiB buffers: the heap's allocation volume since start
//     is mostly churn, what is held now is the cache.
//
// The program prints READY once the producers are parked and exits by itself
// after -max.
//
// Usage: stall -addr 127.0.0.1:24450 -max 3m
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

type batch struct {
	id   int
	rows [][]byte
}

type sink struct {
	mu      sync.Mutex
	written int
}

// flush holds the sink's lock while it waits for a remote that never answers.
//
//go:noinline
func (s *sink) flush(b batch, remote <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-remote
	s.written += len(b.rows)
}

//go:noinline
func consume(queue <-chan batch, s *sink, remote <-chan struct{}) {
	for b := range queue {
		s.flush(b, remote)
	}
}

// produce hands one batch to the queue: it blocks in `chan send` once the queue is full.
//
//go:noinline
func produce(id int, queue chan<- batch) {
	rows := make([][]byte, 4)
	for i := range rows {
		rows[i] = make([]byte, 512)
	}
	queue <- batch{id: id, rows: rows}
}

type stats struct {
	mu     sync.Mutex
	counts map[string]int
}

//go:noinline
func (st *stats) record(kind string, i int) {
	st.mu.Lock()
	key := fmt.Sprintf("%s/%d", kind, i%32)
	st.counts[key]++
	var b strings.Builder
	for j := 0; j < 32; j++ {
		b.WriteString(key)
	}
	_ = b.Len()
	st.mu.Unlock()
}

//go:noinline
func statsWorker(st *stats, kind string) {
	for i := 0; ; i++ {
		st.record(kind, i)
		if i%100 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

var cache = map[int][]byte{}

//go:noinline
func fillCache(mib int) {
	for i := 0; i < mib*16; i++ {
		cache[i] = make([]byte, 64<<10)
	}
}

var sinkBuf []byte

// serveRequests allocates a 256 KiB response buffer per request and drops it.
//
//go:noinline
func serveRequests() {
	for {
		for i := 0; i < 40; i++ {
			sinkBuf = make([]byte, 256<<10)
			sinkBuf[0] = byte(i)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:24450", "loopback address for net/http/pprof")
	producers := flag.Int("producers", 2000, "producer goroutines")
	cacheMiB := flag.Int("cache", 48, "MiB held in the lookup cache")
	max := flag.Duration("max", 3*time.Minute, "exit after this long")
	flag.Parse()
	if !strings.HasPrefix(*addr, "127.0.0.1:") {
		log.Fatal("-addr must be on 127.0.0.1")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	go func() { log.Println(http.Serve(ln, nil)) }()
	time.AfterFunc(*max, func() { os.Exit(0) })
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(10000)

	fillCache(*cacheMiB)
	go serveRequests()
	st := &stats{counts: map[string]int{}}
	for k := 0; k < 8; k++ {
		go statsWorker(st, fmt.Sprintf("w%d", k))
	}
	queue := make(chan batch, 16)
	remote := make(chan struct{}) // never closed: the remote never answers
	s := &sink{}
	go consume(queue, s, remote)
	for i := 0; i < *producers; i++ {
		go produce(i, queue)
	}
	for len(queue) < cap(queue) {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond)
	fmt.Println("READY", runtime.NumGoroutine())
	select {}
}
