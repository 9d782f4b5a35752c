// Original file: proto/dapr/proto/components/v1/pubsub.proto


export interface ResumeRequest {
}

export interface ResumeRequest__Output {
}
