// Original file: proto/dapr/proto/components/v1/state.proto

import type { BulkStateItem as _dapr_proto_components_v1_BulkStateItem, BulkStateItem__Output as _dapr_proto_components_v1_BulkStateItem__Output } from '../../../../dapr/proto/components/v1/BulkStateItem';

export interface BulkGetResponse {
  'items'?: (_dapr_proto_components_v1_BulkStateItem)[];
}

export interface BulkGetResponse__Output {
  'items'?: (_dapr_proto_components_v1_BulkStateItem__Output)[];
}
