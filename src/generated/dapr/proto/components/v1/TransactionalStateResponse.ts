// Original file: proto/dapr/proto/components/v1/state.proto


export interface TransactionalStateResponse {
}

export interface TransactionalStateResponse__Output {
}
