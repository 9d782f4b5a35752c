// Original file: proto/dapr/proto/components/v1/state.proto

import type { Etag as _dapr_proto_components_v1_Etag, Etag__Output as _dapr_proto_components_v1_Etag__Output } from '../../../../dapr/proto/components/v1/Etag';

export interface QueryItem {
  'key'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'etag'?: (_dapr_proto_components_v1_Etag | null);
  'error'?: (string);
  'contentType'?: (string);
}

export interface QueryItem__Output {
  'key'?: (string);
  'data'?: (Buffer);
  'etag'?: (_dapr_proto_components_v1_Etag__Output);
  'error'?: (string);
  'contentType'?: (string);
}
