// Original file: proto/dapr/proto/components/v1/state.proto


// Original file: proto/dapr/proto/components/v1/state.proto

export const _dapr_proto_components_v1_Sorting_Order = {
  ASC: 'ASC',
  DESC: 'DESC',
} as const;

export type _dapr_proto_components_v1_Sorting_Order =
  | 'ASC'
  | 0
  | 'DESC'
  | 1

export type _dapr_proto_components_v1_Sorting_Order__Output = typeof _dapr_proto_components_v1_Sorting_Order[keyof typeof _dapr_proto_components_v1_Sorting_Order]

export interface Sorting {
  'key'?: (string);
  'order'?: (_dapr_proto_components_v1_Sorting_Order);
}

export interface Sorting__Output {
  'key'?: (string);
  'order'?: (_dapr_proto_components_v1_Sorting_Order__Output);
}
