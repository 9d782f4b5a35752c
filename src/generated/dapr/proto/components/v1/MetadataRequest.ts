// Original file: proto/dapr/proto/components/v1/common.proto


export interface MetadataRequest {
  'properties'?: ({[key: string]: string});
}

export interface MetadataRequest__Output {
  'properties'?: ({[key: string]: string});
}
