/** A message handed to daprd, in domain terms (the gRPC layer maps it to PullMessagesResponse). */
export interface Delivery {
  /** Unique among this stream's unacknowledged messages. */
  readonly id: string;
  /** The concrete topic the message was published to. */
  readonly topic: string;
  readonly payload: Buffer;
  /** `topic`, `retained`, `qos`, `dup`. */
  readonly metadata: Readonly<Record<string, string>>;
}

export type Deliver = (delivery: Delivery) => void;
