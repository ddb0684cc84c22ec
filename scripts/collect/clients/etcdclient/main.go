// Command etcdclient is a small etcd client application with one of two
// watch patterns, for recording client-side pprof profiles:
//
//	-mode watch-leak     every "request" (rate per second) opens a new Watch
//	                     on a key with context.Background() and drops the
//	                     channel: it is never read and never cancelled, so
//	                     each one keeps a serveSubstream goroutine and buffers
//	                     every event for its key in the client.
//	-mode many-watchers  opens -watchers watchers at start-up (one key each,
//	                     spread over -keys keys) and reads all of them.
//	-mode keepalive      grants -leases leases with TTL -ttl seconds and keeps
//	                     every one alive with the client's KeepAlive (the
//	                     client sends one keepalive per lease every TTL/3).
//	-mode unclosed-clients    every "request" (-rate per second) creates a new
//	                     etcd client, reads one key with it and drops it
//	                     without Close: each keeps its gRPC connection and
//	                     that connection's goroutines for good.
//
// In watch-leak and many-watchers mode
// a writer puts -valueBytes values to the keys at -putRate per
// second. The program serves net/http/pprof on -pprof (127.0.0.1 only) and
// prints READY once the start-up work is done. It stops after -seconds.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

const dialTimeout = 5 * time.Second

var (
	endpoint   = flag.String("endpoint", "127.0.0.1:23911", "etcd client URL host:port (127.0.0.1 only)")
	pprofAddr  = flag.String("pprof", "127.0.0.1:23960", "net/http/pprof listen address (127.0.0.1 only)")
	mode       = flag.String("mode", "watch-leak", "watch-leak, many-watchers, keepalive or unclosed-clients")
	rate       = flag.Int("rate", 50, "watch-leak: new (leaked) watches per second; unclosed-clients: new clients per second")
	watchers   = flag.Int("watchers", 5000, "many-watchers: watchers opened at start-up")
	keys       = flag.Int("keys", 100, "number of keys watched and written")
	putRate    = flag.Int("putRate", 50, "puts per second to the watched keys")
	valueBytes = flag.Int("valueBytes", 256, "bytes per value")
	seconds    = flag.Int("seconds", 180, "run time")
	leases     = flag.Int("leases", 20000, "keepalive: leases granted and kept alive")
	ttl        = flag.Int64("ttl", 3, "keepalive: lease TTL in seconds")
)

var (
	opened   atomic.Int64
	received atomic.Int64
	puts     atomic.Int64
	kaResps  atomic.Int64
)

func key(i int) string { return fmt.Sprintf("/client/k%04d", i%*keys) }

func main() {
	flag.Parse()
	for _, a := range []string{*endpoint, *pprofAddr} {
		if !strings.HasPrefix(a, "127.0.0.1:") {
			log.Fatalf("refusing non-loopback address %q", a)
		}
	}
	ln, err := net.Listen("tcp", *pprofAddr)
	if err != nil {
		log.Fatal(err)
	}
	go func() { log.Fatal(http.Serve(ln, nil)) }()

	cli, err := newClient("http://" + *endpoint)
	if err != nil {
		log.Fatal(err)
	}
	defer cli.Close()
	ctx := context.Background()
	value := strings.Repeat("v", *valueBytes)
	for i := 0; i < *keys; i++ {
		if _, err := cli.Put(ctx, key(i), value); err != nil {
			log.Fatal(err)
		}
	}
	deadline := time.Now().Add(time.Duration(*seconds) * time.Second)
	go progress()

	switch *mode {
	case "watch-leak":
		fmt.Printf("READY {\"mode\":\"watch-leak\",\"client\":\"%s\",\"rate\":%d,\"keys\":%d,\"putRate\":%d,\"valueBytes\":%d}\n",
			clientRelease, *rate, *keys, *putRate, *valueBytes)
		go writer(cli, value, deadline)
		leak(cli, deadline)
	case "many-watchers":
		for i := 0; i < *watchers; i++ {
			ch := cli.Watch(ctx, key(i))
			opened.Add(1)
			go consume(ch)
		}
		fmt.Printf("READY {\"mode\":\"many-watchers\",\"client\":\"%s\",\"watchers\":%d,\"keys\":%d,\"putRate\":%d,\"valueBytes\":%d}\n",
			clientRelease, *watchers, *keys, *putRate, *valueBytes)
		writer(cli, value, deadline)
	case "keepalive":
		keepAlive(cli, deadline)
	case "unclosed-clients":
		fmt.Printf("READY {\"mode\":\"unclosed-clients\",\"client\":\"%s\",\"rate\":%d}\n", clientRelease, *rate)
		clientLeak(deadline)
	default:
		log.Fatalf("unknown -mode %q", *mode)
	}
	fmt.Printf("DONE {\"watchesOpened\":%d,\"eventsReceived\":%d,\"puts\":%d,\"keepaliveResponses\":%d}\n",
		opened.Load(), received.Load(), puts.Load(), kaResps.Load())
	os.Exit(0)
}

