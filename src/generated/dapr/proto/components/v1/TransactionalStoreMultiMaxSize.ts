// Original file: proto/dapr/proto/components/v1/state.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { MultiMaxSizeRequest as _dapr_proto_components_v1_MultiMaxSizeRequest, MultiMaxSizeRequest__Output as _dapr_proto_components_v1_MultiMaxSizeRequest__Output } from '../../../../dapr/proto/components/v1/MultiMaxSizeRequest';
import type { MultiMaxSizeResponse as _dapr_proto_components_v1_MultiMaxSizeResponse, MultiMaxSizeResponse__Output as _dapr_proto_components_v1_MultiMaxSizeResponse__Output } from '../../../../dapr/proto/components/v1/MultiMaxSizeResponse';

export interface TransactionalStoreMultiMaxSizeClient extends grpc.Client {
  MultiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  MultiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  MultiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  MultiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  multiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  multiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  multiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  multiMaxSize(argument: _dapr_proto_components_v1_MultiMaxSizeRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_MultiMaxSizeResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TransactionalStoreMultiMaxSizeHandlers extends grpc.UntypedServiceImplementation {
  MultiMaxSize: grpc.handleUnaryCall<_dapr_proto_components_v1_MultiMaxSizeRequest__Output, _dapr_proto_components_v1_MultiMaxSizeResponse>;
  
}

export interface TransactionalStoreMultiMaxSizeDefinition extends grpc.ServiceDefinition {
  MultiMaxSize: MethodDefinition<_dapr_proto_components_v1_MultiMaxSizeRequest, _dapr_proto_components_v1_MultiMaxSizeResponse, _dapr_proto_components_v1_MultiMaxSizeRequest__Output, _dapr_proto_components_v1_MultiMaxSizeResponse__Output>
}
