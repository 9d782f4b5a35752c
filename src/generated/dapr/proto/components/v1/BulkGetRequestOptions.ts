// Original file: proto/dapr/proto/components/v1/state.proto

import type { Long } from '@grpc/proto-loader';

export interface BulkGetRequestOptions {
  'parallelism'?: (number | string | Long);
}

export interface BulkGetRequestOptions__Output {
  'parallelism'?: (string);
}
