/**
 * The daprd side of the state store: every call over the real Unix socket with
 * `x-component-instance`, Init → Features, and errors decoded the way daprd decodes them
 * (dapr-wire-contract.md, "Errors"): the `grpc-status-details-bin` Status is used only when its
 * code equals the call's; otherwise daprd sees a plain error.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from '../../src/generated/state.js';
import type { GetResponse__Output } from '../../src/generated/dapr/proto/components/v1/GetResponse.js';
import type { BulkStateItem__Output } from '../../src/generated/dapr/proto/components/v1/BulkStateItem.js';
import type { QueryResponse__Output } from '../../src/generated/dapr/proto/components/v1/QueryResponse.js';
import type { SetRequest } from '../../src/generated/dapr/proto/components/v1/SetRequest.js';
import type { DeleteRequest } from '../../src/generated/dapr/proto/components/v1/DeleteRequest.js';
import { decodeBadRequest, decodeErrorInfo, decodeStatus } from '../../src/grpc/status-details.js';
import { DAPRD_INIT_TIMEOUT_MS, DEFAULT_CALL_TIMEOUT_MS } from './daprd-harness.js';

const PROTO_DIR = fileURLToPath(new URL('../../../proto', import.meta.url));

let loaded: ProtoGrpcType | undefined;
function stateProto(): ProtoGrpcType {
  loaded ??= grpc.loadPackageDefinition(
    protoLoader.loadSync('dapr/proto/components/v1/state.proto', { longs: String, enums: String, oneofs: true, includeDirs: [PROTO_DIR] }),
  ) as unknown as ProtoGrpcType;
  return loaded;
}

export type Concurrency = 'CONCURRENCY_FIRST_WRITE' | 'CONCURRENCY_LAST_WRITE' | 'CONCURRENCY_UNSPECIFIED';

export interface WriteOptions {
  /** undefined = no etag message (absent); a string (even '') = present. */
  etag?: string;
  metadata?: Record<string, string>;
  concurrency?: Concurrency;
  contentType?: string;
}

export interface SetItem extends WriteOptions {
  key: string;
  value: Buffer | string;
}

export interface DeleteItem extends WriteOptions {
  key: string;
}

export type TransactOp = ({ set: SetItem } & { delete?: undefined }) | ({ delete: DeleteItem } & { set?: undefined });

/** A Dapr state query as apps write it (the JSON of the query API). */
export interface StateQuery {
  filter?: Record<string, unknown>;
  sort?: Array<{ key: string; order?: 'ASC' | 'DESC' }>;
  page?: { limit?: number; token?: string };
}

export interface StateConnection {
  readonly instance: string;
  init(properties: Record<string, string>, options?: { timeoutMs?: number }): Promise<void>;
  features(): Promise<string[]>;
  ping(): Promise<void>;
  multiMaxSize(): Promise<number>;
  get(key: string, metadata?: Record<string, string>): Promise<GetResponse__Output>;
  set(key: string, value: Buffer | string, options?: WriteOptions): Promise<void>;
  delete(key: string, options?: WriteOptions): Promise<void>;
  bulkGet(keys: string[]): Promise<BulkStateItem__Output[]>;
  bulkSet(items: SetItem[]): Promise<void>;
  bulkDelete(items: DeleteItem[]): Promise<void>;
  transact(ops: TransactOp[], metadata?: Record<string, string>): Promise<void>;
  query(query: StateQuery, metadata?: Record<string, string>): Promise<QueryResponse__Output>;
  close(): void;
}

function toSet(item: SetItem): SetRequest {
  return {
    key: item.key,
    value: Buffer.from(item.value),
    ...(item.etag === undefined ? {} : { etag: { value: item.etag } }),
    metadata: item.metadata ?? {},
    options: { concurrency: item.concurrency ?? 'CONCURRENCY_UNSPECIFIED', consistency: 'CONSISTENCY_UNSPECIFIED' },
    contentType: item.contentType ?? '',
  };
}

function toDelete(item: DeleteItem): DeleteRequest {
  return {
    key: item.key,
    ...(item.etag === undefined ? {} : { etag: { value: item.etag } }),
    metadata: item.metadata ?? {},
    options: { concurrency: item.concurrency ?? 'CONCURRENCY_UNSPECIFIED', consistency: 'CONSISTENCY_UNSPECIFIED' },
  };
}

/** daprd's pluggable state store sends each top-level filter operator as an Any of its operand's JSON. */
export function toProtoQuery(query: StateQuery): unknown {
  const filter: Record<string, { typeUrl: string; value: Buffer }> = {};
  for (const [op, operand] of Object.entries(query.filter ?? {})) filter[op] = { typeUrl: '', value: Buffer.from(JSON.stringify(operand)) };
  return {
    filter,
    sort: (query.sort ?? []).map((s) => ({ key: s.key, order: s.order ?? 'ASC' })),
    pagination: { limit: String(query.page?.limit ?? 0), token: query.page?.token ?? '' },
  };
}

