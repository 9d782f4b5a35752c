// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PauseResponse {
}

export interface PauseResponse__Output {
}
