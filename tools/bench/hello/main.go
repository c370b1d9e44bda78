// Command hello is the benchmark's floor for a command-line run: the
// smallest Go program that prints a line.
package main

import "fmt"

func main() { fmt.Println("hello, world") }
