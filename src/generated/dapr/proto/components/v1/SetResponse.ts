// Original file: proto/dapr/proto/components/v1/state.proto


export interface SetResponse {
}

export interface SetResponse__Output {
}
