// Original file: proto/dapr/proto/components/v1/state.proto

import type { Long } from '@grpc/proto-loader';

export interface MultiMaxSizeResponse {
  'maxSize'?: (number | string | Long);
}

export interface MultiMaxSizeResponse__Output {
  'maxSize'?: (string);
}
