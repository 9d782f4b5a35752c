// Original file: proto/dapr/proto/components/v1/state.proto

import type { Long } from '@grpc/proto-loader';

export interface BulkDeleteRequestOptions {
  'parallelism'?: (number | string | Long);
}

export interface BulkDeleteRequestOptions__Output {
  'parallelism'?: (string);
}
