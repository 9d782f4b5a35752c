import type { Metadata, MethodDefinition, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import type { PackageDefinition } from '@grpc/proto-loader';
import type { Logger } from '../logging/logger.js';
import { StateStoreComponent, type DataOp } from '../state/state-store-component.js';
import { InstanceRegistry, instanceOf, type InstanceLimit } from './instance-registry.js';
import { unary } from './unary.js';
import { withTolerantDeserialize } from './tolerant-deserialize.js';
import type { ComponentMetrics } from '../metrics/component-metrics.js';

const PKG = 'dapr.proto.components.v1';

/** The four services daprd looks for, with the methods whose payloads pass through as bytes. */
const RAW_METHODS: Readonly<Record<string, Readonly<Record<string, DataOp>>>> = {
  StateStore: { Get: 'get', Set: 'set', Delete: 'delete', BulkGet: 'bulkGet', BulkSet: 'bulkSet', BulkDelete: 'bulkDelete' },
  TransactionalStateStore: { Transact: 'transact' },
  QueriableStateStore: { Query: 'query' },
  TransactionalStoreMultiMaxSize: {},
};

export const STATE_SERVICE_NAMES = Object.keys(RAW_METHODS).map((s) => `${PKG}.${s}`);

const passThrough = (b: Buffer): Buffer => b;

/**
 * A service definition whose data methods take and give serialized messages: the state client
 * puts daprd's request bytes into the MQTT envelope as they are and returns the service's
 * response bytes as they are, so the component never decodes a state payload.
 */
function withRawPayloads(def: ServiceDefinition, raw: Readonly<Record<string, DataOp>>): ServiceDefinition {
  const out: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [name, method] of Object.entries(def as Record<string, MethodDefinition<unknown, unknown>>)) {
    out[name] = name in raw ? { ...method, requestDeserialize: passThrough, responseSerialize: passThrough as (v: unknown) => Buffer } : method;
  }
  return out as ServiceDefinition;
}

/** The state store services: gRPC calls onto one StateStoreComponent per component instance. */
export class StateService {
  readonly registry: InstanceRegistry<StateStoreComponent>;

  /** `instances`: the limit shared with the pub/sub instances (`MAX_INSTANCES`). */
  constructor(
    private readonly logger: Logger,
    private readonly replica: string,
    private readonly metrics?: ComponentMetrics,
    instances?: InstanceLimit,
  ) {
    this.registry = new InstanceRegistry<StateStoreComponent>('state', instances);
  }

  /** Adds the four services, from the loaded state.proto, to `server`. */
  addTo(server: { addService(def: ServiceDefinition, impl: UntypedServiceImplementation): void }, loaded: PackageDefinition): void {
    for (const [service, raw] of Object.entries(RAW_METHODS)) {
      const def = withTolerantDeserialize(withRawPayloads(loaded[`${PKG}.${service}`] as ServiceDefinition, raw));
      server.addService(def, this.handlers(service, raw));
    }
  }

  private handlers(service: string, raw: Readonly<Record<string, DataOp>>): UntypedServiceImplementation {
    const log = this.logger;
    const component = (call: { metadata: Metadata }): StateStoreComponent => this.registry.get(instanceOf(call.metadata));
    const impl: UntypedServiceImplementation = {};
    for (const [method, op] of Object.entries(raw)) {
      impl[method] = unary<Buffer, Buffer>(log, method, (call) => component(call).execute(op, call.request));
    }
    if (service === 'StateStore') {
      impl.Init = unary<{ metadata?: { properties?: Record<string, string> } }, object>(log, 'Init', async (call) => {
        const instance = instanceOf(call.metadata);
        const props = call.request.metadata?.properties ?? {};
        await this.registry.init(instance, () => StateStoreComponent.init(props, { instance, replica: this.replica }, log.child({ instance }), this.metrics?.state(instance)));
        return {};
      });
      impl.Features = unary<object, object>(log, 'Features', (call) => ({ feature: [...component(call).features()] }));
      impl.Ping = unary<object, object>(log, 'Ping', async (call) => {
        await component(call).ping();
        return {};
      });
    }
    if (service === 'TransactionalStoreMultiMaxSize') {
      impl.MultiMaxSize = unary<object, object>(log, 'MultiMaxSize', (call) => ({ maxSize: String(component(call).multiMaxSize()) }));
    }
    return impl;
  }

  close(): Promise<void> {
    return this.registry.close();
  }
}
