// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PublishRequest {
  'data'?: (Buffer | Uint8Array | string);
  'pubsubName'?: (string);
  'topic'?: (string);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
}

export interface PublishRequest__Output {
  'data'?: (Buffer);
  'pubsubName'?: (string);
  'topic'?: (string);
  'metadata'?: ({[key: string]: string});
  'contentType'?: (string);
}
