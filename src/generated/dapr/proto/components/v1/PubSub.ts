// Original file: proto/dapr/proto/components/v1/pubsub.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BulkPublishRequest as _dapr_proto_components_v1_BulkPublishRequest, BulkPublishRequest__Output as _dapr_proto_components_v1_BulkPublishRequest__Output } from '../../../../dapr/proto/components/v1/BulkPublishRequest';
import type { BulkPublishResponse as _dapr_proto_components_v1_BulkPublishResponse, BulkPublishResponse__Output as _dapr_proto_components_v1_BulkPublishResponse__Output } from '../../../../dapr/proto/components/v1/BulkPublishResponse';
import type { FeaturesRequest as _dapr_proto_components_v1_FeaturesRequest, FeaturesRequest__Output as _dapr_proto_components_v1_FeaturesRequest__Output } from '../../../../dapr/proto/components/v1/FeaturesRequest';
import type { FeaturesResponse as _dapr_proto_components_v1_FeaturesResponse, FeaturesResponse__Output as _dapr_proto_components_v1_FeaturesResponse__Output } from '../../../../dapr/proto/components/v1/FeaturesResponse';
import type { PauseRequest as _dapr_proto_components_v1_PauseRequest, PauseRequest__Output as _dapr_proto_components_v1_PauseRequest__Output } from '../../../../dapr/proto/components/v1/PauseRequest';
import type { PauseResponse as _dapr_proto_components_v1_PauseResponse, PauseResponse__Output as _dapr_proto_components_v1_PauseResponse__Output } from '../../../../dapr/proto/components/v1/PauseResponse';
import type { PingRequest as _dapr_proto_components_v1_PingRequest, PingRequest__Output as _dapr_proto_components_v1_PingRequest__Output } from '../../../../dapr/proto/components/v1/PingRequest';
import type { PingResponse as _dapr_proto_components_v1_PingResponse, PingResponse__Output as _dapr_proto_components_v1_PingResponse__Output } from '../../../../dapr/proto/components/v1/PingResponse';
import type { PubSubInitRequest as _dapr_proto_components_v1_PubSubInitRequest, PubSubInitRequest__Output as _dapr_proto_components_v1_PubSubInitRequest__Output } from '../../../../dapr/proto/components/v1/PubSubInitRequest';
import type { PubSubInitResponse as _dapr_proto_components_v1_PubSubInitResponse, PubSubInitResponse__Output as _dapr_proto_components_v1_PubSubInitResponse__Output } from '../../../../dapr/proto/components/v1/PubSubInitResponse';
import type { PublishRequest as _dapr_proto_components_v1_PublishRequest, PublishRequest__Output as _dapr_proto_components_v1_PublishRequest__Output } from '../../../../dapr/proto/components/v1/PublishRequest';
import type { PublishResponse as _dapr_proto_components_v1_PublishResponse, PublishResponse__Output as _dapr_proto_components_v1_PublishResponse__Output } from '../../../../dapr/proto/components/v1/PublishResponse';
import type { PullMessagesRequest as _dapr_proto_components_v1_PullMessagesRequest, PullMessagesRequest__Output as _dapr_proto_components_v1_PullMessagesRequest__Output } from '../../../../dapr/proto/components/v1/PullMessagesRequest';
import type { PullMessagesResponse as _dapr_proto_components_v1_PullMessagesResponse, PullMessagesResponse__Output as _dapr_proto_components_v1_PullMessagesResponse__Output } from '../../../../dapr/proto/components/v1/PullMessagesResponse';
import type { ResumeRequest as _dapr_proto_components_v1_ResumeRequest, ResumeRequest__Output as _dapr_proto_components_v1_ResumeRequest__Output } from '../../../../dapr/proto/components/v1/ResumeRequest';
import type { ResumeResponse as _dapr_proto_components_v1_ResumeResponse, ResumeResponse__Output as _dapr_proto_components_v1_ResumeResponse__Output } from '../../../../dapr/proto/components/v1/ResumeResponse';

