// Original file: proto/dapr/proto/components/v1/state.proto


export interface BulkDeleteResponse {
}

export interface BulkDeleteResponse__Output {
}
