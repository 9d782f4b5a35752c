// Original file: proto/dapr/proto/components/v1/state.proto


export interface Etag {
  'value'?: (string);
}

export interface Etag__Output {
  'value'?: (string);
}
