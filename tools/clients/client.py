"""One request with a Python HTTP library, for the client harness.

Usage: client.py urllib|requests|httpx

Prints {"version": ...}, then reads one job a line on stdin (JSON, with
an id) and prints one answer a line as each job ends, with the same id:
status, body_bytes, error (the exception's class, and the class of its
root cause), elapsed_ms, none (nothing within the job's limit). Jobs run
at once, each on a thread, each with a client of its own. Every library runs with its defaults, except the options
the job asks for (follow, retry, credentials).
"""

import json
import os
import sys
import threading
import time


def error_kind(e):
    """The exception's class and the class of its innermost cause."""

    def name(x):
        t = type(x)
        mod = t.__module__
        return t.__name__ if mod == "builtins" else mod + "." + t.__name__

    def cause(x):
        # requests and urllib3 keep the cause in args or in .reason.
        for a in x.args:
            if isinstance(a, BaseException):
                return a
        r = getattr(x, "reason", None)
        if isinstance(r, BaseException):
            return r
        return x.__cause__

    root, seen = e, set()
    while id(root) not in seen:
        seen.add(id(root))
        nxt = cause(root)
        if nxt is None:
            break
        root = nxt
    if root is e:
        return name(e)
    return "%s (%s)" % (name(e), name(root))


def run_urllib(job):
    import urllib.error
    import urllib.request

    handlers = []
    if job.get("user"):
        mgr = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        mgr.add_password(None, job["url"], job["user"], job["pass"])
        handlers.append(urllib.request.HTTPBasicAuthHandler(mgr))
    opener = urllib.request.build_opener(*handlers)
    data = job["body"].encode() if job.get("body") else None
    req = urllib.request.Request(job["url"], data=data, method=job["method"])
    for k, v in job.get("headers") or []:
        req.add_header(k, v)
    try:
        with opener.open(req) as r:
            return r.status, len(r.read()), ""
    except urllib.error.HTTPError as e:
        # A status urllib does not take as success comes as an exception
        # that carries the response.
        return e.code, len(e.read() or b""), error_kind(e)


def run_requests(job):
    import requests

    s = requests.Session()
    if job.get("retry"):
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, status_forcelist=[503])))
    auth = (job["user"], job["pass"]) if job.get("user") else None
    r = s.request(job["method"], job["url"], data=job.get("body") or None,
                  headers=dict(job.get("headers") or []), auth=auth)
    return r.status_code, len(r.content), ""


def run_httpx(job):
    import httpx

    auth = (job["user"], job["pass"]) if job.get("user") else None
    headers = dict(job.get("headers") or [])
    if job.get("body"):
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    with httpx.Client(follow_redirects=bool(job.get("follow")), auth=auth) as c:
        r = c.request(job["method"], job["url"], content=job.get("body") or None, headers=headers)
        return r.status_code, len(r.content), ""


def version(lib):
    if lib == "urllib":
        return "Python " + sys.version.split()[0]
    return __import__(lib).__version__


RUN = {"urllib": run_urllib, "requests": run_requests, "httpx": run_httpx}

lock = threading.Lock()


def answer(out):
    with lock:
        print(json.dumps(out), flush=True)


def serve(lib, job):
    """Runs one job and prints its answer, or "none" at the job's limit."""
    out = {"id": job["id"], "status": 0, "body_bytes": 0, "error": "", "elapsed_ms": 0, "none": False}
    done = threading.Event()
    answered = []

    def once(o):
        with lock:
            if answered:
                return
            answered.append(True)
            print(json.dumps(o), flush=True)

    def work():
        start = time.monotonic()
        try:
            out["status"], out["body_bytes"], out["error"] = RUN[lib](job)
        except Exception as e:  # the kind of error is the result
            out["error"] = error_kind(e)
        out["elapsed_ms"] = int((time.monotonic() - start) * 1000)
        done.set()

    threading.Thread(target=work, daemon=True).start()
    if done.wait(job["limit"]):
        once(out)
    else:
        once({"id": job["id"], "status": 0, "body_bytes": 0, "error": "", "elapsed_ms": job["limit"] * 1000, "none": True})


def main():
    lib = sys.argv[1]
    # Everything is imported before the first job: only requests are timed.
    import urllib.request  # noqa: F401
    if lib == "requests":
        import requests.adapters  # noqa: F401
        import urllib3.util.retry  # noqa: F401
    elif lib == "httpx":
        import httpx  # noqa: F401
    answer({"version": version(lib)})
    for line in sys.stdin:
        if line.strip():
            threading.Thread(target=serve, args=(lib, json.loads(line)), daemon=True).start()
    os._exit(0)


if __name__ == "__main__":
    main()
