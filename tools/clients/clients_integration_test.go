//go:build integration

package main

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// TestIntegrationClients runs every scenario with every client and fails
// when one behaves differently from the committed data (content/clients),
// naming the scenario, the client and both results; a client that is
// missing fails it too, naming what to install. After a deliberate change
// or upgrade, make clients rewrites the data.
func TestIntegrationClients(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	err := run(ctx, []string{"-check"}, &stdout, &stderr)
	t.Log(stderr.String())
	if err != nil {
		t.Fatalf("the clients no longer do what content/clients says:\n%v", err)
	}
}
