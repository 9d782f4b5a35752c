// Original file: proto/dapr/proto/components/v1/state.proto

import type { GetRequest as _dapr_proto_components_v1_GetRequest, GetRequest__Output as _dapr_proto_components_v1_GetRequest__Output } from '../../../../dapr/proto/components/v1/GetRequest';
import type { BulkGetRequestOptions as _dapr_proto_components_v1_BulkGetRequestOptions, BulkGetRequestOptions__Output as _dapr_proto_components_v1_BulkGetRequestOptions__Output } from '../../../../dapr/proto/components/v1/BulkGetRequestOptions';

export interface BulkGetRequest {
  'items'?: (_dapr_proto_components_v1_GetRequest)[];
  'options'?: (_dapr_proto_components_v1_BulkGetRequestOptions | null);
}

export interface BulkGetRequest__Output {
  'items'?: (_dapr_proto_components_v1_GetRequest__Output)[];
  'options'?: (_dapr_proto_components_v1_BulkGetRequestOptions__Output);
}
