// Original file: proto/dapr/proto/components/v1/state.proto

import type { _dapr_proto_components_v1_StateOptions_StateConsistency, _dapr_proto_components_v1_StateOptions_StateConsistency__Output } from '../../../../dapr/proto/components/v1/StateOptions';

export interface GetRequest {
  'key'?: (string);
  'metadata'?: ({[key: string]: string});
  'consistency'?: (_dapr_proto_components_v1_StateOptions_StateConsistency);
}

export interface GetRequest__Output {
  'key'?: (string);
  'metadata'?: ({[key: string]: string});
  'consistency'?: (_dapr_proto_components_v1_StateOptions_StateConsistency__Output);
}
