// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface Topic {
  'name'?: (string);
  'metadata'?: ({[key: string]: string});
}

export interface Topic__Output {
  'name'?: (string);
  'metadata'?: ({[key: string]: string});
}
