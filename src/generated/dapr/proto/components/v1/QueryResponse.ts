// Original file: proto/dapr/proto/components/v1/state.proto

import type { QueryItem as _dapr_proto_components_v1_QueryItem, QueryItem__Output as _dapr_proto_components_v1_QueryItem__Output } from '../../../../dapr/proto/components/v1/QueryItem';

export interface QueryResponse {
  'items'?: (_dapr_proto_components_v1_QueryItem)[];
  'token'?: (string);
  'metadata'?: ({[key: string]: string});
}

export interface QueryResponse__Output {
  'items'?: (_dapr_proto_components_v1_QueryItem__Output)[];
  'token'?: (string);
  'metadata'?: ({[key: string]: string});
}
