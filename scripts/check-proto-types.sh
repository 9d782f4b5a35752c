#!/usr/bin/env bash
# Fails when the committed TypeScript types in src/generated differ from what proto/ generates.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/gen-proto-types.sh "$tmp/generated"
if ! diff -r "$tmp/generated" src/generated >/dev/null; then
  echo "src/generated is stale: run 'npm run proto:gen' and commit the result" >&2
  diff -r "$tmp/generated" src/generated | head -20 >&2
  exit 1
fi
echo "generated proto types are current"
