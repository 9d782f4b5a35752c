// Original file: proto/mqttpluggable/state/v1/stored_value.proto

import type { Long } from '@grpc/proto-loader';

export interface StoredValue {
  'data'?: (Buffer | Uint8Array | string);
  'version'?: (number | string | Long);
  'expireAtUnixMs'?: (number | string | Long);
  'contentType'?: (string);
}

export interface StoredValue__Output {
  'data'?: (Buffer);
  'version'?: (string);
  'expireAtUnixMs'?: (string);
  'contentType'?: (string);
}
