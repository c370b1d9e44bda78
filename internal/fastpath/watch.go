package fastpath

import (
	"context"
	"errors"
	"os"
	"time"
)

// watchedContext is the context of the requests served on a connection:
// the connection's, which ends when the connection closes. Its Done
// starts the watch for the client going away, as net/http's server
// watches for every request, but only for a handler that asks for Done
// (waits on the context, or derives one from it): a handler that does
// not wait costs no goroutine.
type watchedContext struct {
	context.Context
	c *conn
}

// Done starts the watch, if a handler runs and none has started, and
// returns the connection context's Done.
func (x *watchedContext) Done() <-chan struct{} {
	x.c.startWatch()
	return x.Context.Done()
}

// startWatch starts a goroutine that reads from the connection while the
// handler runs, once per request. It may be called from any goroutine.
func (c *conn) startWatch() {
	if c.watch.Load() != watchReady {
		return
	}
	c.watchMu.Lock()
	defer c.watchMu.Unlock()
	if !c.watch.CompareAndSwap(watchReady, watchOn) {
		return
	}
	if c.watched == nil {
		c.watched = make(chan struct{}, 1)
	}
	// The head's deadline is not the handler's: like net/http, the
	// watch waits without one, until stopWatch ends it.
	c.rwc.SetReadDeadline(time.Time{})
	go c.watchClient()
}

// watchClient reads one byte. The connection's end (EOF, a reset, a
// close) means the client went away: the context ends, which ends the
// handler's waits, and the connection closes after the response. A byte
// is the start of the next request, kept for it; the watch then ends, as
// net/http's does. A timeout is stopWatch ending the read.
func (c *conn) watchClient() {
	n, err := c.rwc.Read(c.early[:])
	switch {
	case n > 0:
		c.hasEarly = true
	case errors.Is(err, os.ErrDeadlineExceeded) && c.watch.Load() == watchOff:
		// stopWatch ended the read: the client is still there.
	case err != nil:
		c.left = true
		c.cancel()
	}
	c.watched <- struct{}{}
}

// stopWatch ends the watch of the request whose handler returned, and
// reports whether the client is still there. Its read ended, the
// connection is the serving goroutine's alone again.
func (c *conn) stopWatch() bool {
	switch c.watch.Swap(watchOff) {
	case watchOn:
	case watchInline:
		return !c.left
	default:
		return true
	}
	c.watchMu.Lock()
	c.rwc.SetReadDeadline(aLongTimeAgo)
	c.watchMu.Unlock()
	<-c.watched
	return !c.left
}

// WaitForClient waits d, or until the client goes away, and reports
// whether it is still there. It is the watch done in the handler's own
// goroutine: a read of the connection with d as its deadline, so that a
// handler that only waits (the live endpoint's ?sleep, which finds this
// method through the writers' Unwrap) holds no second goroutine. A client
// that closes or resets the connection ends the read, and the request's
// context, at once; a byte that comes (a pipelined request) is kept for
// the next request, and the rest of d is waited without watching, as
// net/http does. When a watch already runs, it waits on the context. Only
// the handler's goroutine may call it.
func (w *response) WaitForClient(d time.Duration) bool {
	c := w.c
	ctx := w.req.Context()
	if !c.watch.CompareAndSwap(watchReady, watchInline) && (c.watch.Load() != watchInline || c.hasEarly) {
		return waitCtx(ctx, d)
	}
	end := time.Now().Add(d)
	c.rwc.SetReadDeadline(end)
	n, err := c.rwc.Read(c.early[:])
	switch {
	case n > 0:
		c.hasEarly = true
	case errors.Is(err, os.ErrDeadlineExceeded):
		return true
	case err != nil:
		c.left = true
		c.cancel()
		return false
	}
	return waitCtx(ctx, time.Until(end))
}

// waitCtx waits d, or until ctx ends, and reports whether d passed.
func waitCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
