// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PublishResponse {
}

export interface PublishResponse__Output {
}
