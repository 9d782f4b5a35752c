/**
 * A TCP proxy on 127.0.0.1 (port 0) in front of a broker, to cut the link under a client.
 *
 *   cut('reset')     every current connection is reset (RST) and new ones are reset on accept:
 *                    the client sees the broker go away at once.
 *   cut('blackhole') every socket stays open but no byte moves in either direction (reading
 *                    stops, so bytes wait in kernel buffers); new connections are accepted and
 *                    held. A client only notices through its keepalive / connect timeout, as
 *                    with a silent network partition.
 *   restore()        bytes flow again: held connections are connected to the target and the
 *                    buffered bytes delivered, as TCP would after the partition heals.
 *   holdFromTarget() only the target's bytes wait (the client's still flow): the client sees
 *                    no ack; releaseFromTarget() lets them through.
 *   retarget(port)   new connections go to another port (e.g. another broker after a reset).
 */
import net from 'node:net';
import { listenLoopback } from './listen-loopback.js';

export type CutMode = 'reset' | 'blackhole';

export interface TcpProxyOptions {
  targetPort: number;
  /** Default 127.0.0.1. */
  targetHost?: string;
}

export interface TcpProxy {
  readonly host: string;
  readonly port: number;
  /** `mqtt://127.0.0.1:<port>`. */
  readonly url: string;
  /** Connections accepted since start (a reconnecting client adds one per attempt). */
  readonly acceptedCount: number;
  /** Connections currently open on the client side. */
  readonly openCount: number;
  /** Current mode: 'open' when bytes flow. */
  readonly state: 'open' | CutMode;
  cut(mode?: CutMode): void;
  restore(): void;
  /** Stops forwarding target → client on every connection (new ones included), until releaseFromTarget(). */
  holdFromTarget(): void;
  releaseFromTarget(): void;
  /** Connections accepted from now on go to this port. */
  retarget(port: number): void;
  /** Destroys every connection and stops listening; idempotent. */
  close(): Promise<void>;
}

/** One client connection and its upstream twin. */
class Link {
  upstream: net.Socket | undefined;
  private closed = false;
  private held = false;
  /** Only the target → client direction is held. */
  private fromTargetHeld = false;

  constructor(
    readonly client: net.Socket,
    private readonly connectUpstream: () => net.Socket,
    private readonly onClosed: (link: Link) => void,
  ) {
    client.on('error', () => this.destroy());
    client.on('close', () => this.destroy());
  }

  /** Starts forwarding (connecting upstream first if needed). */
  flow(): void {
    if (this.closed) return;
    this.held = false;
    if (this.upstream === undefined) {
      const up = this.connectUpstream();
      this.upstream = up;
      up.on('error', () => this.destroy());
      up.on('close', () => this.destroy());
      this.forward(this.client, up);
      this.forward(up, this.client);
    }
    this.client.resume();
    // (Adding the 'data' listener above set the upstream flowing: pause it again when held.)
    if (this.fromTargetHeld) this.upstream.pause();
    else this.upstream.resume();
  }

  holdFromTarget(held: boolean): void {
    this.fromTargetHeld = held;
    if (held) this.upstream?.pause();
    else if (!this.held && !this.closed) this.upstream?.resume();
  }

  /** Stops reading on both sides; the bytes wait in kernel buffers. */
  hold(): void {
    if (this.closed) return;
    this.held = true;
    this.client.pause();
    this.upstream?.pause();
  }

  reset(): void {
    if (this.closed) return;
    this.closed = true;
    // RST, not FIN: the peer's next read fails with ECONNRESET.
    if (!this.client.destroyed) this.client.resetAndDestroy();
    if (this.upstream !== undefined && !this.upstream.destroyed) this.upstream.resetAndDestroy();
    this.onClosed(this);
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.client.destroy();
    this.upstream?.destroy();
    this.onClosed(this);
  }

  private forward(from: net.Socket, to: net.Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (!to.write(chunk)) from.pause();
    });
    to.on('drain', () => {
      if (!this.held && !(from === this.upstream && this.fromTargetHeld)) from.resume();
    });
    from.on('end', () => to.end());
  }
}

/** Starts a proxy listening on 127.0.0.1 with an ephemeral port. */
export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1';
  let targetPort = options.targetPort;
  let fromTargetHeld = false;
  const links = new Set<Link>();
  let state: 'open' | CutMode = 'open';
  let accepted = 0;
  let closing: Promise<void> | undefined;

  const connectUpstream = (): net.Socket => net.connect({ host: targetHost, port: targetPort });

  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    accepted += 1;
    if (state === 'reset' || closing !== undefined) {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    client.setNoDelay(true);
    const link = new Link(client, connectUpstream, (l) => links.delete(l));
    links.add(link);
    if (fromTargetHeld) link.holdFromTarget(true);
    if (state === 'open') link.flow();
    else link.hold();
  });

  const port = await listenLoopback(server);

  return {
    host: '127.0.0.1',
    port,
    url: `mqtt://127.0.0.1:${port}`,
    get acceptedCount() {
      return accepted;
    },
    get openCount() {
      return links.size;
    },
    get state() {
      return state;
    },
    cut(mode: CutMode = 'reset') {
      state = mode;
      for (const link of [...links]) {
        if (mode === 'reset') link.reset();
        else link.hold();
      }
    },
    restore() {
      state = 'open';
      for (const link of [...links]) link.flow();
    },
    holdFromTarget() {
      fromTargetHeld = true;
      for (const link of links) link.holdFromTarget(true);
    },
    releaseFromTarget() {
      fromTargetHeld = false;
      for (const link of links) link.holdFromTarget(false);
    },
    retarget(port) {
      targetPort = port;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const link of [...links]) link.destroy();
        server.close(() => resolve());
      });
      return closing;
    },
  };
}
