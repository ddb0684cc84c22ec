//go:build !etcd34

// The etcd 3.5 client (go.etcd.io/etcd/client/v3: sid's golang-etcd-server-dev
// in GOPATH mode, or the upstream module).
package main

import clientv3 "go.etcd.io/etcd/client/v3"

type (
	client    = clientv3.Client
	watchChan = clientv3.WatchChan
	leaseID   = clientv3.LeaseID
)

const clientRelease = "3.5"

func newClient(endpoint string) (*client, error) {
	return clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: dialTimeout})
}

var withRev = clientv3.WithRev
