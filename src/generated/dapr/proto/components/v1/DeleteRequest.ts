// Original file: proto/dapr/proto/components/v1/state.proto

import type { Etag as _dapr_proto_components_v1_Etag, Etag__Output as _dapr_proto_components_v1_Etag__Output } from '../../../../dapr/proto/components/v1/Etag';
import type { StateOptions as _dapr_proto_components_v1_StateOptions, StateOptions__Output as _dapr_proto_components_v1_StateOptions__Output } from '../../../../dapr/proto/components/v1/StateOptions';

export interface DeleteRequest {
  'key'?: (string);
  'etag'?: (_dapr_proto_components_v1_Etag | null);
  'metadata'?: ({[key: string]: string});
  'options'?: (_dapr_proto_components_v1_StateOptions | null);
}

export interface DeleteRequest__Output {
  'key'?: (string);
  'etag'?: (_dapr_proto_components_v1_Etag__Output);
  'metadata'?: ({[key: string]: string});
  'options'?: (_dapr_proto_components_v1_StateOptions__Output);
}
