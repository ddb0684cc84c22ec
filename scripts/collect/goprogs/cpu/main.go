// cpu: writes a CPU profile (gzipped proto) that has
//   - deep recursion (fib, and mutual recursion isEven/isOdd),
//   - inlined functions (mix/rotl/step are inlined into hashLoop, so one
//     Location carries several Line entries),
//   - goroutine labels set with pprof.Do (string labels only).
//
// It runs until the process has used -cpu of CPU time (user+sys, so the
// profile has enough samples even on a busy host) or -max wall time passed.
//
// Usage: cpu -o cpu.pb.gz [-cpu 4s] [-max 30s]
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"
)

//go:noinline
func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

//go:noinline
func isEven(n int) bool {
	if n == 0 {
		return true
	}
	return isOdd(n - 1)
}

//go:noinline
func isOdd(n int) bool {
	if n == 0 {
		return false
	}
	return isEven(n - 1)
}

// rotl, mix and step are small enough to be inlined (check with
// go build -gcflags=-m): samples in hashLoop get Locations with 2-3 Lines.
func rotl(x uint64, k uint) uint64 { return x<<k | x>>(64-k) }

func mix(x uint64) uint64 {
	x ^= rotl(x, 13)
	x *= 0x9E3779B97F4A7C15
	return x ^ x>>29
}

func step(acc, v uint64) uint64 { return mix(acc+v) ^ v }

//go:noinline
func hashLoop(n int) uint64 {
	var acc uint64 = 1
	for i := 0; i < n; i++ {
		acc = step(acc, uint64(i))
	}
	return acc
}

var sink uint64

var stop = make(chan struct{})

func stopped() bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}

func until(f func()) {
	for !stopped() {
		f()
	}
}

func cpuUsed() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		log.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func main() {
	out := flag.String("o", "cpu.pb.gz", "output file")
	cpuTarget := flag.Duration("cpu", 4*time.Second, "stop after this much process CPU time")
	maxWall := flag.Duration("max", 30*time.Second, "stop after this much wall time at the latest")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	start, cpu0 := time.Now(), cpuUsed()
	go func() {
		for cpuUsed()-cpu0 < *cpuTarget && time.Since(start) < *maxWall {
			time.Sleep(50 * time.Millisecond)
		}
		close(stop)
	}()
	var wg sync.WaitGroup
	var mu sync.Mutex
	run := func(labels pprof.LabelSet, f func()) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pprof.Do(context.Background(), labels, func(context.Context) { until(f) })
		}()
	}
	run(pprof.Labels("worker", "fib", "tenant", "alpha"), func() {
		v := fib(24)
		mu.Lock()
		sink += uint64(v)
		mu.Unlock()
	})
	run(pprof.Labels("worker", "hash", "tenant", "beta"), func() {
		v := hashLoop(200000)
		mu.Lock()
		sink += v
		mu.Unlock()
	})
	// Unlabelled work on the main goroutine: mutual recursion.
	until(func() {
		if isEven(5001) {
			sink++
		}
	})
	wg.Wait()
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	fmt.Fprintln(os.Stderr, "cpu: wrote", *out, "wall", time.Since(start).Round(time.Millisecond), "cpu", (cpuUsed() - cpu0).Round(time.Millisecond), "sink", sink)
}
