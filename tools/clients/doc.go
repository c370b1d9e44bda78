// Command clients runs real HTTP clients (curl, wget, Go, Python, Node,
// Java, Chromium, Firefox) against the live endpoint of "httpstatus serve"
// and against a few harness servers, and records what each client did in
// every scenario as data: the files of content/clients.
//
//	go run ./tools/clients               rewrite content/clients (make clients)
//	go run ./tools/clients -check        compare with content/clients, fail on a difference (run twice)
//	go run ./tools/clients -only 302     run the scenarios whose ID contains "302", print the results
//	go run ./tools/clients -fresh        rewrite, dropping the results also seen in earlier runs
//
// The integration test TestIntegrationClients runs the same check in
// "make test".
//
// # The data
//
// content/clients holds one file per scenario, named by its ID
// ("redirect-302-post.json"), and clients.json, which lists the clients.
// Their types are the catalog's (internal/catalog/clients.go), which
// loads and validates them with the rest of the content, so that every
// code page they concern shows them. A scenario file is a
// [catalog.ScenarioFile]: the scenario (what was asked, of which server,
// which status pages it concerns), the date of the run that wrote it, and
// one [catalog.Observation] per client, in the order of clients.json. An
// observation holds the client, its version as the client itself
// reported it, the options the harness gave it, and the
// [catalog.ClientResult]: the outcome, the final status the client
// returned, the error it raised, the requests the server saw, and the
// whole seconds it took.
//
// Results are deterministic: durations are rounded (see
// catalog.ClientResult.Seconds and catalog.ClientRequest.After); errors
// are kinds (an exit status, an exception class, an error code), never
// messages with ports or times; requests to /favicon.ico are not
// recorded.
package main
