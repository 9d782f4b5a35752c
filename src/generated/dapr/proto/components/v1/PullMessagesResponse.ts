// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PullMessagesResponse {
  'data'?: (Buffer | Uint8Array | string);
  'topicName'?: (string);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
  'id'?: (string);
}

export interface PullMessagesResponse__Output {
  'data'?: (Buffer);
  'topicName'?: (string);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
  'id'?: (string);
}
