// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface ResumeResponse {
}

export interface ResumeResponse__Output {
}
