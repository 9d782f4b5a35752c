/** A message handed to daprd, in domain terms (the gRPC layer maps it to PullMessagesResponse). */
export interface Delivery {
  /** Unique among this stream's unacknowledged messages. */
  readonly id: string;
  /** The concrete topic the message was published to. */
  readonly topic: string;
  readonly payload: Buffer;
  /** `topic`, `retained`, `qos`, `dup`; with MQTT 5 also the message's user properties. */
  readonly metadata: Readonly<Record<string, string>>;
  /** MQTT 5 Content Type property, when the message has one. */
  readonly contentType?: string;
}

export type Deliver = (delivery: Delivery) => void;

/** Ends a subscription's stream with this error (the broker refused the subscription). */
export type FailSubscription = (error: Error) => void;
