// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PauseRequest {
}

export interface PauseRequest__Output {
}
