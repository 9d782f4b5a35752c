// Original file: proto/dapr/proto/components/v1/state.proto

import type { Etag as _dapr_proto_components_v1_Etag, Etag__Output as _dapr_proto_components_v1_Etag__Output } from '../../../../dapr/proto/components/v1/Etag';

export interface GetResponse {
  'data'?: (Buffer | Uint8Array | string);
  'etag'?: (_dapr_proto_components_v1_Etag | null);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
}

export interface GetResponse__Output {
  'data'?: (Buffer);
  'etag'?: (_dapr_proto_components_v1_Etag__Output);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
}
