// Original file: proto/dapr/proto/components/v1/common.proto


export interface PingResponse {
}

export interface PingResponse__Output {
}
