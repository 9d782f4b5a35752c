import type { Options } from '@grpc/proto-loader';
import { PROTO_DIR } from '../proto/proto-files.js';

export { PROTO_DIR };

/**
 * Loader options; they must match the flags in scripts/gen-proto-types.sh, which generates the
 * committed types in src/generated from the same files.
 */
export const LOADER_OPTIONS: Options = {
  longs: String,
  enums: String,
  oneofs: true,
  includeDirs: [PROTO_DIR],
};

export const PUBSUB_PROTO = 'dapr/proto/components/v1/pubsub.proto';
export const STATE_PROTO = 'dapr/proto/components/v1/state.proto';
