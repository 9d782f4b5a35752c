// Original file: proto/dapr/proto/components/v1/state.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { QueryRequest as _dapr_proto_components_v1_QueryRequest, QueryRequest__Output as _dapr_proto_components_v1_QueryRequest__Output } from '../../../../dapr/proto/components/v1/QueryRequest';
import type { QueryResponse as _dapr_proto_components_v1_QueryResponse, QueryResponse__Output as _dapr_proto_components_v1_QueryResponse__Output } from '../../../../dapr/proto/components/v1/QueryResponse';

export interface QueriableStateStoreClient extends grpc.Client {
  Query(argument: _dapr_proto_components_v1_QueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _dapr_proto_components_v1_QueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _dapr_proto_components_v1_QueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  Query(argument: _dapr_proto_components_v1_QueryRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _dapr_proto_components_v1_QueryRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _dapr_proto_components_v1_QueryRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _dapr_proto_components_v1_QueryRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  query(argument: _dapr_proto_components_v1_QueryRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_QueryResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface QueriableStateStoreHandlers extends grpc.UntypedServiceImplementation {
  Query: grpc.handleUnaryCall<_dapr_proto_components_v1_QueryRequest__Output, _dapr_proto_components_v1_QueryResponse>;
  
}

export interface QueriableStateStoreDefinition extends grpc.ServiceDefinition {
  Query: MethodDefinition<_dapr_proto_components_v1_QueryRequest, _dapr_proto_components_v1_QueryResponse, _dapr_proto_components_v1_QueryRequest__Output, _dapr_proto_components_v1_QueryResponse__Output>
}
