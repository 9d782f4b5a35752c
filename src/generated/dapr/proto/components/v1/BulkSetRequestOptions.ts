// Original file: proto/dapr/proto/components/v1/state.proto

import type { Long } from '@grpc/proto-loader';

export interface BulkSetRequestOptions {
  'parallelism'?: (number | string | Long);
}

export interface BulkSetRequestOptions__Output {
  'parallelism'?: (string);
}
