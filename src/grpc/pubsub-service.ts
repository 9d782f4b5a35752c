import type { Metadata, ServerDuplexStream } from '@grpc/grpc-js';
import type { Logger } from '../logging/logger.js';
import type { PubSubHandlers } from '../generated/dapr/proto/components/v1/PubSub.js';
import type { PullMessagesRequest__Output } from '../generated/dapr/proto/components/v1/PullMessagesRequest.js';
import type { PullMessagesResponse } from '../generated/dapr/proto/components/v1/PullMessagesResponse.js';
import { ComponentError } from '../errors/component-error.js';
import { PubSubComponent } from '../pubsub/pubsub-component.js';
import type { TopicSubscription } from '../pubsub/topic-subscription.js';
import { InstanceLimit, InstanceRegistry, instanceOf } from './instance-registry.js';
import { toServiceError } from './to-service-error.js';
import { unary } from './unary.js';
import { undecodableReason } from './tolerant-deserialize.js';
import type { ComponentMetrics } from '../metrics/component-metrics.js';

type PullStream = ServerDuplexStream<PullMessagesRequest__Output, PullMessagesResponse>;

/** The PubSub service: maps gRPC calls onto one PubSubComponent per component instance. */
export class PubSubService {
  readonly registry: InstanceRegistry<PubSubComponent>;
  private readonly streams = new Set<PullStream>();
  private readonly maxStreams: number;

  /**
   * `replica` tells this process apart from other replicas (its socket path). `limits`: at most
   * `maxStreams` PullMessages streams at once (`MAX_STREAMS`), and the instances' shared limit.
   */
  constructor(
    private readonly logger: Logger,
    private readonly replica: string,
    private readonly metrics?: ComponentMetrics,
    limits: { readonly maxStreams?: number; readonly instances?: InstanceLimit } = {},
  ) {
    this.registry = new InstanceRegistry<PubSubComponent>('pubsub', limits.instances);
    this.maxStreams = limits.maxStreams ?? Number.MAX_SAFE_INTEGER;
  }

  handlers(): PubSubHandlers {
    const log = this.logger;
    const component = (call: { metadata: Metadata }): PubSubComponent => this.registry.get(instanceOf(call.metadata));
    return {
      Init: unary(log, 'Init', async (call) => {
        const instance = instanceOf(call.metadata);
        const props = call.request.metadata?.properties ?? {};
        await this.registry.init(instance, () => PubSubComponent.init(props, { instance, replica: this.replica }, log.child({ instance }), this.metrics?.pubsub(instance)));
        return {};
      }),
      Features: unary(log, 'Features', (call) => ({ feature: [...component(call).features()] })),
      Publish: unary(log, 'Publish', async (call) => {
        const r = call.request;
        await component(call).publish(r.topic ?? '', r.data ?? Buffer.alloc(0), r.metadata, r.contentType);
        return {};
      }),
      BulkPublish: unary(log, 'BulkPublish', async (call) => {
        const r = call.request;
        const failures = await component(call).bulkPublish(
          r.topic ?? '',
          (r.entries ?? []).map((e) => ({ entryId: e.entryId ?? '', event: e.event ?? Buffer.alloc(0), metadata: e.metadata, contentType: e.contentType })),
          r.metadata,
        );
        return { failedEntries: failures };
      }),
      Pause: unary(log, 'Pause', (call) => {
        component(call).pause();
        return {};
      }),
      Resume: unary(log, 'Resume', (call) => {
        component(call).resume();
        return {};
      }),
      Ping: unary(log, 'Ping', (call) => {
        component(call).ping();
        return {};
      }),
      PullMessages: (call: PullStream) => this.pull(call),
    };
  }

  /**
   * One stream per topic subscription. The first request names the topic; every later one acks
   * a message. The stream ends only when daprd ends it or the server shuts down.
   */
  private pull(call: PullStream): void {
    const instance = instanceOf(call.metadata);
    const log = this.logger.child({ instance });
    if (this.streams.size >= this.maxStreams) {
      // Each stream holds an MQTT connection and up to maxBufferedMessages: refuse, do not queue.
      log.warn({ maxStreams: this.maxStreams }, 'PullMessages stream refused: MAX_STREAMS reached');
      call.emit(
        'error',
        toServiceError(
          new ComponentError('ERR_SUBSCRIBE_STREAM_LIMIT', `${this.streams.size} PullMessages streams are open in this process, the most MAX_STREAMS (${this.maxStreams}) allows`, {
            field: 'MAX_STREAMS',
          }),
        ),
      );
      return;
    }
    let owner: PubSubComponent | undefined;
    let sub: TopicSubscription | undefined;
    let ended = false;
    this.streams.add(call);

    const finish = (): void => {
      if (ended) return;
      ended = true;
      this.streams.delete(call);
      if (owner && sub) void owner.unsubscribe(sub);
    };
    const fail = (err: unknown): void => {
      finish();
      call.emit('error', toServiceError(err));
    };

    call.on('data', (req: PullMessagesRequest__Output) => {
      if (ended) return;
      const bad = undecodableReason(req);
      if (bad !== undefined) {
        if (!sub) fail(new ComponentError('ERR_REQUEST_UNDECODABLE', `the first PullMessages request is not a valid protobuf message: ${bad}`));
        else log.warn({ error: bad }, 'undecodable PullMessages ack ignored');
        return;
      }
      if (!sub) {
        try {
          const topic = req.topic?.name;
          if (!topic) throw new ComponentError('ERR_SUBSCRIBE_TOPIC_MISSING', 'the first PullMessages request must name a topic', { field: 'topic.name' });
          owner = this.registry.get(instance);
          sub = owner.subscribe(
            topic,
            req.topic?.metadata,
            (d) => {
              if (!ended) call.write({ id: d.id, topicName: d.topic, data: d.payload, metadata: d.metadata as Record<string, string>, contentType: d.contentType ?? '' });
            },
            // The broker refused the subscription: end the stream with that error rather than hang.
            (err) => {
              if (!ended) fail(err);
            },
          );
        } catch (err) {
          fail(err);
        }
        return;
      }
      const id = req.ackMessageId ?? '';
      const error = req.ackError ? req.ackError.message || 'nack' : undefined;
      if (id === '' || !sub.ack(id, error)) {
        log.warn({ ackMessageId: id }, 'ack for a message id that is not awaiting an ack; ignored');
      }
    });
    call.on('end', () => {
      finish();
      call.end();
    });
    call.on('cancelled', finish);
    call.on('error', finish);
  }

  /**
   * Shutdown, step 1: no new deliveries; end every stream, leaving unacked messages unacked.
   * Streams end with UNAVAILABLE, not OK: real daprd treats an OK end as "no more messages" and
   * drops the subscription without a word, and it never reopens one either way; the error at
   * least puts "Failed to receive pubsub message" with this reason into daprd's log.
   */
  endStreams(): void {
    for (const c of this.registry.all()) c.pause();
    for (const call of [...this.streams]) {
      this.streams.delete(call);
      call.emit(
        'error',
        toServiceError(
          new ComponentError('ERR_SHUTTING_DOWN', 'the component is shutting down: this subscription ends, and daprd does not reopen it; restart daprd after the component'),
        ),
      );
    }
  }

  /** Shutdown, step 2 (after in-flight calls finished): close every instance's connections. */
  async close(): Promise<void> {
    this.endStreams();
    await this.registry.close();
  }
}
