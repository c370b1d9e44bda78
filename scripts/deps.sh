#!/usr/bin/env bash
# Installs what the tests need when it is missing: python3 (the catalog's
# check of the Python constants) and python3-requests (a retry test),
# Debian's chromium (browser tests), nginx and its brotli_static module
# (export parity test), wrk (load and benchmarks), zsh and fish (the
# completion scripts' tests), redis-server (the shared sequence store's
# tests), the HTTP clients of the client harness (tools/clients: curl,
# wget, Debian's python3 with python3-requests and python3-httpx, a JDK,
# Node.js, firefox-esr), and the pinned npm packages (axe-core,
# html-validate; deploy/check's schema and syntax checkers; tools/clients'
# puppeteer-core).
# As root it installs with apt; otherwise it stops and says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v zsh >/dev/null 2>&1 || need+=(zsh)
command -v fish >/dev/null 2>&1 || need+=(fish)
# requests (with urllib3's Retry) for the live endpoint's Python retry test
python3 -c 'import requests' >/dev/null 2>&1 || need+=(python3-requests)
# redis-server for the shared stores' tests (serve --seq-store, --limit-store)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
# brotli_static for the export parity test (deploy/nginx.conf with brotli on)
[ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] || need+=(libnginx-mod-http-brotli-static)
# The client harness (tools/clients). Its Python clients run on Debian's
# /usr/bin/python3, which has Debian's libraries (PyPI is not used).
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v wget >/dev/null 2>&1 || need+=(wget)
[ -x /usr/bin/python3 ] || need+=(python3)
/usr/bin/python3 -c 'import requests' >/dev/null 2>&1 || need+=(python3-requests)
/usr/bin/python3 -c 'import httpx' >/dev/null 2>&1 || need+=(python3-httpx)
{ command -v java && command -v javac; } >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing ${need[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "deps: missing ${need[*]}; install them (Debian: sudo apt-get install ${need[*]}) and run again" >&2
    exit 1
  fi
fi

if [ -f package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "deps: npm is missing; install Node.js 20+ and npm" >&2
    exit 1
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
    npm ci --no-audit --no-fund --loglevel=error
    touch node_modules
  fi
fi

# tools/clients: puppeteer-core, which drives chromium and firefox-esr for
# the client harness (it never downloads a browser).
if [ -f tools/clients/package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "deps: npm is missing; install Node.js 20+ and npm" >&2
    exit 1
  fi
  if [ ! -d tools/clients/node_modules ] || [ tools/clients/package-lock.json -nt tools/clients/node_modules ]; then
    npm ci --prefix tools/clients --no-audit --no-fund --loglevel=error
    touch tools/clients/node_modules
  fi
fi

# deploy/check: the pinned offline checkers of the Kubernetes manifests and
# the Containerfile (kubernetes-models, dockerfile-utils).
if [ -f deploy/check/package-lock.json ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "deps: npm is missing; install Node.js 20+ and npm" >&2
    exit 1
  fi
  if [ ! -d deploy/check/node_modules ] || [ deploy/check/package-lock.json -nt deploy/check/node_modules ]; then
    npm ci --prefix deploy/check --no-audit --no-fund --loglevel=error
    touch deploy/check/node_modules
  fi
fi
