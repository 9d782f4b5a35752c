// Original file: proto/dapr/proto/components/v1/state.proto

import type { Etag as _dapr_proto_components_v1_Etag, Etag__Output as _dapr_proto_components_v1_Etag__Output } from '../../../../dapr/proto/components/v1/Etag';
import type { StateOptions as _dapr_proto_components_v1_StateOptions, StateOptions__Output as _dapr_proto_components_v1_StateOptions__Output } from '../../../../dapr/proto/components/v1/StateOptions';

export interface SetRequest {
  'key'?: (string);
  'value'?: (Buffer | Uint8Array | string);
  'etag'?: (_dapr_proto_components_v1_Etag | null);
  'metadata'?: ({[key: string]: string});
  'options'?: (_dapr_proto_components_v1_StateOptions | null);
  'contentType'?: (string);
}

export interface SetRequest__Output {
  'key'?: (string);
  'value'?: (Buffer);
  'etag'?: (_dapr_proto_components_v1_Etag__Output);
  'metadata'?: ({[key: string]: string});
  'options'?: (_dapr_proto_components_v1_StateOptions__Output);
  'contentType'?: (string);
}
