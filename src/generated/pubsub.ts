import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AckMessageError as _dapr_proto_components_v1_AckMessageError, AckMessageError__Output as _dapr_proto_components_v1_AckMessageError__Output } from './dapr/proto/components/v1/AckMessageError';
import type { BulkMessageEntry as _dapr_proto_components_v1_BulkMessageEntry, BulkMessageEntry__Output as _dapr_proto_components_v1_BulkMessageEntry__Output } from './dapr/proto/components/v1/BulkMessageEntry';
import type { BulkPublishRequest as _dapr_proto_components_v1_BulkPublishRequest, BulkPublishRequest__Output as _dapr_proto_components_v1_BulkPublishRequest__Output } from './dapr/proto/components/v1/BulkPublishRequest';
import type { BulkPublishResponse as _dapr_proto_components_v1_BulkPublishResponse, BulkPublishResponse__Output as _dapr_proto_components_v1_BulkPublishResponse__Output } from './dapr/proto/components/v1/BulkPublishResponse';
import type { BulkPublishResponseFailedEntry as _dapr_proto_components_v1_BulkPublishResponseFailedEntry, BulkPublishResponseFailedEntry__Output as _dapr_proto_components_v1_BulkPublishResponseFailedEntry__Output } from './dapr/proto/components/v1/BulkPublishResponseFailedEntry';
import type { FeaturesRequest as _dapr_proto_components_v1_FeaturesRequest, FeaturesRequest__Output as _dapr_proto_components_v1_FeaturesRequest__Output } from './dapr/proto/components/v1/FeaturesRequest';
import type { FeaturesResponse as _dapr_proto_components_v1_FeaturesResponse, FeaturesResponse__Output as _dapr_proto_components_v1_FeaturesResponse__Output } from './dapr/proto/components/v1/FeaturesResponse';
import type { MetadataRequest as _dapr_proto_components_v1_MetadataRequest, MetadataRequest__Output as _dapr_proto_components_v1_MetadataRequest__Output } from './dapr/proto/components/v1/MetadataRequest';
import type { PauseRequest as _dapr_proto_components_v1_PauseRequest, PauseRequest__Output as _dapr_proto_components_v1_PauseRequest__Output } from './dapr/proto/components/v1/PauseRequest';
import type { PauseResponse as _dapr_proto_components_v1_PauseResponse, PauseResponse__Output as _dapr_proto_components_v1_PauseResponse__Output } from './dapr/proto/components/v1/PauseResponse';
import type { PingRequest as _dapr_proto_components_v1_PingRequest, PingRequest__Output as _dapr_proto_components_v1_PingRequest__Output } from './dapr/proto/components/v1/PingRequest';
import type { PingResponse as _dapr_proto_components_v1_PingResponse, PingResponse__Output as _dapr_proto_components_v1_PingResponse__Output } from './dapr/proto/components/v1/PingResponse';
import type { PubSubClient as _dapr_proto_components_v1_PubSubClient, PubSubDefinition as _dapr_proto_components_v1_PubSubDefinition } from './dapr/proto/components/v1/PubSub';
import type { PubSubInitRequest as _dapr_proto_components_v1_PubSubInitRequest, PubSubInitRequest__Output as _dapr_proto_components_v1_PubSubInitRequest__Output } from './dapr/proto/components/v1/PubSubInitRequest';
import type { PubSubInitResponse as _dapr_proto_components_v1_PubSubInitResponse, PubSubInitResponse__Output as _dapr_proto_components_v1_PubSubInitResponse__Output } from './dapr/proto/components/v1/PubSubInitResponse';
import type { PublishRequest as _dapr_proto_components_v1_PublishRequest, PublishRequest__Output as _dapr_proto_components_v1_PublishRequest__Output } from './dapr/proto/components/v1/PublishRequest';
import type { PublishResponse as _dapr_proto_components_v1_PublishResponse, PublishResponse__Output as _dapr_proto_components_v1_PublishResponse__Output } from './dapr/proto/components/v1/PublishResponse';
import type { PullMessagesRequest as _dapr_proto_components_v1_PullMessagesRequest, PullMessagesRequest__Output as _dapr_proto_components_v1_PullMessagesRequest__Output } from './dapr/proto/components/v1/PullMessagesRequest';
import type { PullMessagesResponse as _dapr_proto_components_v1_PullMessagesResponse, PullMessagesResponse__Output as _dapr_proto_components_v1_PullMessagesResponse__Output } from './dapr/proto/components/v1/PullMessagesResponse';
import type { ResumeRequest as _dapr_proto_components_v1_ResumeRequest, ResumeRequest__Output as _dapr_proto_components_v1_ResumeRequest__Output } from './dapr/proto/components/v1/ResumeRequest';
import type { ResumeResponse as _dapr_proto_components_v1_ResumeResponse, ResumeResponse__Output as _dapr_proto_components_v1_ResumeResponse__Output } from './dapr/proto/components/v1/ResumeResponse';
import type { Topic as _dapr_proto_components_v1_Topic, Topic__Output as _dapr_proto_components_v1_Topic__Output } from './dapr/proto/components/v1/Topic';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dapr: {
    proto: {
      components: {
        v1: {
          AckMessageError: MessageTypeDefinition<_dapr_proto_components_v1_AckMessageError, _dapr_proto_components_v1_AckMessageError__Output>
          BulkMessageEntry: MessageTypeDefinition<_dapr_proto_components_v1_BulkMessageEntry, _dapr_proto_components_v1_BulkMessageEntry__Output>
          BulkPublishRequest: MessageTypeDefinition<_dapr_proto_components_v1_BulkPublishRequest, _dapr_proto_components_v1_BulkPublishRequest__Output>
          BulkPublishResponse: MessageTypeDefinition<_dapr_proto_components_v1_BulkPublishResponse, _dapr_proto_components_v1_BulkPublishResponse__Output>
          BulkPublishResponseFailedEntry: MessageTypeDefinition<_dapr_proto_components_v1_BulkPublishResponseFailedEntry, _dapr_proto_components_v1_BulkPublishResponseFailedEntry__Output>
          FeaturesRequest: MessageTypeDefinition<_dapr_proto_components_v1_FeaturesRequest, _dapr_proto_components_v1_FeaturesRequest__Output>
          FeaturesResponse: MessageTypeDefinition<_dapr_proto_components_v1_FeaturesResponse, _dapr_proto_components_v1_FeaturesResponse__Output>
          MetadataRequest: MessageTypeDefinition<_dapr_proto_components_v1_MetadataRequest, _dapr_proto_components_v1_MetadataRequest__Output>
          PauseRequest: MessageTypeDefinition<_dapr_proto_components_v1_PauseRequest, _dapr_proto_components_v1_PauseRequest__Output>
          PauseResponse: MessageTypeDefinition<_dapr_proto_components_v1_PauseResponse, _dapr_proto_components_v1_PauseResponse__Output>
          PingRequest: MessageTypeDefinition<_dapr_proto_components_v1_PingRequest, _dapr_proto_components_v1_PingRequest__Output>
          PingResponse: MessageTypeDefinition<_dapr_proto_components_v1_PingResponse, _dapr_proto_components_v1_PingResponse__Output>
          PubSub: SubtypeConstructor<typeof grpc.Client, _dapr_proto_components_v1_PubSubClient> & { service: _dapr_proto_components_v1_PubSubDefinition }
          PubSubInitRequest: MessageTypeDefinition<_dapr_proto_components_v1_PubSubInitRequest, _dapr_proto_components_v1_PubSubInitRequest__Output>
          PubSubInitResponse: MessageTypeDefinition<_dapr_proto_components_v1_PubSubInitResponse, _dapr_proto_components_v1_PubSubInitResponse__Output>
          PublishRequest: MessageTypeDefinition<_dapr_proto_components_v1_PublishRequest, _dapr_proto_components_v1_PublishRequest__Output>
          PublishResponse: MessageTypeDefinition<_dapr_proto_components_v1_PublishResponse, _dapr_proto_components_v1_PublishResponse__Output>
          PullMessagesRequest: MessageTypeDefinition<_dapr_proto_components_v1_PullMessagesRequest, _dapr_proto_components_v1_PullMessagesRequest__Output>
          PullMessagesResponse: MessageTypeDefinition<_dapr_proto_components_v1_PullMessagesResponse, _dapr_proto_components_v1_PullMessagesResponse__Output>
          ResumeRequest: MessageTypeDefinition<_dapr_proto_components_v1_ResumeRequest, _dapr_proto_components_v1_ResumeRequest__Output>
          ResumeResponse: MessageTypeDefinition<_dapr_proto_components_v1_ResumeResponse, _dapr_proto_components_v1_ResumeResponse__Output>
          Topic: MessageTypeDefinition<_dapr_proto_components_v1_Topic, _dapr_proto_components_v1_Topic__Output>
        }
      }
    }
  }
}

