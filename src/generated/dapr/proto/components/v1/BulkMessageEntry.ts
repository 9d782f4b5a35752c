// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface BulkMessageEntry {
  'entryId'?: (string);
  'event'?: (Buffer | Uint8Array | string);
  'contentType'?: (string);
  'metadata'?: ({[key: string]: string});
}

export interface BulkMessageEntry__Output {
  'entryId'?: (string);
  'event'?: (Buffer);
  'contentType'?: (string);
  'metadata'?: ({[key: string]: string});
}
