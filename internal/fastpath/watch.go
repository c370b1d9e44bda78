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
	if c.watch.Swap(watchOff) != watchOn {
		return true
	}
	c.watchMu.Lock()
	c.rwc.SetReadDeadline(aLongTimeAgo)
	c.watchMu.Unlock()
	<-c.watched
	return !c.left
}