export interface PubSubClient extends grpc.Client {
  BulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  BulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  BulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  BulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  bulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  bulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  bulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  bulkPublish(argument: _dapr_proto_components_v1_BulkPublishRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_BulkPublishResponse__Output>): grpc.ClientUnaryCall;
  
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  Features(argument: _dapr_proto_components_v1_FeaturesRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  features(argument: _dapr_proto_components_v1_FeaturesRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_FeaturesResponse__Output>): grpc.ClientUnaryCall;
  
  Init(argument: _dapr_proto_components_v1_PubSubInitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_PubSubInitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_PubSubInitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  Init(argument: _dapr_proto_components_v1_PubSubInitRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_PubSubInitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_PubSubInitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_PubSubInitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  init(argument: _dapr_proto_components_v1_PubSubInitRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PubSubInitResponse__Output>): grpc.ClientUnaryCall;
  
  Pause(argument: _dapr_proto_components_v1_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _dapr_proto_components_v1_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _dapr_proto_components_v1_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  Pause(argument: _dapr_proto_components_v1_PauseRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _dapr_proto_components_v1_PauseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _dapr_proto_components_v1_PauseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _dapr_proto_components_v1_PauseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  pause(argument: _dapr_proto_components_v1_PauseRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PauseResponse__Output>): grpc.ClientUnaryCall;
  
  Ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  Ping(argument: _dapr_proto_components_v1_PingRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  ping(argument: _dapr_proto_components_v1_PingRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PingResponse__Output>): grpc.ClientUnaryCall;
  
  Publish(argument: _dapr_proto_components_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _dapr_proto_components_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _dapr_proto_components_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  Publish(argument: _dapr_proto_components_v1_PublishRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _dapr_proto_components_v1_PublishRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _dapr_proto_components_v1_PublishRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _dapr_proto_components_v1_PublishRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  publish(argument: _dapr_proto_components_v1_PublishRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_PublishResponse__Output>): grpc.ClientUnaryCall;
  
  PullMessages(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesResponse__Output>;
  PullMessages(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesResponse__Output>;
  pullMessages(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesResponse__Output>;
  pullMessages(options?: grpc.CallOptions): grpc.ClientDuplexStream<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesResponse__Output>;
  
  Resume(argument: _dapr_proto_components_v1_ResumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _dapr_proto_components_v1_ResumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _dapr_proto_components_v1_ResumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  Resume(argument: _dapr_proto_components_v1_ResumeRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _dapr_proto_components_v1_ResumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _dapr_proto_components_v1_ResumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _dapr_proto_components_v1_ResumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  resume(argument: _dapr_proto_components_v1_ResumeRequest, callback: grpc.requestCallback<_dapr_proto_components_v1_ResumeResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface PubSubHandlers extends grpc.UntypedServiceImplementation {
  BulkPublish: grpc.handleUnaryCall<_dapr_proto_components_v1_BulkPublishRequest__Output, _dapr_proto_components_v1_BulkPublishResponse>;
  
  Features: grpc.handleUnaryCall<_dapr_proto_components_v1_FeaturesRequest__Output, _dapr_proto_components_v1_FeaturesResponse>;
  
  Init: grpc.handleUnaryCall<_dapr_proto_components_v1_PubSubInitRequest__Output, _dapr_proto_components_v1_PubSubInitResponse>;
  
  Pause: grpc.handleUnaryCall<_dapr_proto_components_v1_PauseRequest__Output, _dapr_proto_components_v1_PauseResponse>;
  
  Ping: grpc.handleUnaryCall<_dapr_proto_components_v1_PingRequest__Output, _dapr_proto_components_v1_PingResponse>;
  
  Publish: grpc.handleUnaryCall<_dapr_proto_components_v1_PublishRequest__Output, _dapr_proto_components_v1_PublishResponse>;
  
  PullMessages: grpc.handleBidiStreamingCall<_dapr_proto_components_v1_PullMessagesRequest__Output, _dapr_proto_components_v1_PullMessagesResponse>;
  
  Resume: grpc.handleUnaryCall<_dapr_proto_components_v1_ResumeRequest__Output, _dapr_proto_components_v1_ResumeResponse>;
  
}

export interface PubSubDefinition extends grpc.ServiceDefinition {
  BulkPublish: MethodDefinition<_dapr_proto_components_v1_BulkPublishRequest, _dapr_proto_components_v1_BulkPublishResponse, _dapr_proto_components_v1_BulkPublishRequest__Output, _dapr_proto_components_v1_BulkPublishResponse__Output>
  Features: MethodDefinition<_dapr_proto_components_v1_FeaturesRequest, _dapr_proto_components_v1_FeaturesResponse, _dapr_proto_components_v1_FeaturesRequest__Output, _dapr_proto_components_v1_FeaturesResponse__Output>
  Init: MethodDefinition<_dapr_proto_components_v1_PubSubInitRequest, _dapr_proto_components_v1_PubSubInitResponse, _dapr_proto_components_v1_PubSubInitRequest__Output, _dapr_proto_components_v1_PubSubInitResponse__Output>
  Pause: MethodDefinition<_dapr_proto_components_v1_PauseRequest, _dapr_proto_components_v1_PauseResponse, _dapr_proto_components_v1_PauseRequest__Output, _dapr_proto_components_v1_PauseResponse__Output>
  Ping: MethodDefinition<_dapr_proto_components_v1_PingRequest, _dapr_proto_components_v1_PingResponse, _dapr_proto_components_v1_PingRequest__Output, _dapr_proto_components_v1_PingResponse__Output>
  Publish: MethodDefinition<_dapr_proto_components_v1_PublishRequest, _dapr_proto_components_v1_PublishResponse, _dapr_proto_components_v1_PublishRequest__Output, _dapr_proto_components_v1_PublishResponse__Output>
  PullMessages: MethodDefinition<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesResponse, _dapr_proto_components_v1_PullMessagesRequest__Output, _dapr_proto_components_v1_PullMessagesResponse__Output>
  Resume: MethodDefinition<_dapr_proto_components_v1_ResumeRequest, _dapr_proto_components_v1_ResumeResponse, _dapr_proto_components_v1_ResumeRequest__Output, _dapr_proto_components_v1_ResumeResponse__Output>
}
