// Original file: proto/dapr/proto/components/v1/state.proto


export interface DeleteResponse {
}

export interface DeleteResponse__Output {
}
