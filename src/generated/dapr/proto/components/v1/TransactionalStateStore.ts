// Original file: proto/dapr/proto/components/v1/state.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { TransactionalStateRequest as _dapr_proto_components_v1_TransactionalStateRequest, TransactionalStateRequest__Output as _dapr_proto_components_v1_TransactionalStateRequest__Output } from '../../../../dapr/proto/components/v1/TransactionalStateRequest';
import type { TransactionalStateResponse as _dapr_proto_components_v1_TransactionalStateResponse, TransactionalStateResponse__Output as _dapr_proto_components_v1_TransactionalStateResponse__Output } from '../../../../dapr/proto/components/v1/TransactionalStateResponse';

export interface TransactionalStateStoreClient extends grpc.Client {
  Transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  Transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  transact(argument: _dapr_proto_components_v1_TransactionalStateRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_TransactionalStateResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface TransactionalStateStoreHandlers extends grpc.UntypedServiceImplementation {
  Transact: grpc.handleUnaryCall<_dapr_proto_components_v1_TransactionalStateRequest__Output, _dapr_proto_components_v1_TransactionalStateResponse>;
  
}

export interface TransactionalStateStoreDefinition extends grpc.ServiceDefinition {
  Transact: MethodDefinition<_dapr_proto_components_v1_TransactionalStateRequest, _dapr_proto_components_v1_TransactionalStateResponse, _dapr_proto_components_v1_TransactionalStateRequest__Output, _dapr_proto_components_v1_TransactionalStateResponse__Output>
}
