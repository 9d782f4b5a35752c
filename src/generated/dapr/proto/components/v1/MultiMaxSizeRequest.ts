// Original file: proto/dapr/proto/components/v1/state.proto


export interface MultiMaxSizeRequest {
}

export interface MultiMaxSizeRequest__Output {
}
