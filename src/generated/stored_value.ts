import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { StoredValue as _mqttpluggable_state_v1_StoredValue, StoredValue__Output as _mqttpluggable_state_v1_StoredValue__Output } from './mqttpluggable/state/v1/StoredValue';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mqttpluggable: {
    state: {
      v1: {
        StoredValue: MessageTypeDefinition<_mqttpluggable_state_v1_StoredValue, _mqttpluggable_state_v1_StoredValue__Output>
      }
    }
  }
}

