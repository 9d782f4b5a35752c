// Original file: proto/dapr/proto/components/v1/state.proto

import type { DeleteRequest as _dapr_proto_components_v1_DeleteRequest, DeleteRequest__Output as _dapr_proto_components_v1_DeleteRequest__Output } from '../../../../dapr/proto/components/v1/DeleteRequest';
import type { BulkDeleteRequestOptions as _dapr_proto_components_v1_BulkDeleteRequestOptions, BulkDeleteRequestOptions__Output as _dapr_proto_components_v1_BulkDeleteRequestOptions__Output } from '../../../../dapr/proto/components/v1/BulkDeleteRequestOptions';

export interface BulkDeleteRequest {
  'items'?: (_dapr_proto_components_v1_DeleteRequest)[];
  'options'?: (_dapr_proto_components_v1_BulkDeleteRequestOptions | null);
}

export interface BulkDeleteRequest__Output {
  'items'?: (_dapr_proto_components_v1_DeleteRequest__Output)[];
  'options'?: (_dapr_proto_components_v1_BulkDeleteRequestOptions__Output);
}
