// Original file: proto/mqttpluggable/state/v1/state_protocol.proto

import type { GetResponse as _dapr_proto_components_v1_GetResponse, GetResponse__Output as _dapr_proto_components_v1_GetResponse__Output } from '../../../dapr/proto/components/v1/GetResponse';
import type { SetResponse as _dapr_proto_components_v1_SetResponse, SetResponse__Output as _dapr_proto_components_v1_SetResponse__Output } from '../../../dapr/proto/components/v1/SetResponse';
import type { DeleteResponse as _dapr_proto_components_v1_DeleteResponse, DeleteResponse__Output as _dapr_proto_components_v1_DeleteResponse__Output } from '../../../dapr/proto/components/v1/DeleteResponse';
import type { BulkGetResponse as _dapr_proto_components_v1_BulkGetResponse, BulkGetResponse__Output as _dapr_proto_components_v1_BulkGetResponse__Output } from '../../../dapr/proto/components/v1/BulkGetResponse';
import type { BulkSetResponse as _dapr_proto_components_v1_BulkSetResponse, BulkSetResponse__Output as _dapr_proto_components_v1_BulkSetResponse__Output } from '../../../dapr/proto/components/v1/BulkSetResponse';
import type { BulkDeleteResponse as _dapr_proto_components_v1_BulkDeleteResponse, BulkDeleteResponse__Output as _dapr_proto_components_v1_BulkDeleteResponse__Output } from '../../../dapr/proto/components/v1/BulkDeleteResponse';
import type { TransactionalStateResponse as _dapr_proto_components_v1_TransactionalStateResponse, TransactionalStateResponse__Output as _dapr_proto_components_v1_TransactionalStateResponse__Output } from '../../../dapr/proto/components/v1/TransactionalStateResponse';
import type { QueryResponse as _dapr_proto_components_v1_QueryResponse, QueryResponse__Output as _dapr_proto_components_v1_QueryResponse__Output } from '../../../dapr/proto/components/v1/QueryResponse';
import type { Pong as _mqttpluggable_state_v1_Pong, Pong__Output as _mqttpluggable_state_v1_Pong__Output } from '../../../mqttpluggable/state/v1/Pong';
import type { StateError as _mqttpluggable_state_v1_StateError, StateError__Output as _mqttpluggable_state_v1_StateError__Output } from '../../../mqttpluggable/state/v1/StateError';

export interface StateReply {
  'requestId'?: (string);
  'get'?: (_dapr_proto_components_v1_GetResponse | null);
  'set'?: (_dapr_proto_components_v1_SetResponse | null);
  'delete'?: (_dapr_proto_components_v1_DeleteResponse | null);
  'bulkGet'?: (_dapr_proto_components_v1_BulkGetResponse | null);
  'bulkSet'?: (_dapr_proto_components_v1_BulkSetResponse | null);
  'bulkDelete'?: (_dapr_proto_components_v1_BulkDeleteResponse | null);
  'transact'?: (_dapr_proto_components_v1_TransactionalStateResponse | null);
  'query'?: (_dapr_proto_components_v1_QueryResponse | null);
  'pong'?: (_mqttpluggable_state_v1_Pong | null);
  'error'?: (_mqttpluggable_state_v1_StateError | null);
  'result'?: "get"|"set"|"delete"|"bulkGet"|"bulkSet"|"bulkDelete"|"transact"|"query"|"pong"|"error";
}

export interface StateReply__Output {
  'requestId'?: (string);
  'get'?: (_dapr_proto_components_v1_GetResponse__Output);
  'set'?: (_dapr_proto_components_v1_SetResponse__Output);
  'delete'?: (_dapr_proto_components_v1_DeleteResponse__Output);
  'bulkGet'?: (_dapr_proto_components_v1_BulkGetResponse__Output);
  'bulkSet'?: (_dapr_proto_components_v1_BulkSetResponse__Output);
  'bulkDelete'?: (_dapr_proto_components_v1_BulkDeleteResponse__Output);
  'transact'?: (_dapr_proto_components_v1_TransactionalStateResponse__Output);
  'query'?: (_dapr_proto_components_v1_QueryResponse__Output);
  'pong'?: (_mqttpluggable_state_v1_Pong__Output);
  'error'?: (_mqttpluggable_state_v1_StateError__Output);
  'result'?: "get"|"set"|"delete"|"bulkGet"|"bulkSet"|"bulkDelete"|"transact"|"query"|"pong"|"error";
}
