// Original file: proto/dapr/proto/components/v1/state.proto

import type { TransactionalStateOperation as _dapr_proto_components_v1_TransactionalStateOperation, TransactionalStateOperation__Output as _dapr_proto_components_v1_TransactionalStateOperation__Output } from '../../../../dapr/proto/components/v1/TransactionalStateOperation';

export interface TransactionalStateRequest {
  'operations'?: (_dapr_proto_components_v1_TransactionalStateOperation)[];
  'metadata'?: ({[key: string]: string});
}

export interface TransactionalStateRequest__Output {
  'operations'?: (_dapr_proto_components_v1_TransactionalStateOperation__Output)[];
  'metadata'?: ({[key: string]: string});
}
