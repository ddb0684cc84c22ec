// contention: enables the mutex and block profiles, creates contention, and
// writes mutex.pb.gz / mutex.debug1.txt / block.pb.gz / block.debug1.txt.
//
//	runtime.SetMutexProfileFraction(1)  every contended Unlock is recorded
//	runtime.SetBlockProfileRate(1)      every blocking event is recorded
//
// Contention sources: 8 workers fighting over one sync.Mutex (hotLock),
// 4 readers vs 1 writer on a sync.RWMutex, an unbuffered channel pipeline
// (chan send / chan receive blocking), select, and sync.WaitGroup.Wait.
//
// Usage: contention -dir OUTDIR [-d 2s]
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"
)

var (
	hot     sync.Mutex
	rw      sync.RWMutex
	counter int
	table   = map[int]int{}
)

//go:noinline
func hotLock(deadline time.Time) {
	for time.Now().Before(deadline) {
		hot.Lock()
		for i := 0; i < 2000; i++ {
			counter++
		}
		hot.Unlock()
	}
}

//go:noinline
func reader(deadline time.Time) {
	for time.Now().Before(deadline) {
		rw.RLock()
		_ = table[counter%100]
		time.Sleep(50 * time.Microsecond)
		rw.RUnlock()
	}
}

//go:noinline
func writer(deadline time.Time) {
	for time.Now().Before(deadline) {
		rw.Lock()
		table[counter%100]++
		time.Sleep(200 * time.Microsecond)
		rw.Unlock()
		time.Sleep(100 * time.Microsecond)
	}
}

//go:noinline
func produce(ch chan<- int, deadline time.Time) {
	for i := 0; time.Now().Before(deadline); i++ {
		ch <- i
	}
	close(ch)
}

//go:noinline
func consume(ch <-chan int, tick <-chan time.Time) {
	for {
		select {
		case _, ok := <-ch:
			if !ok {
				return
			}
			time.Sleep(20 * time.Microsecond)
		case <-tick:
		}
	}
}

func write(dir, name string, debug int, file string) {
	f, err := os.Create(filepath.Join(dir, file))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.Lookup(name).WriteTo(f, debug); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

func main() {
	dir := flag.String("dir", ".", "output directory")
	dur := flag.Duration("d", 2*time.Second, "how long to contend")
	flag.Parse()
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(1)

	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	run := func(n int, f func()) {
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); f() }()
		}
	}
	run(8, func() { hotLock(deadline) })
	run(4, func() { reader(deadline) })
	run(1, func() { writer(deadline) })
	ch := make(chan int)
	ticker := time.NewTicker(time.Millisecond)
	run(1, func() { produce(ch, deadline) })
	run(1, func() { consume(ch, ticker.C) })
	wg.Wait()
	ticker.Stop()

	write(*dir, "mutex", 0, "mutex.pb.gz")
	write(*dir, "mutex", 1, "mutex.debug1.txt")
	write(*dir, "block", 0, "block.pb.gz")
	write(*dir, "block", 1, "block.debug1.txt")
	fmt.Fprintln(os.Stderr, "contention: wrote profiles to", *dir, "counter", counter)
}
