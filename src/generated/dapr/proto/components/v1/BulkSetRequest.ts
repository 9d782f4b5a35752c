// Original file: proto/dapr/proto/components/v1/state.proto

import type { SetRequest as _dapr_proto_components_v1_SetRequest, SetRequest__Output as _dapr_proto_components_v1_SetRequest__Output } from '../../../../dapr/proto/components/v1/SetRequest';
import type { BulkSetRequestOptions as _dapr_proto_components_v1_BulkSetRequestOptions, BulkSetRequestOptions__Output as _dapr_proto_components_v1_BulkSetRequestOptions__Output } from '../../../../dapr/proto/components/v1/BulkSetRequestOptions';

export interface BulkSetRequest {
  'items'?: (_dapr_proto_components_v1_SetRequest)[];
  'options'?: (_dapr_proto_components_v1_BulkSetRequestOptions | null);
}

export interface BulkSetRequest__Output {
  'items'?: (_dapr_proto_components_v1_SetRequest__Output)[];
  'options'?: (_dapr_proto_components_v1_BulkSetRequestOptions__Output);
}
