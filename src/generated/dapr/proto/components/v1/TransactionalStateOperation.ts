// Original file: proto/dapr/proto/components/v1/state.proto

import type { DeleteRequest as _dapr_proto_components_v1_DeleteRequest, DeleteRequest__Output as _dapr_proto_components_v1_DeleteRequest__Output } from '../../../../dapr/proto/components/v1/DeleteRequest';
import type { SetRequest as _dapr_proto_components_v1_SetRequest, SetRequest__Output as _dapr_proto_components_v1_SetRequest__Output } from '../../../../dapr/proto/components/v1/SetRequest';

export interface TransactionalStateOperation {
  'delete'?: (_dapr_proto_components_v1_DeleteRequest | null);
  'set'?: (_dapr_proto_components_v1_SetRequest | null);
  'request'?: "delete"|"set";
}

export interface TransactionalStateOperation__Output {
  'delete'?: (_dapr_proto_components_v1_DeleteRequest__Output);
  'set'?: (_dapr_proto_components_v1_SetRequest__Output);
  'request'?: "delete"|"set";
}
