// Original file: proto/dapr/proto/components/v1/pubsub.proto

import type { MetadataRequest as _dapr_proto_components_v1_MetadataRequest, MetadataRequest__Output as _dapr_proto_components_v1_MetadataRequest__Output } from '../../../../dapr/proto/components/v1/MetadataRequest';

export interface PubSubInitRequest {
  'metadata'?: (_dapr_proto_components_v1_MetadataRequest | null);
}

export interface PubSubInitRequest__Output {
  'metadata'?: (_dapr_proto_components_v1_MetadataRequest__Output);
}