type Cb<T> = (err: grpc.ServiceError | null, res?: T) => void;
type AnyClient = Record<string, (req: unknown, md: grpc.Metadata, opts: grpc.CallOptions, cb: Cb<unknown>) => void> & grpc.Client;

export function connectState(socketPath: string, instance: string): StateConnection {
  const v1 = stateProto().dapr.proto.components.v1;
  const address = `unix:${socketPath}`;
  const creds = grpc.credentials.createInsecure();
  const store = new v1.StateStore(address, creds) as unknown as AnyClient;
  const tx = new v1.TransactionalStateStore(address, creds) as unknown as AnyClient;
  const queriable = new v1.QueriableStateStore(address, creds) as unknown as AnyClient;
  const multi = new v1.TransactionalStoreMultiMaxSize(address, creds) as unknown as AnyClient;

  const call = <T>(client: AnyClient, method: string, request: unknown, timeoutMs = DEFAULT_CALL_TIMEOUT_MS): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const md = new grpc.Metadata();
      md.set('x-component-instance', instance);
      const fn = client[method] as AnyClient[string];
      fn.call(client, request, md, { deadline: Date.now() + timeoutMs }, (err, res) => (err ? reject(err) : resolve(res as T)));
    });

  return {
    instance,
    async init(properties, options = {}) {
      await call(store, 'init', { metadata: { properties } }, options.timeoutMs ?? DAPRD_INIT_TIMEOUT_MS);
    },
    async features() {
      return (await call<{ feature?: string[] }>(store, 'features', {}, DAPRD_INIT_TIMEOUT_MS)).feature ?? [];
    },
    async ping() {
      await call(store, 'ping', {});
    },
    async multiMaxSize() {
      return Number((await call<{ maxSize?: string }>(multi, 'multiMaxSize', {})).maxSize ?? '0');
    },
    get: (key, metadata = {}) => call<GetResponse__Output>(store, 'get', { key, metadata, consistency: 'CONSISTENCY_UNSPECIFIED' }),
    async set(key, value, options = {}) {
      await call(store, 'set', toSet({ key, value, ...options }));
    },
    async delete(key, options = {}) {
      await call(store, 'delete', toDelete({ key, ...options }));
    },
    async bulkGet(keys) {
      const res = await call<{ items?: BulkStateItem__Output[] }>(store, 'bulkGet', {
        items: keys.map((key) => ({ key, metadata: {}, consistency: 'CONSISTENCY_UNSPECIFIED' })),
        options: { parallelism: '0' },
      });
      return res.items ?? [];
    },
    async bulkSet(items) {
      await call(store, 'bulkSet', { items: items.map(toSet), options: { parallelism: '0' } });
    },
    async bulkDelete(items) {
      await call(store, 'bulkDelete', { items: items.map(toDelete), options: { parallelism: '0' } });
    },
    async transact(ops, metadata = {}) {
      await call(tx, 'transact', { operations: ops.map((op) => (op.set ? { set: toSet(op.set) } : { delete: toDelete(op.delete as DeleteItem) })), metadata });
    },
    query: (query, metadata = {}) => call<QueryResponse__Output>(queriable, 'query', { query: toProtoQuery(query), metadata }),
    close() {
      for (const c of [store, tx, queriable, multi]) c.close();
    },
  };
}

export interface DaprdSeenError {
  /** gRPC status name of the call. */
  readonly code: string;
  /** False when the Status inside the details was dropped (missing, or its code differs from the call's). */
  readonly detailsUsed: boolean;
  readonly message: string;
  readonly badRequests: Array<{ fieldViolations: Array<{ field: string; description: string }> }>;
  readonly errorInfos: Array<{ reason: string; domain: string; metadata: Record<string, string> }>;
  readonly detailCount: number;
}

/** What daprd makes of a failed call. */
export function asDaprdSees(err: unknown): DaprdSeenError {
  const e = err as grpc.ServiceError;
  if (typeof e?.code !== 'number') throw new Error(`not a gRPC error: ${String(err)}`);
  const code = Object.entries(grpc.status).find(([, v]) => v === e.code)?.[0] ?? String(e.code);
  const raw = e.metadata?.get('grpc-status-details-bin')[0];
  if (!raw) return { code, detailsUsed: false, message: e.details, badRequests: [], errorInfos: [], detailCount: 0 };
  const st = decodeStatus(Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
  if (st.code !== e.code) return { code, detailsUsed: false, message: e.details, badRequests: [], errorInfos: [], detailCount: st.details.length };
  return {
    code,
    detailsUsed: true,
    message: st.message,
    detailCount: st.details.length,
    badRequests: st.details.filter((d) => d.typeUrl.endsWith('google.rpc.BadRequest')).map((d) => decodeBadRequest(d.value)),
    errorInfos: st.details.filter((d) => d.typeUrl.endsWith('google.rpc.ErrorInfo')).map((d) => decodeErrorInfo(d.value)),
  };
}
