// Original file: proto/dapr/proto/components/v1/pubsub.proto

import type { BulkMessageEntry as _dapr_proto_components_v1_BulkMessageEntry, BulkMessageEntry__Output as _dapr_proto_components_v1_BulkMessageEntry__Output } from '../../../../dapr/proto/components/v1/BulkMessageEntry';

export interface BulkPublishRequest {
  'entries'?: (_dapr_proto_components_v1_BulkMessageEntry)[];
  'pubsubName'?: (string);
  'topic'?: (string);
  'metadata'?: ({[key: string]: string});
}

export interface BulkPublishRequest__Output {
  'entries'?: (_dapr_proto_components_v1_BulkMessageEntry__Output)[];
  'pubsubName'?: (string);
  'topic'?: (string);
  'metadata'?: ({[key: string]: string});
}
