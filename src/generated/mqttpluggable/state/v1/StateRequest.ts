// Original file: proto/mqttpluggable/state/v1/state_protocol.proto

import type { GetRequest as _dapr_proto_components_v1_GetRequest, GetRequest__Output as _dapr_proto_components_v1_GetRequest__Output } from '../../../dapr/proto/components/v1/GetRequest';
import type { SetRequest as _dapr_proto_components_v1_SetRequest, SetRequest__Output as _dapr_proto_components_v1_SetRequest__Output } from '../../../dapr/proto/components/v1/SetRequest';
import type { DeleteRequest as _dapr_proto_components_v1_DeleteRequest, DeleteRequest__Output as _dapr_proto_components_v1_DeleteRequest__Output } from '../../../dapr/proto/components/v1/DeleteRequest';
import type { BulkGetRequest as _dapr_proto_components_v1_BulkGetRequest, BulkGetRequest__Output as _dapr_proto_components_v1_BulkGetRequest__Output } from '../../../dapr/proto/components/v1/BulkGetRequest';
import type { BulkSetRequest as _dapr_proto_components_v1_BulkSetRequest, BulkSetRequest__Output as _dapr_proto_components_v1_BulkSetRequest__Output } from '../../../dapr/proto/components/v1/BulkSetRequest';
import type { BulkDeleteRequest as _dapr_proto_components_v1_BulkDeleteRequest, BulkDeleteRequest__Output as _dapr_proto_components_v1_BulkDeleteRequest__Output } from '../../../dapr/proto/components/v1/BulkDeleteRequest';
import type { TransactionalStateRequest as _dapr_proto_components_v1_TransactionalStateRequest, TransactionalStateRequest__Output as _dapr_proto_components_v1_TransactionalStateRequest__Output } from '../../../dapr/proto/components/v1/TransactionalStateRequest';
import type { QueryRequest as _dapr_proto_components_v1_QueryRequest, QueryRequest__Output as _dapr_proto_components_v1_QueryRequest__Output } from '../../../dapr/proto/components/v1/QueryRequest';
import type { Ping as _mqttpluggable_state_v1_Ping, Ping__Output as _mqttpluggable_state_v1_Ping__Output } from '../../../mqttpluggable/state/v1/Ping';
import type { Long } from '@grpc/proto-loader';

export interface StateRequest {
  'requestId'?: (string);
  'replyTopic'?: (string);
  'keyspace'?: (string);
  'deadlineUnixMs'?: (number | string | Long);
  'get'?: (_dapr_proto_components_v1_GetRequest | null);
  'set'?: (_dapr_proto_components_v1_SetRequest | null);
  'delete'?: (_dapr_proto_components_v1_DeleteRequest | null);
  'bulkGet'?: (_dapr_proto_components_v1_BulkGetRequest | null);
  'bulkSet'?: (_dapr_proto_components_v1_BulkSetRequest | null);
  'bulkDelete'?: (_dapr_proto_components_v1_BulkDeleteRequest | null);
  'transact'?: (_dapr_proto_components_v1_TransactionalStateRequest | null);
  'query'?: (_dapr_proto_components_v1_QueryRequest | null);
  'ping'?: (_mqttpluggable_state_v1_Ping | null);
  'operation'?: "get"|"set"|"delete"|"bulkGet"|"bulkSet"|"bulkDelete"|"transact"|"query"|"ping";
}

export interface StateRequest__Output {
  'requestId'?: (string);
  'replyTopic'?: (string);
  'keyspace'?: (string);
  'deadlineUnixMs'?: (string);
  'get'?: (_dapr_proto_components_v1_GetRequest__Output);
  'set'?: (_dapr_proto_components_v1_SetRequest__Output);
  'delete'?: (_dapr_proto_components_v1_DeleteRequest__Output);
  'bulkGet'?: (_dapr_proto_components_v1_BulkGetRequest__Output);
  'bulkSet'?: (_dapr_proto_components_v1_BulkSetRequest__Output);
  'bulkDelete'?: (_dapr_proto_components_v1_BulkDeleteRequest__Output);
  'transact'?: (_dapr_proto_components_v1_TransactionalStateRequest__Output);
  'query'?: (_dapr_proto_components_v1_QueryRequest__Output);
  'ping'?: (_mqttpluggable_state_v1_Ping__Output);
  'operation'?: "get"|"set"|"delete"|"bulkGet"|"bulkSet"|"bulkDelete"|"transact"|"query"|"ping";
}
