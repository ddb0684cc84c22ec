//go:build etcd34

// The etcd 3.4 client (Debian bookworm's golang-etcd-server-dev, GOPATH mode).
package main

import clientv3 "go.etcd.io/etcd/clientv3"

type (
	client    = clientv3.Client
	watchChan = clientv3.WatchChan
	leaseID   = clientv3.LeaseID
)

const clientRelease = "3.4"

func newClient(endpoint string) (*client, error) {
	return clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: dialTimeout})
}

var withRev = clientv3.WithRev
