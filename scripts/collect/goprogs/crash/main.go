// crash: produces Go runtime tracebacks.
//
//	crash -mode panic  : starts background goroutines (chan receive, mutex,
//	                     sleep, select, a labelled worker), then panics from a
//	                     nested call. Run with GOTRACEBACK=all to get every
//	                     goroutine in the traceback (exit status 2).
//	crash -mode wait   : same goroutines, prints READY and waits (at most
//	                     -max) so the caller can send SIGQUIT; the runtime then
//	                     dumps all goroutines and exits with status 2.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
	"time"
)

type batch struct {
	id      int
	records []int
}

var (
	mu    sync.Mutex
	queue = make(chan batch)
	ready sync.WaitGroup
)

//go:noinline
func worker(id int) {
	ready.Done()
	for b := range queue {
		_ = b
	}
	_ = id
}

//go:noinline
func lockHolder() {
	ready.Done()
	mu.Lock()
	mu.Unlock()
}

//go:noinline
func ticker(ctx context.Context) {
	ready.Done()
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

//go:noinline
func napper() {
	ready.Done()
	time.Sleep(time.Hour)
}

//go:noinline
func validate(b batch, i int) {
	if b.records[i] < 0 {
		panic(fmt.Sprintf("batch %d: record %d has negative size %d", b.id, i, b.records[i]))
	}
}

//go:noinline
func processBatch(b batch) int {
	total := 0
	for i := range b.records {
		validate(b, i)
		total += b.records[i]
	}
	return total
}

func startBackground() {
	mu.Lock() // held by main: lockHolder goroutines block
	ready.Add(4 + 2 + 1 + 2)
	for i := 0; i < 4; i++ {
		go worker(i)
	}
	for i := 0; i < 2; i++ {
		go lockHolder()
	}
	pprof.Do(context.Background(), pprof.Labels("component", "scheduler"), func(ctx context.Context) {
		go ticker(ctx)
	})
	for i := 0; i < 2; i++ {
		go napper()
	}
	ready.Wait()
	time.Sleep(100 * time.Millisecond)
}

func main() {
	mode := flag.String("mode", "panic", "panic | wait")
	max := flag.Duration("max", 30*time.Second, "wait mode: exit after this long without a signal")
	flag.Parse()
	startBackground()
	switch *mode {
	case "panic":
		processBatch(batch{id: 42, records: []int{10, 20, -7, 5}})
	case "wait":
		fmt.Println("READY")
		time.Sleep(*max)
		fmt.Fprintln(os.Stderr, "crash: no signal received")
	default:
		fmt.Fprintln(os.Stderr, "unknown mode", *mode)
		os.Exit(1)
	}
}
