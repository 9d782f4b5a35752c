// Original file: proto/dapr/proto/components/v1/common.proto


export interface FeaturesRequest {
}

export interface FeaturesRequest__Output {
}
