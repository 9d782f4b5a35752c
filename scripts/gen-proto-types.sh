#!/usr/bin/env bash
# Generates the TypeScript types for proto/ with proto-loader's generator.
# Usage: scripts/gen-proto-types.sh [OUT_DIR]   (default src/generated)
# The flags must match the loader options in src/grpc/proto-loader-options.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-src/generated}"
rm -rf "$out"
mkdir -p "$out"
npx proto-loader-gen-types --grpcLib=@grpc/grpc-js --longs=String --enums=String --oneofs \
  --includeDirs=proto --outDir="$out" \
  dapr/proto/components/v1/pubsub.proto dapr/proto/components/v1/state.proto \
  google/rpc/status.proto google/rpc/error_details.proto \
  mqttpluggable/state/v1/state_protocol.proto mqttpluggable/state/v1/stored_value.proto >/dev/null
