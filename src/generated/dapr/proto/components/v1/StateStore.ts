// Original file: proto/dapr/proto/components/v1/state.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BulkDeleteRequest as _dapr_proto_components_v1_BulkDeleteRequest, BulkDeleteRequest__Output as _dapr_proto_components_v1_BulkDeleteRequest__Output } from '../../../../dapr/proto/components/v1/BulkDeleteRequest';
import type { BulkDeleteResponse as _dapr_proto_components_v1_BulkDeleteResponse, BulkDeleteResponse__Output as _dapr_proto_components_v1_BulkDeleteResponse__Output } from '../../../../dapr/proto/components/v1/BulkDeleteResponse';
import type { BulkGetRequest as _dapr_proto_components_v1_BulkGetRequest, BulkGetRequest__Output as _dapr_proto_components_v1_BulkGetRequest__Output } from '../../../../dapr/proto/components/v1/BulkGetRequest';
import type { BulkGetResponse as _dapr_proto_components_v1_BulkGetResponse, BulkGetResponse__Output as _dapr_proto_components_v1_BulkGetResponse__Output } from '../../../../dapr/proto/components/v1/BulkGetResponse';
import type { BulkSetRequest as _dapr_proto_components_v1_BulkSetRequest, BulkSetRequest__Output as _dapr_proto_components_v1_BulkSetRequest__Output } from '../../../../dapr/proto/components/v1/BulkSetRequest';
import type { BulkSetResponse as _dapr_proto_components_v1_BulkSetResponse, BulkSetResponse__Output as _dapr_proto_components_v1_BulkSetResponse__Output } from '../../../../dapr/proto/components/v1/BulkSetResponse';
import type { DeleteRequest as _dapr_proto_components_v1_DeleteRequest, DeleteRequest__Output as _dapr_proto_components_v1_DeleteRequest__Output } from '../../../../dapr/proto/components/v1/DeleteRequest';
import type { DeleteResponse as _dapr_proto_components_v1_DeleteResponse, DeleteResponse__Output as _dapr_proto_components_v1_DeleteResponse__Output } from '../../../../dapr/proto/components/v1/DeleteResponse';
import type { FeaturesRequest as _dapr_proto_components_v1_FeaturesRequest, FeaturesRequest__Output as _dapr_proto_components_v1_FeaturesRequest__Output } from '../../../../dapr/proto/components/v1/FeaturesRequest';
import type { FeaturesResponse as _dapr_proto_components_v1_FeaturesResponse, FeaturesResponse__Output as _dapr_proto_components_v1_FeaturesResponse__Output } from '../../../../dapr/proto/components/v1/FeaturesResponse';
import type { GetRequest as _dapr_proto_components_v1_GetRequest, GetRequest__Output as _dapr_proto_components_v1_GetRequest__Output } from '../../../../dapr/proto/components/v1/GetRequest';
import type { GetResponse as _dapr_proto_components_v1_GetResponse, GetResponse__Output as _dapr_proto_components_v1_GetResponse__Output } from '../../../../dapr/proto/components/v1/GetResponse';
import type { InitRequest as _dapr_proto_components_v1_InitRequest, InitRequest__Output as _dapr_proto_components_v1_InitRequest__Output } from '../../../../dapr/proto/components/v1/InitRequest';
import type { InitResponse as _dapr_proto_components_v1_InitResponse, InitResponse__Output as _dapr_proto_components_v1_InitResponse__Output } from '../../../../dapr/proto/components/v1/InitResponse';
import type { PingRequest as _dapr_proto_components_v1_PingRequest, PingRequest__Output as _dapr_proto_components_v1_PingRequest__Output } from '../../../../dapr/proto/components/v1/PingRequest';
import type { PingResponse as _dapr_proto_components_v1_PingResponse, PingResponse__Output as _dapr_proto_components_v1_PingResponse__Output } from '../../../../dapr/proto/components/v1/PingResponse';
import type { SetRequest as _dapr_proto_components_v1_SetRequest, SetRequest__Output as _dapr_proto_components_v1_SetRequest__Output } from '../../../../dapr/proto/components/v1/SetRequest';
import type { SetResponse as _dapr_proto_components_v1_SetResponse, SetResponse__Output as _dapr_proto_components_v1_SetResponse__Output } from '../../../../dapr/proto/components/v1/SetResponse';

export interface StateStoreClient extends grpc.Client {
  BulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  BulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  BulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  BulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  bulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  bulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  bulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  bulkDelete(argument: _dapr_proto_components_v1_BulkDeleteRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkDeleteResponse__Output>): grpc.ClientUnaryCall;
  
  BulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  BulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  BulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  BulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  bulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  bulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  bulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  bulkGet(argument: _dapr_proto_components_v1_BulkGetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkGetResponse__Output>): grpc.ClientUnaryCall;
  
  BulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  BulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  BulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  BulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  bulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  bulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  bulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  bulkSet(argument: _dapr_proto_components_v1_BulkSetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkSetResponse__Output>): grpc.ClientUnaryCall;
  
