// Original file: proto/dapr/proto/components/v1/state.proto


export interface BulkSetResponse {
}

export interface BulkSetResponse__Output {
}
