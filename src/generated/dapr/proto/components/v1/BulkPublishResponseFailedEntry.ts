// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface BulkPublishResponseFailedEntry {
  'entryId'?: (string);
  'error'?: (string);
}

export interface BulkPublishResponseFailedEntry__Output {
  'entryId'?: (string);
  'error'?: (string);
}
