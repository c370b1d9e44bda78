package live

import (
	"net"
	"time"

	"golang.org/x/sys/unix"
)

// waitSent waits, up to limit, until the peer has acknowledged every byte
// written to c (SIOCOUTQ counts those not yet acknowledged), so that a
// reset that follows drops nothing that was meant to arrive.
func waitSent(c *net.TCPConn, limit time.Duration) {
	rc, err := c.SyscallConn()
	if err != nil {
		return
	}
	deadline := time.Now().Add(limit)
	rc.Control(func(fd uintptr) {
		for time.Now().Before(deadline) {
			n, err := unix.IoctlGetInt(int(fd), unix.SIOCOUTQ)
			if err != nil || n == 0 {
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
}
