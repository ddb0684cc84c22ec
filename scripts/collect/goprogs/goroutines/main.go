// goroutines: parks a few hundred goroutines in different wait states and
// writes the goroutine profile (proto, debug=1, debug=2) and the threadcreate
// profile (proto, debug=1).
//
//	120 blocked receiving from a channel        (chan receive)
//	 60 blocked sending on a full channel       (chan send)
//	 50 blocked in a select with two channels   (select)
//	 40 blocked on a locked sync.Mutex          (sync.Mutex.Lock -> semacquire)
//	 30 blocked in sync.WaitGroup.Wait          (semacquire)
//	 20 blocked in sync.Cond.Wait               (sync.Cond.Wait)
//	 40 sleeping in time.Sleep                  (sleep)
//	  6 with runtime.LockOSThread, blocked on a channel (forces extra OS threads)
//	The select and sleep goroutines run under pprof.Do labels.
//
// Usage: goroutines -dir OUTDIR
package main

import (
	"context"
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
	never   = make(chan struct{})
	full    = make(chan int) // unbuffered, nobody receives
	other   = make(chan string)
	mu      sync.Mutex
	wg      sync.WaitGroup
	condMu  sync.Mutex
	cond    = sync.NewCond(&condMu)
	started sync.WaitGroup
)

//go:noinline
func consumer(id int) {
	started.Done()
	<-never
	_ = id
}

//go:noinline
func producer(id int) {
	started.Done()
	full <- id
}

//go:noinline
func selector(ctx context.Context) {
	started.Done()
	select {
	case <-never:
	case s := <-other:
		_ = s
	case <-ctx.Done():
	}
}

//go:noinline
func lockWaiter() {
	started.Done()
	mu.Lock()
	defer mu.Unlock()
}

//go:noinline
func groupWaiter() {
	started.Done()
	wg.Wait()
}

//go:noinline
func condWaiter() {
	condMu.Lock()
	started.Done()
	cond.Wait()
	condMu.Unlock()
}

//go:noinline
func sleeper(d time.Duration) {
	started.Done()
	time.Sleep(d)
}

//go:noinline
func lockedThread() {
	runtime.LockOSThread()
	started.Done()
	<-never
}

func spawn(n int, f func()) {
	started.Add(n)
	for i := 0; i < n; i++ {
		go f()
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
	flag.Parse()
	mu.Lock() // held for the whole run
	wg.Add(1) // never Done
	ctx := context.Background()

	for i := 0; i < 120; i++ {
		i := i
		spawn(1, func() { consumer(i) })
	}
	for i := 0; i < 60; i++ {
		i := i
		spawn(1, func() { producer(i) })
	}
	pprof.Do(ctx, pprof.Labels("component", "dispatcher", "shard", "7"), func(ctx context.Context) {
		spawn(50, func() { selector(ctx) }) // goroutines inherit the labels
	})
	spawn(40, lockWaiter)
	spawn(30, groupWaiter)
	spawn(20, condWaiter)
	pprof.Do(ctx, pprof.Labels("component", "janitor"), func(context.Context) {
		spawn(40, func() { sleeper(10 * time.Minute) })
	})
	spawn(6, lockedThread)
	started.Wait()
	time.Sleep(200 * time.Millisecond) // let every goroutine reach its blocking call

	write(*dir, "goroutine", 0, "goroutine.pb.gz")
	write(*dir, "goroutine", 1, "goroutine.debug1.txt")
	write(*dir, "goroutine", 2, "goroutine.debug2.txt")
	write(*dir, "threadcreate", 0, "threadcreate.pb.gz")
	write(*dir, "threadcreate", 1, "threadcreate.debug1.txt")
	fmt.Fprintln(os.Stderr, "goroutines: wrote profiles to", *dir, "goroutines:", runtime.NumGoroutine())
}
