// Original file: proto/dapr/proto/components/v1/common.proto


export interface FeaturesResponse {
  'feature'?: (string)[];
}

export interface FeaturesResponse__Output {
  'feature'?: (string)[];
}
