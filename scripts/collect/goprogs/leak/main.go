// leak: a small event hub served over net/http/pprof on a loopback address, in
// two modes that the goroutine rules of pprof-doctor must tell apart.
//
//	-mode leak  every subscription starts a watcher goroutine that ranges over
//	            its own event channel; the hub never closes the channel when a
//	            subscriber goes away, so each watcher stays parked in
//	            `chan receive` for good. -n subscriptions (default 5000) are
//	            made in bursts over the first ~10 s. The program also sets the
//	            mutex and block profile rates and keeps 6 goroutines contending
//	            on one lock (the hub's stats), so mutex/block profiles carry a
//	            hot spot.
//	-mode pool  the healthy shape of the same program: a fixed pool of 50
//	            workers parked in `chan receive` on one job queue, 8 shard
//	            tickers in `select`, a few request loops; no leak, and the
//	            mutex/block profile rates are never set (those profiles are empty).
//
// Both modes run a little allocation churn so that garbage collections happen:
// the runtime records how long a goroutine has been blocked (the "N minutes"
// of a debug=2 dump) only from a GC on. The program prints READY once its
// goroutines are in place and exits by itself after -max.
//
// Usage: leak -mode leak -addr 127.0.0.1:25510 -max 5m
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

type event struct {
	key   string
	value []byte
}

type hub struct {
	mu    sync.Mutex
	subs  map[int]chan event
	stats map[string]int
}

// watch delivers events to one subscriber until its channel is closed; the
// leak is that nobody ever closes it.
//
//go:noinline
func (h *hub) watch(id int, ch chan event) {
	n := 0
	for ev := range ch {
		n += len(ev.value)
	}
	_ = n
}

//go:noinline
func (h *hub) subscribe(id int) {
	ch := make(chan event, 1)
	h.mu.Lock()
	h.subs[id] = ch
	h.mu.Unlock()
	go h.watch(id, ch)
}

// unsubscribe forgets the subscriber but does not close its channel (the bug).
//
//go:noinline
func (h *hub) unsubscribe(id int) {
	h.mu.Lock()
	delete(h.subs, id)
	h.mu.Unlock()
}

// record updates shared counters under the hub's one lock, holding it while it
// formats a key: the contention hot spot.
//
//go:noinline
func (h *hub) record(kind string, i int) {
	h.mu.Lock()
	key := fmt.Sprintf("%s/%d", kind, i%64)
	h.stats[key]++
	var b strings.Builder
	for j := 0; j < 40; j++ {
		b.WriteString(key)
	}
	_ = b.Len()
	h.mu.Unlock()
}

//go:noinline
func statsLoop(h *hub, kind string, stop <-chan struct{}) {
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		h.record(kind, i)
		if i%200 == 0 {
			time.Sleep(time.Millisecond)
		}
	}
}

//go:noinline
func worker(jobs <-chan int, out *int64, mu *sync.Mutex) {
	for j := range jobs {
		mu.Lock()
		*out += int64(j)
		mu.Unlock()
	}
}

//go:noinline
func shardTicker(shard int, stop <-chan struct{}) {
	t := time.NewTicker(time.Duration(200+shard*10) * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-stop:
			return
		}
	}
}

var sink []byte

// churn allocates garbage at a gentle pace so that GCs run.
//
//go:noinline
func churn(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		for i := 0; i < 64; i++ {
			sink = make([]byte, 64<<10)
		}
	}
}

func main() {
	mode := flag.String("mode", "leak", "leak | pool")
	addr := flag.String("addr", "127.0.0.1:25510", "loopback address for net/http/pprof")
	n := flag.Int("n", 5000, "subscriptions to leak (-mode leak)")
	max := flag.Duration("max", 5*time.Minute, "exit after this long")
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

	stop := make(chan struct{})
	go churn(stop)
	h := &hub{subs: map[int]chan event{}, stats: map[string]int{}}
	jobs := make(chan int)
	var total int64
	var totalMu sync.Mutex
	for i := 0; i < 50; i++ {
		go worker(jobs, &total, &totalMu)
	}
	for s := 0; s < 8; s++ {
		go shardTicker(s, stop)
	}
	go func() {
		for i := 0; ; i++ {
			jobs <- i
			time.Sleep(5 * time.Millisecond)
		}
	}()

	switch *mode {
	case "leak":
		runtime.SetMutexProfileFraction(1)
		runtime.SetBlockProfileRate(10000) // one sample per 10 µs blocked, on average
		for k := 0; k < 6; k++ {
			go statsLoop(h, fmt.Sprintf("k%d", k), stop)
		}
		// Subscriptions come and go in bursts; each leaves its watcher behind.
		for i := 0; i < *n; i++ {
			h.subscribe(i)
			h.unsubscribe(i)
			if i%500 == 499 {
				time.Sleep(time.Second)
			}
		}
	case "pool":
		// The same hub, used correctly: nothing subscribes without a close.
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	runtime.GC()
	fmt.Println("READY", runtime.NumGoroutine())
	select {}
}
