// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface AckMessageError {
  'message'?: (string);
}

export interface AckMessageError__Output {
  'message'?: (string);
}
