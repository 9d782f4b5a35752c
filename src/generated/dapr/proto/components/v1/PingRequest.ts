// Original file: proto/dapr/proto/components/v1/common.proto


export interface PingRequest {
}

export interface PingRequest__Output {
}
