// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface PubSubInitResponse {
}

export interface PubSubInitResponse__Output {
}