// readWithNewClient stands for an application handler that creates an etcd
// client per request and forgets to Close it.
func readWithNewClient(i int) {
	c, err := newClient("http://" + *endpoint)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	if _, err := c.Get(ctx, key(i)); err != nil {
		log.Fatal(err)
	}
	opened.Add(1)
}

func clientLeak(deadline time.Time) {
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for i := 0; time.Now().Before(deadline); i++ {
		<-tick.C
		readWithNewClient(i)
	}
}

// handleRequest stands for an application handler that starts a watch to wait
// for a change and returns without reading or cancelling it.
func handleRequest(cli *client, i int) {
	_ = cli.Watch(context.Background(), key(i))
	opened.Add(1)
}

func leak(cli *client, deadline time.Time) {
	tick := time.NewTicker(time.Second / time.Duration(*rate))
	defer tick.Stop()
	for i := 0; time.Now().Before(deadline); i++ {
		<-tick.C
		handleRequest(cli, i)
	}
}

func consume(ch watchChan) {
	for resp := range ch {
		received.Add(int64(len(resp.Events)))
	}
}

func writer(cli *client, value string, deadline time.Time) {
	tick := time.NewTicker(time.Second / time.Duration(*putRate))
	defer tick.Stop()
	for i := 0; time.Now().Before(deadline); i++ {
		<-tick.C
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		if _, err := cli.Put(ctx, key(i), value); err == nil {
			puts.Add(1)
		}
		cancel()
	}
}

func progress() {
	for range time.Tick(5 * time.Second) {
		fmt.Printf("progress watchesOpened=%d eventsReceived=%d puts=%d keepaliveResponses=%d\n",
			opened.Load(), received.Load(), puts.Load(), kaResps.Load())
	}
}

// keepAlive grants the leases (64 grants in flight) and starts keeping each one
// alive as soon as it is granted (a lease with TTL 3 s would expire before the
// last of 20,000 grants otherwise); runs until the deadline.
func keepAlive(cli *client, deadline time.Time) {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	sem := make(chan struct{}, 64)
	t0 := time.Now()
	for i := 0; i < *leases; i++ {
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			resp, err := cli.Grant(ctx, *ttl)
			if err != nil {
				log.Fatal(err)
			}
			ch, err := cli.KeepAlive(ctx, resp.ID)
			if err != nil {
				log.Fatal(err)
			}
			go func() {
				for range ch {
					kaResps.Add(1)
				}
			}()
		}()
	}
	for i := 0; i < cap(sem); i++ {
		sem <- struct{}{}
	}
	fmt.Printf("READY {\"mode\":\"keepalive\",\"client\":\"%s\",\"leases\":%d,\"ttlSeconds\":%d,\"grantSeconds\":%.1f,\"keepaliveStreams\":1}\n",
		clientRelease, *leases, *ttl, time.Since(t0).Seconds())
	<-ctx.Done()
}
