import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { BulkDeleteRequest as _dapr_proto_components_v1_BulkDeleteRequest, BulkDeleteRequest__Output as _dapr_proto_components_v1_BulkDeleteRequest__Output } from './dapr/proto/components/v1/BulkDeleteRequest';
import type { BulkDeleteRequestOptions as _dapr_proto_components_v1_BulkDeleteRequestOptions, BulkDeleteRequestOptions__Output as _dapr_proto_components_v1_BulkDeleteRequestOptions__Output } from './dapr/proto/components/v1/BulkDeleteRequestOptions';
import type { BulkDeleteResponse as _dapr_proto_components_v1_BulkDeleteResponse, BulkDeleteResponse__Output as _dapr_proto_components_v1_BulkDeleteResponse__Output } from './dapr/proto/components/v1/BulkDeleteResponse';
import type { BulkGetRequest as _dapr_proto_components_v1_BulkGetRequest, BulkGetRequest__Output as _dapr_proto_components_v1_BulkGetRequest__Output } from './dapr/proto/components/v1/BulkGetRequest';
import type { BulkGetRequestOptions as _dapr_proto_components_v1_BulkGetRequestOptions, BulkGetRequestOptions__Output as _dapr_proto_components_v1_BulkGetRequestOptions__Output } from './dapr/proto/components/v1/BulkGetRequestOptions';
import type { BulkGetResponse as _dapr_proto_components_v1_BulkGetResponse, BulkGetResponse__Output as _dapr_proto_components_v1_BulkGetResponse__Output } from './dapr/proto/components/v1/BulkGetResponse';
import type { BulkSetRequest as _dapr_proto_components_v1_BulkSetRequest, BulkSetRequest__Output as _dapr_proto_components_v1_BulkSetRequest__Output } from './dapr/proto/components/v1/BulkSetRequest';
import type { BulkSetRequestOptions as _dapr_proto_components_v1_BulkSetRequestOptions, BulkSetRequestOptions__Output as _dapr_proto_components_v1_BulkSetRequestOptions__Output } from './dapr/proto/components/v1/BulkSetRequestOptions';
import type { BulkSetResponse as _dapr_proto_components_v1_BulkSetResponse, BulkSetResponse__Output as _dapr_proto_components_v1_BulkSetResponse__Output } from './dapr/proto/components/v1/BulkSetResponse';
import type { BulkStateItem as _dapr_proto_components_v1_BulkStateItem, BulkStateItem__Output as _dapr_proto_components_v1_BulkStateItem__Output } from './dapr/proto/components/v1/BulkStateItem';
import type { DeleteRequest as _dapr_proto_components_v1_DeleteRequest, DeleteRequest__Output as _dapr_proto_components_v1_DeleteRequest__Output } from './dapr/proto/components/v1/DeleteRequest';
import type { DeleteResponse as _dapr_proto_components_v1_DeleteResponse, DeleteResponse__Output as _dapr_proto_components_v1_DeleteResponse__Output } from './dapr/proto/components/v1/DeleteResponse';
import type { Etag as _dapr_proto_components_v1_Etag, Etag__Output as _dapr_proto_components_v1_Etag__Output } from './dapr/proto/components/v1/Etag';
import type { FeaturesRequest as _dapr_proto_components_v1_FeaturesRequest, FeaturesRequest__Output as _dapr_proto_components_v1_FeaturesRequest__Output } from './dapr/proto/components/v1/FeaturesRequest';
import type { FeaturesResponse as _dapr_proto_components_v1_FeaturesResponse, FeaturesResponse__Output as _dapr_proto_components_v1_FeaturesResponse__Output } from './dapr/proto/components/v1/FeaturesResponse';
import type { GetRequest as _dapr_proto_components_v1_GetRequest, GetRequest__Output as _dapr_proto_components_v1_GetRequest__Output } from './dapr/proto/components/v1/GetRequest';
import type { GetResponse as _dapr_proto_components_v1_GetResponse, GetResponse__Output as _dapr_proto_components_v1_GetResponse__Output } from './dapr/proto/components/v1/GetResponse';
import type { InitRequest as _dapr_proto_components_v1_InitRequest, InitRequest__Output as _dapr_proto_components_v1_InitRequest__Output } from './dapr/proto/components/v1/InitRequest';
import type { InitResponse as _dapr_proto_components_v1_InitResponse, InitResponse__Output as _dapr_proto_components_v1_InitResponse__Output } from './dapr/proto/components/v1/InitResponse';
import type { MetadataRequest as _dapr_proto_components_v1_MetadataRequest, MetadataRequest__Output as _dapr_proto_components_v1_MetadataRequest__Output } from './dapr/proto/components/v1/MetadataRequest';
import type { MultiMaxSizeRequest as _dapr_proto_components_v1_MultiMaxSizeRequest, MultiMaxSizeRequest__Output as _dapr_proto_components_v1_MultiMaxSizeRequest__Output } from './dapr/proto/components/v1/MultiMaxSizeRequest';
import type { MultiMaxSizeResponse as _dapr_proto_components_v1_MultiMaxSizeResponse, MultiMaxSizeResponse__Output as _dapr_proto_components_v1_MultiMaxSizeResponse__Output } from './dapr/proto/components/v1/MultiMaxSizeResponse';
import type { Pagination as _dapr_proto_components_v1_Pagination, Pagination__Output as _dapr_proto_components_v1_Pagination__Output } from './dapr/proto/components/v1/Pagination';
import type { PingRequest as _dapr_proto_components_v1_PingRequest, PingRequest__Output as _dapr_proto_components_v1_PingRequest__Output } from './dapr/proto/components/v1/PingRequest';
import type { PingResponse as _dapr_proto_components_v1_PingResponse, PingResponse__Output as _dapr_proto_components_v1_PingResponse__Output } from './dapr/proto/components/v1/PingResponse';
import type { QueriableStateStoreClient as _dapr_proto_components_v1_QueriableStateStoreClient, QueriableStateStoreDefinition as _dapr_proto_components_v1_QueriableStateStoreDefinition } from './dapr/proto/components/v1/QueriableStateStore';
import type { Query as _dapr_proto_components_v1_Query, Query__Output as _dapr_proto_components_v1_Query__Output } from './dapr/proto/components/v1/Query';
import type { QueryItem as _dapr_proto_components_v1_QueryItem, QueryItem__Output as _dapr_proto_components_v1_QueryItem__Output } from './dapr/proto/components/v1/QueryItem';
import type { QueryRequest as _dapr_proto_components_v1_QueryRequest, QueryRequest__Output as _dapr_proto_components_v1_QueryRequest__Output } from './dapr/proto/components/v1/QueryRequest';
import type { QueryResponse as _dapr_proto_components_v1_QueryResponse, QueryResponse__Output as _dapr_proto_components_v1_QueryResponse__Output } from './dapr/proto/components/v1/QueryResponse';
import type { SetRequest as _dapr_proto_components_v1_SetRequest, SetRequest__Output as _dapr_proto_components_v1_SetRequest__Output } from './dapr/proto/components/v1/SetRequest';
import type { SetResponse as _dapr_proto_components_v1_SetResponse, SetResponse__Output as _dapr_proto_components_v1_SetResponse__Output } from './dapr/proto/components/v1/SetResponse';
import type { Sorting as _dapr_proto_components_v1_Sorting, Sorting__Output as _dapr_proto_components_v1_Sorting__Output } from './dapr/proto/components/v1/Sorting';
import type { StateOptions as _dapr_proto_components_v1_StateOptions, StateOptions__Output as _dapr_proto_components_v1_StateOptions__Output } from './dapr/proto/components/v1/StateOptions';
import type { StateStoreClient as _dapr_proto_components_v1_StateStoreClient, StateStoreDefinition as _dapr_proto_components_v1_StateStoreDefinition } from './dapr/proto/components/v1/StateStore';
import type { TransactionalStateOperation as _dapr_proto_components_v1_TransactionalStateOperation, TransactionalStateOperation__Output as _dapr_proto_components_v1_TransactionalStateOperation__Output } from './dapr/proto/components/v1/TransactionalStateOperation';
import type { TransactionalStateRequest as _dapr_proto_components_v1_TransactionalStateRequest, TransactionalStateRequest__Output as _dapr_proto_components_v1_TransactionalStateRequest__Output } from './dapr/proto/components/v1/TransactionalStateRequest';
import type { TransactionalStateResponse as _dapr_proto_components_v1_TransactionalStateResponse, TransactionalStateResponse__Output as _dapr_proto_components_v1_TransactionalStateResponse__Output } from './dapr/proto/components/v1/TransactionalStateResponse';
import type { TransactionalStateStoreClient as _dapr_proto_components_v1_TransactionalStateStoreClient, TransactionalStateStoreDefinition as _dapr_proto_components_v1_TransactionalStateStoreDefinition } from './dapr/proto/components/v1/TransactionalStateStore';
import type { TransactionalStoreMultiMaxSizeClient as _dapr_proto_components_v1_TransactionalStoreMultiMaxSizeClient, TransactionalStoreMultiMaxSizeDefinition as _dapr_proto_components_v1_TransactionalStoreMultiMaxSizeDefinition } from './dapr/proto/components/v1/TransactionalStoreMultiMaxSize';
import type { Any as _google_protobuf_Any, Any__Output as _google_protobuf_Any__Output } from './google/protobuf/Any';
import type { Ping as _mqttpluggable_state_v1_Ping, Ping__Output as _mqttpluggable_state_v1_Ping__Output } from './mqttpluggable/state/v1/Ping';
import type { Pong as _mqttpluggable_state_v1_Pong, Pong__Output as _mqttpluggable_state_v1_Pong__Output } from './mqttpluggable/state/v1/Pong';
import type { StateError as _mqttpluggable_state_v1_StateError, StateError__Output as _mqttpluggable_state_v1_StateError__Output } from './mqttpluggable/state/v1/StateError';
import type { StateReply as _mqttpluggable_state_v1_StateReply, StateReply__Output as _mqttpluggable_state_v1_StateReply__Output } from './mqttpluggable/state/v1/StateReply';
import type { StateRequest as _mqttpluggable_state_v1_StateRequest, StateRequest__Output as _mqttpluggable_state_v1_StateRequest__Output } from './mqttpluggable/state/v1/StateRequest';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dapr: {
    proto: {
      components: {
        v1: {
          BulkDeleteRequest: MessageTypeDefinition<_dapr_proto_components_v1_BulkDeleteRequest, _dapr_proto_components_v1_BulkDeleteRequest__Output>
          BulkDeleteRequestOptions: MessageTypeDefinition<_dapr_proto_components_v1_BulkDeleteRequestOptions, _dapr_proto_components_v1_BulkDeleteRequestOptions__Output>
          BulkDeleteResponse: MessageTypeDefinition<_dapr_proto_components_v1_BulkDeleteResponse, _dapr_proto_components_v1_BulkDeleteResponse__Output>
          BulkGetRequest: MessageTypeDefinition<_dapr_proto_components_v1_BulkGetRequest, _dapr_proto_components_v1_BulkGetRequest__Output>
          BulkGetRequestOptions: MessageTypeDefinition<_dapr_proto_components_v1_BulkGetRequestOptions, _dapr_proto_components_v1_BulkGetRequestOptions__Output>
          BulkGetResponse: MessageTypeDefinition<_dapr_proto_components_v1_BulkGetResponse, _dapr_proto_components_v1_BulkGetResponse__Output>
          BulkSetRequest: MessageTypeDefinition<_dapr_proto_components_v1_BulkSetRequest, _dapr_proto_components_v1_BulkSetRequest__Output>
          BulkSetRequestOptions: MessageTypeDefinition<_dapr_proto_components_v1_BulkSetRequestOptions, _dapr_proto_components_v1_BulkSetRequestOptions__Output>
          BulkSetResponse: MessageTypeDefinition<_dapr_proto_components_v1_BulkSetResponse, _dapr_proto_components_v1_BulkSetResponse__Output>
          BulkStateItem: MessageTypeDefinition<_dapr_proto_components_v1_BulkStateItem, _dapr_proto_components_v1_BulkStateItem__Output>
          DeleteRequest: MessageTypeDefinition<_dapr_proto_components_v1_DeleteRequest, _dapr_proto_components_v1_DeleteRequest__Output>
          DeleteResponse: MessageTypeDefinition<_dapr_proto_components_v1_DeleteResponse, _dapr_proto_components_v1_DeleteResponse__Output>
          Etag: MessageTypeDefinition<_dapr_proto_components_v1_Etag, _dapr_proto_components_v1_Etag__Output>
          FeaturesRequest: MessageTypeDefinition<_dapr_proto_components_v1_FeaturesRequest, _dapr_proto_components_v1_FeaturesRequest__Output>
          FeaturesResponse: MessageTypeDefinition<_dapr_proto_components_v1_FeaturesResponse, _dapr_proto_components_v1_FeaturesResponse__Output>
          GetRequest: MessageTypeDefinition<_dapr_proto_components_v1_GetRequest, _dapr_proto_components_v1_GetRequest__Output>
          GetResponse: MessageTypeDefinition<_dapr_proto_components_v1_GetResponse, _dapr_proto_components_v1_GetResponse__Output>
          InitRequest: MessageTypeDefinition<_dapr_proto_components_v1_InitRequest, _dapr_proto_components_v1_InitRequest__Output>
          InitResponse: MessageTypeDefinition<_dapr_proto_components_v1_InitResponse, _dapr_proto_components_v1_InitResponse__Output>
          MetadataRequest: MessageTypeDefinition<_dapr_proto_components_v1_MetadataRequest, _dapr_proto_components_v1_MetadataRequest__Output>
          MultiMaxSizeRequest: MessageTypeDefinition<_dapr_proto_components_v1_MultiMaxSizeRequest, _dapr_proto_components_v1_MultiMaxSizeRequest__Output>
          MultiMaxSizeResponse: MessageTypeDefinition<_dapr_proto_components_v1_MultiMaxSizeResponse, _dapr_proto_components_v1_MultiMaxSizeResponse__Output>
          Pagination: MessageTypeDefinition<_dapr_proto_components_v1_Pagination, _dapr_proto_components_v1_Pagination__Output>
          PingRequest: MessageTypeDefinition<_dapr_proto_components_v1_PingRequest, _dapr_proto_components_v1_PingRequest__Output>
          PingResponse: MessageTypeDefinition<_dapr_proto_components_v1_PingResponse, _dapr_proto_components_v1_PingResponse__Output>
          QueriableStateStore: SubtypeConstructor<typeof grpc.Client, _dapr_proto_components_v1_QueriableStateStoreClient> & { service: _dapr_proto_components_v1_QueriableStateStoreDefinition }
          Query: MessageTypeDefinition<_dapr_proto_components_v1_Query, _dapr_proto_components_v1_Query__Output>
          QueryItem: MessageTypeDefinition<_dapr_proto_components_v1_QueryItem, _dapr_proto_components_v1_QueryItem__Output>
          QueryRequest: MessageTypeDefinition<_dapr_proto_components_v1_QueryRequest, _dapr_proto_components_v1_QueryRequest__Output>
          QueryResponse: MessageTypeDefinition<_dapr_proto_components_v1_QueryResponse, _dapr_proto_components_v1_QueryResponse__Output>
          SetRequest: MessageTypeDefinition<_dapr_proto_components_v1_SetRequest, _dapr_proto_components_v1_SetRequest__Output>
          SetResponse: MessageTypeDefinition<_dapr_proto_components_v1_SetResponse, _dapr_proto_components_v1_SetResponse__Output>
          Sorting: MessageTypeDefinition<_dapr_proto_components_v1_Sorting, _dapr_proto_components_v1_Sorting__Output>
          StateOptions: MessageTypeDefinition<_dapr_proto_components_v1_StateOptions, _dapr_proto_components_v1_StateOptions__Output>
          StateStore: SubtypeConstructor<typeof grpc.Client, _dapr_proto_components_v1_StateStoreClient> & { service: _dapr_proto_components_v1_StateStoreDefinition }
          TransactionalStateOperation: MessageTypeDefinition<_dapr_proto_components_v1_TransactionalStateOperation, _dapr_proto_components_v1_TransactionalStateOperation__Output>
          TransactionalStateRequest: MessageTypeDefinition<_dapr_proto_components_v1_TransactionalStateRequest, _dapr_proto_components_v1_TransactionalStateRequest__Output>
          TransactionalStateResponse: MessageTypeDefinition<_dapr_proto_components_v1_TransactionalStateResponse, _dapr_proto_components_v1_TransactionalStateResponse__Output>
          TransactionalStateStore: SubtypeConstructor<typeof grpc.Client, _dapr_proto_components_v1_TransactionalStateStoreClient> & { service: _dapr_proto_components_v1_TransactionalStateStoreDefinition }
          TransactionalStoreMultiMaxSize: SubtypeConstructor<typeof grpc.Client, _dapr_proto_components_v1_TransactionalStoreMultiMaxSizeClient> & { service: _dapr_proto_components_v1_TransactionalStoreMultiMaxSizeDefinition }
        }
      }
    }
  }
  google: {
    protobuf: {
      Any: MessageTypeDefinition<_google_protobuf_Any, _google_protobuf_Any__Output>
    }
  }
  mqttpluggable: {
    state: {
      v1: {
        Ping: MessageTypeDefinition<_mqttpluggable_state_v1_Ping, _mqttpluggable_state_v1_Ping__Output>
        Pong: MessageTypeDefinition<_mqttpluggable_state_v1_Pong, _mqttpluggable_state_v1_Pong__Output>
        StateError: MessageTypeDefinition<_mqttpluggable_state_v1_StateError, _mqttpluggable_state_v1_StateError__Output>
        StateReply: MessageTypeDefinition<_mqttpluggable_state_v1_StateReply, _mqttpluggable_state_v1_StateReply__Output>
        StateRequest: MessageTypeDefinition<_mqttpluggable_state_v1_StateRequest, _mqttpluggable_state_v1_StateRequest__Output>
      }
    }
  }
}

