package catalog_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/httpstatus/httpstatus/internal/catalog"
)

// goConstants parses $GOROOT/src/net/http/status.go and returns every
// exported constant as "http.StatusX" with its value. Parsing the source,
// rather than listing names here, proves each identifier exists.
func goConstants(t *testing.T) map[string]int {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	file := filepath.Join(strings.TrimSpace(string(out)), "src", "net", "http", "status.go")
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, 0)
	if err != nil {
		t.Fatalf("parse %s: %v", file, err)
	}
	consts := map[string]int{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !name.IsExported() || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.INT {
					continue
				}
				v, err := strconv.Atoi(lit.Value)
				if err != nil {
					t.Fatalf("%s: %s = %s: %v", file, name.Name, lit.Value, err)
				}
				consts["http."+name.Name] = v
			}
		}
	}
	if len(consts) < 60 {
		t.Fatalf("%s: found %d status constants, want the full list", file, len(consts))
	}
	// The parsed file is the one this binary links: net/http knows each value.
	for name, v := range consts {
		if http.StatusText(v) == "" {
			t.Fatalf("%s = %d, but net/http has no text for %d", name, v, v)
		}
	}
	return consts
}

// pythonConstants asks python3 for every http.HTTPStatus member, aliases
// included, as "HTTPStatus.NAME". Without python3 the test fails: the
// content names Python constants that nothing else can check.
func pythonConstants(t *testing.T) map[string]int {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 is needed to check the Python constants of the content: install it (Debian: apt-get install python3; scripts/deps.sh does): %v", err)
	}
	const script = `import json, sys
from http import HTTPStatus
print(json.dumps({"version": sys.version.split()[0], "members": {n: int(m) for n, m in HTTPStatus.__members__.items()}}))`
	out, err := exec.Command(py, "-c", script).Output()
	if err != nil {
		t.Fatalf("python3 -c: %v", err)
	}
	var got struct {
		Version string         `json:"version"`
		Members map[string]int `json:"members"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("python3 output %q: %v", out, err)
	}
	t.Logf("checking Python constants against http.HTTPStatus of Python %s", got.Version)
	consts := map[string]int{}
	for n, v := range got.Members {
		consts["HTTPStatus."+n] = v
	}
	return consts
}

// springConstants is org.springframework.http.HttpStatus as of Spring
// Framework 6.x (spring-web/src/main/java/org/springframework/http/HttpStatus.java;
// EARLY_HINTS since 6.0.5). It leaves out 419 INSUFFICIENT_SPACE_ON_RESOURCE
// and 421 DESTINATION_LOCKED: deprecated names for withdrawn WebDAV draft
// meanings, not for any meaning in this guide.
var springConstants = map[string]int{
	"CONTINUE": 100, "SWITCHING_PROTOCOLS": 101, "PROCESSING": 102, "EARLY_HINTS": 103, "CHECKPOINT": 103,
	"OK": 200, "CREATED": 201, "ACCEPTED": 202, "NON_AUTHORITATIVE_INFORMATION": 203, "NO_CONTENT": 204,
	"RESET_CONTENT": 205, "PARTIAL_CONTENT": 206, "MULTI_STATUS": 207, "ALREADY_REPORTED": 208, "IM_USED": 226,
	"MULTIPLE_CHOICES": 300, "MOVED_PERMANENTLY": 301, "FOUND": 302, "MOVED_TEMPORARILY": 302, "SEE_OTHER": 303,
	"NOT_MODIFIED": 304, "USE_PROXY": 305, "TEMPORARY_REDIRECT": 307, "PERMANENT_REDIRECT": 308,
	"BAD_REQUEST": 400, "UNAUTHORIZED": 401, "PAYMENT_REQUIRED": 402, "FORBIDDEN": 403, "NOT_FOUND": 404,
	"METHOD_NOT_ALLOWED": 405, "NOT_ACCEPTABLE": 406, "PROXY_AUTHENTICATION_REQUIRED": 407, "REQUEST_TIMEOUT": 408,
	"CONFLICT": 409, "GONE": 410, "LENGTH_REQUIRED": 411, "PRECONDITION_FAILED": 412, "PAYLOAD_TOO_LARGE": 413,
	"REQUEST_ENTITY_TOO_LARGE": 413, "URI_TOO_LONG": 414, "REQUEST_URI_TOO_LONG": 414, "UNSUPPORTED_MEDIA_TYPE": 415,
	"REQUESTED_RANGE_NOT_SATISFIABLE": 416, "EXPECTATION_FAILED": 417, "I_AM_A_TEAPOT": 418, "METHOD_FAILURE": 420,
	"UNPROCESSABLE_ENTITY": 422, "LOCKED": 423, "FAILED_DEPENDENCY": 424, "TOO_EARLY": 425, "UPGRADE_REQUIRED": 426,
	"PRECONDITION_REQUIRED": 428, "TOO_MANY_REQUESTS": 429, "REQUEST_HEADER_FIELDS_TOO_LARGE": 431,
	"UNAVAILABLE_FOR_LEGAL_REASONS": 451, "INTERNAL_SERVER_ERROR": 500, "NOT_IMPLEMENTED": 501,
	"BAD_GATEWAY": 502, "SERVICE_UNAVAILABLE": 503, "GATEWAY_TIMEOUT": 504, "HTTP_VERSION_NOT_SUPPORTED": 505,
	"VARIANT_ALSO_NEGOTIATES": 506, "INSUFFICIENT_STORAGE": 507, "LOOP_DETECTED": 508, "BANDWIDTH_LIMIT_EXCEEDED": 509, "NOT_EXTENDED": 510,
	"NETWORK_AUTHENTICATION_REQUIRED": 511,
}

// dotnetConstants is System.Net.HttpStatusCode (dotnet/runtime,
// src/libraries/System.Net.Primitives/src/System/Net/HttpStatusCode.cs).
// It has no 418 (left out on purpose, the file says) and no 425.
var dotnetConstants = map[string]int{
	"Continue": 100, "SwitchingProtocols": 101, "Processing": 102, "EarlyHints": 103,
	"OK": 200, "Created": 201, "Accepted": 202, "NonAuthoritativeInformation": 203, "NoContent": 204,
	"ResetContent": 205, "PartialContent": 206, "MultiStatus": 207, "AlreadyReported": 208, "IMUsed": 226,
	"MultipleChoices": 300, "Ambiguous": 300, "MovedPermanently": 301, "Moved": 301, "Found": 302, "Redirect": 302,
	"SeeOther": 303, "RedirectMethod": 303, "NotModified": 304, "UseProxy": 305, "Unused": 306,
	"TemporaryRedirect": 307, "RedirectKeepVerb": 307, "PermanentRedirect": 308,
	"BadRequest": 400, "Unauthorized": 401, "PaymentRequired": 402, "Forbidden": 403, "NotFound": 404,
	"MethodNotAllowed": 405, "NotAcceptable": 406, "ProxyAuthenticationRequired": 407, "RequestTimeout": 408,
	"Conflict": 409, "Gone": 410, "LengthRequired": 411, "PreconditionFailed": 412, "RequestEntityTooLarge": 413,
	"RequestUriTooLong": 414, "UnsupportedMediaType": 415, "RequestedRangeNotSatisfiable": 416,
	"ExpectationFailed": 417, "MisdirectedRequest": 421, "UnprocessableEntity": 422, "Locked": 423,
	"FailedDependency": 424, "UpgradeRequired": 426, "PreconditionRequired": 428, "TooManyRequests": 429,
	"RequestHeaderFieldsTooLarge": 431, "UnavailableForLegalReasons": 451,
	"InternalServerError": 500, "NotImplemented": 501, "BadGateway": 502, "ServiceUnavailable": 503,
	"GatewayTimeout": 504, "HttpVersionNotSupported": 505, "VariantAlsoNegotiates": 506, "InsufficientStorage": 507,
	"LoopDetected": 508, "NotExtended": 510, "NetworkAuthenticationRequired": 511,
}

// rustConstants is http::StatusCode of the `http` crate 1.x (hyperium/http,
// src/status.rs). Released versions have no 103 EARLY_HINTS and no 425
// TOO_EARLY (hyperium/http#439, #691).
var rustConstants = map[string]int{
	"CONTINUE": 100, "SWITCHING_PROTOCOLS": 101, "PROCESSING": 102,
	"OK": 200, "CREATED": 201, "ACCEPTED": 202, "NON_AUTHORITATIVE_INFORMATION": 203, "NO_CONTENT": 204,
	"RESET_CONTENT": 205, "PARTIAL_CONTENT": 206, "MULTI_STATUS": 207, "ALREADY_REPORTED": 208, "IM_USED": 226,
	"MULTIPLE_CHOICES": 300, "MOVED_PERMANENTLY": 301, "FOUND": 302, "SEE_OTHER": 303, "NOT_MODIFIED": 304,
	"USE_PROXY": 305, "TEMPORARY_REDIRECT": 307, "PERMANENT_REDIRECT": 308,
	"BAD_REQUEST": 400, "UNAUTHORIZED": 401, "PAYMENT_REQUIRED": 402, "FORBIDDEN": 403, "NOT_FOUND": 404,
	"METHOD_NOT_ALLOWED": 405, "NOT_ACCEPTABLE": 406, "PROXY_AUTHENTICATION_REQUIRED": 407, "REQUEST_TIMEOUT": 408,
	"CONFLICT": 409, "GONE": 410, "LENGTH_REQUIRED": 411, "PRECONDITION_FAILED": 412, "PAYLOAD_TOO_LARGE": 413,
	"URI_TOO_LONG": 414, "UNSUPPORTED_MEDIA_TYPE": 415, "RANGE_NOT_SATISFIABLE": 416, "EXPECTATION_FAILED": 417,
	"IM_A_TEAPOT": 418, "MISDIRECTED_REQUEST": 421, "UNPROCESSABLE_ENTITY": 422, "LOCKED": 423,
	"FAILED_DEPENDENCY": 424, "UPGRADE_REQUIRED": 426, "PRECONDITION_REQUIRED": 428, "TOO_MANY_REQUESTS": 429,
	"REQUEST_HEADER_FIELDS_TOO_LARGE": 431, "UNAVAILABLE_FOR_LEGAL_REASONS": 451,
	"INTERNAL_SERVER_ERROR": 500, "NOT_IMPLEMENTED": 501, "BAD_GATEWAY": 502, "SERVICE_UNAVAILABLE": 503,
	"GATEWAY_TIMEOUT": 504, "HTTP_VERSION_NOT_SUPPORTED": 505, "VARIANT_ALSO_NEGOTIATES": 506,
	"INSUFFICIENT_STORAGE": 507, "LOOP_DETECTED": 508, "NOT_EXTENDED": 510, "NETWORK_AUTHENTICATION_REQUIRED": 511,
}

func prefixed(prefix string, m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[prefix+k] = v
	}
	return out
}

// library is one source of constants and the field of catalog.Constants
// that names it.
type library struct {
	field  string
	consts map[string]int
	get    func(catalog.Constants) string
}

// has reports whether the library has a constant for the code.
func (l library) has(code int) bool {
	for _, v := range l.consts {
		if v == code {
			return true
		}
	}
	return false
}

// TestConstants checks every constant in the content against the library
// it names: Go's net/http (parsed from GOROOT), Python's http.HTTPStatus
// (asked of python3), and the Spring, .NET and Rust lists above. A
// registered meaning must name the Go and Python constant whenever the
// library has one for its code, and the Java, .NET and Rust constants of at
// least two of those libraries (or every one that has the code, if fewer).
func TestConstants(t *testing.T) {
	cat := loadEmbedded(t)
	golang := library{"go", goConstants(t), func(c catalog.Constants) string { return c.Go }}
	python := library{"python", pythonConstants(t), func(c catalog.Constants) string { return c.Python }}
	others := []library{
		{"java", prefixed("HttpStatus.", springConstants), func(c catalog.Constants) string { return c.Java }},
		{"dotnet", prefixed("HttpStatusCode.", dotnetConstants), func(c catalog.Constants) string { return c.DotNet }},
		{"rust", prefixed("StatusCode::", rustConstants), func(c catalog.Constants) string { return c.Rust }},
	}
	checked := 0
	for _, k := range cat.Codes() {
		for i, e := range k.Entries {
			where := fmt.Sprintf("%s: meaning %d (%s)", e.File, i+1, e.Name)
			for _, lib := range append([]library{golang, python}, others...) {
				name := lib.get(e.Constants)
				if name == "" {
					continue
				}
				checked++
				v, ok := lib.consts[name]
				switch {
				case !ok:
					t.Errorf("%s: constants.%s: %s does not exist in the library", where, lib.field, name)
				case v != e.Code:
					t.Errorf("%s: constants.%s: %s is %d, not %d", where, lib.field, name, v, e.Code)
				}
			}
			if !e.Status.Registered() {
				continue
			}
			for _, lib := range []library{golang, python} {
				if lib.get(e.Constants) == "" && lib.has(e.Code) {
					t.Errorf("%s: constants.%s: missing, but the library has a constant for %d", where, lib.field, e.Code)
				}
			}
			available, named := 0, 0
			for _, lib := range others {
				if lib.has(e.Code) {
					available++
					if lib.get(e.Constants) != "" {
						named++
					}
				}
			}
			if want := min(2, available); named < want {
				t.Errorf("%s: constants: names %d of java, dotnet, rust; %d of those libraries have %d, want at least %d", where, named, available, e.Code, want)
			}
		}
	}
	if checked < 200 {
		t.Errorf("checked %d constants, want the whole catalog's", checked)
	}
}
