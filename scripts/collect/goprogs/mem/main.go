// mem: builds a few retained data structures, frees some garbage, and writes
//
//	heap.pb.gz        pprof.Lookup("heap").WriteTo(w, 0)   (gzipped proto)
//	heap.debug1.txt   pprof.Lookup("heap").WriteTo(w, 1)   (legacy text)
//	allocs.pb.gz      pprof.Lookup("allocs").WriteTo(w, 0)
//	allocs.debug1.txt pprof.Lookup("allocs").WriteTo(w, 1)
//
// runtime.MemProfileRate is lowered to 64 KiB so small programs still get a
// few dozen samples (the rate is recorded in the profile).
//
// Usage: mem -dir OUTDIR
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
)

type entry struct {
	key   string
	value []byte
	next  *entry
}

type cache struct {
	byKey map[string]*entry
	lru   []*entry
}

var (
	retainedCache *cache
	retainedBufs  [][]byte
	retainedTree  *node
	sink          int
)

type node struct {
	left, right *node
	payload     [48]byte
}

//go:noinline
func buildCache(n, valueSize int) *cache {
	c := &cache{byKey: make(map[string]*entry, n)}
	for i := 0; i < n; i++ {
		e := &entry{key: fmt.Sprintf("key-%06d", i), value: make([]byte, valueSize)}
		c.byKey[e.key] = e
		c.lru = append(c.lru, e)
	}
	return c
}

//go:noinline
func buildTree(depth int) *node {
	if depth == 0 {
		return nil
	}
	return &node{left: buildTree(depth - 1), right: buildTree(depth - 1)}
}

//go:noinline
func bigBuffers(n, size int) [][]byte {
	out := make([][]byte, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, make([]byte, size))
	}
	return out
}

// garbage allocates and drops: shows up in allocs but not in inuse.
//
//go:noinline
func garbage(rounds int) {
	for i := 0; i < rounds; i++ {
		s := strings.Repeat("x", 1024+i%512)
		b := []byte(s)
		sink += len(b)
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
	runtime.MemProfileRate = 64 * 1024

	retainedCache = buildCache(20000, 256) // ~5 MB of values + map + entries
	retainedBufs = bigBuffers(16, 1<<20)   // 16 MB in 1 MiB buffers
	retainedTree = buildTree(15)           // 32767 nodes x 64 B ~ 2 MB
	garbage(200000)                        // ~300 MB allocated and dropped
	tmp := bigBuffers(8, 1<<20)            // allocated, then freed below
	sink += len(tmp)
	tmp = nil
	runtime.GC()
	runtime.GC() // the heap profile reflects the state as of the last completed GC

	write(*dir, "heap", 0, "heap.pb.gz")
	write(*dir, "heap", 1, "heap.debug1.txt")
	write(*dir, "allocs", 0, "allocs.pb.gz")
	write(*dir, "allocs", 1, "allocs.debug1.txt")
	runtime.KeepAlive(retainedCache)
	runtime.KeepAlive(retainedBufs)
	runtime.KeepAlive(retainedTree)
	fmt.Fprintln(os.Stderr, "mem: wrote profiles to", *dir)
}
