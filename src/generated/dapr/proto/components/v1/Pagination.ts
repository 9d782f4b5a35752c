// Original file: proto/dapr/proto/components/v1/state.proto

import type { Long } from '@grpc/proto-loader';

export interface Pagination {
  'limit'?: (number | string | Long);
  'token'?: (string);
}

export interface Pagination__Output {
  'limit'?: (string);
  'token'?: (string);
}
