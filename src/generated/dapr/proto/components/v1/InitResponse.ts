// Original file: proto/dapr/proto/components/v1/state.proto


export interface InitResponse {
}

export interface InitResponse__Output {
}
