// Original file: proto/mqttpluggable/state/v1/state_protocol.proto


// Original file: proto/mqttpluggable/state/v1/state_protocol.proto

export const _mqttpluggable_state_v1_StateError_Kind = {
  KIND_UNSPECIFIED: 'KIND_UNSPECIFIED',
  ETAG_MISMATCH: 'ETAG_MISMATCH',
  ETAG_INVALID: 'ETAG_INVALID',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  RESOURCE_EXHAUSTED: 'RESOURCE_EXHAUSTED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
} as const;

export type _mqttpluggable_state_v1_StateError_Kind =
  | 'KIND_UNSPECIFIED'
  | 0
  | 'ETAG_MISMATCH'
  | 1
  | 'ETAG_INVALID'
  | 2
  | 'INVALID_ARGUMENT'
  | 3
  | 'RESOURCE_EXHAUSTED'
  | 4
  | 'UNAVAILABLE'
  | 5
  | 'INTERNAL'
  | 6
  | 'DEADLINE_EXCEEDED'
  | 7

export type _mqttpluggable_state_v1_StateError_Kind__Output = typeof _mqttpluggable_state_v1_StateError_Kind[keyof typeof _mqttpluggable_state_v1_StateError_Kind]

export interface StateError {
  'kind'?: (_mqttpluggable_state_v1_StateError_Kind);
  'message'?: (string);
  'field'?: (string);
  'key'?: (string);
}

export interface StateError__Output {
  'kind'?: (_mqttpluggable_state_v1_StateError_Kind__Output);
  'message'?: (string);
  'field'?: (string);
  'key'?: (string);
}
