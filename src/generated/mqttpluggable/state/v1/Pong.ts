// Original file: proto/mqttpluggable/state/v1/state_protocol.proto

import type { Long } from '@grpc/proto-loader';

export interface Pong {
  'serviceTimeUnixMs'?: (number | string | Long);
}

export interface Pong__Output {
  'serviceTimeUnixMs'?: (string);
}