  Delete(argument: _dapr_proto_components_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dapr_proto_components_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dapr_proto_components_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _dapr_proto_components_v1_DeleteRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _dapr_proto_components_v1_DeleteRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _dapr_proto_components_v1_DeleteRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _dapr_proto_components_v1_DeleteRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _dapr_proto_components_v1_DeleteRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_DeleteResponse__Output>): grpc.ClientUnaryCall;
  
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  
  Get(argument: _dapr_proto_components_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _dapr_proto_components_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _dapr_proto_components_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  Get(argument: _dapr_proto_components_v1_GetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _dapr_proto_components_v1_GetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _dapr_proto_components_v1_GetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _dapr_proto_components_v1_GetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  get(argument: _dapr_proto_components_v1_GetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_GetResponse__Output>): grpc.ClientUnaryCall;
  
  Init(argument: _dapr_proto_components_v1_InitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_InitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_InitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_InitRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_InitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_InitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_InitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_InitRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_InitResponse__Output>): grpc.ClientUnaryCall;
  
  Ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  
  Set(argument: _dapr_proto_components_v1_SetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  Set(argument: _dapr_proto_components_v1_SetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  Set(argument: _dapr_proto_components_v1_SetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  Set(argument: _dapr_proto_components_v1_SetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  set(argument: _dapr_proto_components_v1_SetRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  set(argument: _dapr_proto_components_v1_SetRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  set(argument: _dapr_proto_components_v1_SetRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  set(argument: _dapr_proto_components_v1_SetRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_SetResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface StateStoreHandlers extends grpc.UntypedServiceImplementation {
  BulkDelete: grpc.handleUnaryCall<_dapr_proto_components_v1_BulkDeleteRequest__Output, _dapr_proto_components_v1_BulkDeleteResponse>;
  
  BulkGet: grpc.handleUnaryCall<_dapr_proto_components_v1_BulkGetRequest__Output, _dapr_proto_components_v1_BulkGetResponse>;
  
  BulkSet: grpc.handleUnaryCall<_dapr_proto_components_v1_BulkSetRequest__Output, _dapr_proto_components_v1_BulkSetResponse>;
  
  Delete: grpc.handleUnaryCall<_dapr_proto_components_v1_DeleteRequest__Output, _dapr_proto_components_v1_DeleteResponse>;
  
  Features: grpc.handleUnaryCall<_dapr_proto_components_v1_FeaturesRequest__Output, _dapr_proto_components_v1_FeaturesResponse>;
  
  Get: grpc.handleUnaryCall<_dapr_proto_components_v1_GetRequest__Output, _dapr_proto_components_v1_GetResponse>;
  
  Init: grpc.handleUnaryCall<_dapr_proto_components_v1_InitRequest__Output, _dapr_proto_components_v1_InitResponse>;
  
  Ping: grpc.handleUnaryCall<_dapr_proto_components_v1_PingRequest__Output, _dapr_proto_components_v1_PingResponse>;
  
  Set: grpc.handleUnaryCall<_dapr_proto_components_v1_SetRequest__Output, _dapr_proto_components_v1_SetResponse>;
  
}

export interface StateStoreDefinition extends grpc.ServiceDefinition {
  BulkDelete: MethodDefinition<_dapr_proto_components_v1_BulkDeleteRequest, _dapr_proto_components_v1_BulkDeleteResponse, _dapr_proto_components_v1_BulkDeleteRequest__Output, _dapr_proto_components_v1_BulkDeleteResponse__Output>
  BulkGet: MethodDefinition<_dapr_proto_components_v1_BulkGetRequest, _dapr_proto_components_v1_BulkGetResponse, _dapr_proto_components_v1_BulkGetRequest__Output, _dapr_proto_components_v1_BulkGetResponse__Output>
  BulkSet: MethodDefinition<_dapr_proto_components_v1_BulkSetRequest, _dapr_proto_components_v1_BulkSetResponse, _dapr_proto_components_v1_BulkSetRequest__Output, _dapr_proto_components_v1_BulkSetResponse__Output>
  Delete: MethodDefinition<_dapr_proto_components_v1_DeleteRequest, _dapr_proto_components_v1_DeleteResponse, _dapr_proto_components_v1_DeleteRequest__Output, _dapr_proto_components_v1_DeleteResponse__Output>
  Features: MethodDefinition<_dapr_proto_components_v1_FeaturesRequest, _dapr_proto_components_v1_FeaturesResponse, _dapr_proto_components_v1_FeaturesRequest__Output, _dapr_proto_components_v1_FeaturesResponse__Output>
  Get: MethodDefinition<_dapr_proto_components_v1_GetRequest, _dapr_proto_components_v1_GetResponse, _dapr_proto_components_v1_GetRequest__Output, _dapr_proto_components_v1_GetResponse__Output>
  Init: MethodDefinition<_dapr_proto_components_v1_InitRequest, _dapr_proto_components_v1_InitResponse, _dapr_proto_components_v1_InitRequest__Output, _dapr_proto_components_v1_InitResponse__Output>
  Ping: MethodDefinition<_dapr_proto_components_v1_PingRequest, _dapr_proto_components_v1_PingResponse, _dapr_proto_components_v1_PingRequest__Output, _dapr_proto_components_v1_PingResponse__Output>
  Set: MethodDefinition<_dapr_proto_components_v1_SetRequest, _dapr_proto_components_v1_SetResponse, _dapr_proto_components_v1_SetRequest__Output, _dapr_proto_components_v1_SetResponse__Output>
}
