// Command httpstatus is a reference of HTTP status codes: a web site, a
// live test endpoint and a command-line guide. Run "httpstatus help".
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
