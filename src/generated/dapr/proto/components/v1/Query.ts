// Original file: proto/dapr/proto/components/v1/state.proto

import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from '../../../../google/protobuf/Any';
import type { Sorting as _dapr_proto_components_v1_Sorting, Sorting__Output as _dapr_proto_components_v1_Sorting__Output } from '../../../../dapr/proto/components/v1/Sorting';
import type { Pagination as _dapr_proto_components_v1_Pagination, Pagination__Output as _dapr_proto_components_v1_Pagination__Output } from '../../../../dapr/proto/components/v1/Pagination';

export interface Query {
  'filter'?: ({[key: string]: _google_protobuf_Any});
  'sort'?: (_dapr_proto_components_v1_Sorting)[];
  'pagination'?: (_dapr_proto_components_v1_Pagination | null);
}

export interface Query__Output {
  'filter'?: ({[key: string]: _google_protobuf_Any__Output});
  'sort'?: (_dapr_proto_components_v1_Sorting__Output)[];
  'pagination'?: (_dapr_proto_components_v1_Pagination__Output);
}
