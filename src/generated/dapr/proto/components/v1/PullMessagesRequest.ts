// Original file: proto/dapr/proto/components/v1/pubsub.proto

import type { Topic as _dapr_proto_components_v1_Topic, Topic__Output as _dapr_proto_components_v1_Topic__Output } from '../../../../dapr/proto/components/v1/Topic';
import type { AckMessageError as _dapr_proto_components_v1_AckMessageError, AckMessageError__Output as _dapr_proto_components_v1_AckMessageError__Output } from '../../../../dapr/proto/components/v1/AckMessageError';

export interface PullMessagesRequest {
  'topic'?: (_dapr_proto_components_v1_Topic | null);
  'ackMessageId'?: (string);
  'ackError'?: (_dapr_proto_components_v1_AckMessageError | null);
}

export interface PullMessagesRequest__Output {
  'topic'?: (_dapr_proto_components_v1_Topic__Output);
  'ackMessageId'?: (string);
  'ackError'?: (_dapr_proto_components_v1_AckMessageError__Output);
}
