// Original file: proto/dapr/proto/components/v1/state.proto

import type { Query as _dapr_proto_components_v1_Query, Query__Output as _dapr_proto_components_v1_Query__Output } from '../../../../dapr/proto/components/v1/Query';

export interface QueryRequest {
  'query'?: (_dapr_proto_components_v1_Query | null);
  'metadata'?: ({[key: string]: string});
}

export interface QueryRequest__Output {
  'query'?: (_dapr_proto_components_v1_Query__Output);
  'metadata'?: ({[key: string]: string});
}
