/**
 * Load through daprd's APIs with h2load: HTTP/1.1 (`--h1`, one request per connection at a
 * time, `conns` connections) and gRPC (one HTTP/2 connection, `streams` concurrent streams,
 * every request the same pre-encoded frame). h2load counts HTTP statuses; callers check the
 * 2xx count (HTTP) or the DATA bytes (gRPC: a failed call has none).
 */
import { parseH2load } from '../lib/h2load.js';
import { spawnExe } from '../lib/processes.js';

export interface LoadResult {
  readonly requests: number;
  readonly ok2xx: number;
  readonly dataBytes: number;
  readonly wallMs: number;
  readonly raw: string;
}

export interface HttpLoad {
  readonly h2load: string;
  readonly url: string;
  /** POST with this body file; GET without. */
  readonly bodyFile?: string;
  readonly contentType?: string;
  readonly requests: number;
  readonly conns: number;
}

export interface GrpcLoad {
  readonly h2load: string;
  readonly port: number;
  /** e.g. dapr.proto.runtime.v1.Dapr/PublishEvent */
  readonly method: string;
  readonly bodyFile: string;
  readonly requests: number;
  readonly streams: number;
}

const TIMEOUT_S = 120;

async function run(args: string[]): Promise<LoadResult> {
  const startedAt = performance.now();
  const child = spawnExe('h2load', args[0] as string, args.slice(1));
  const exit = await child.exited;
  const wallMs = performance.now() - startedAt;
  const raw = child.stdout();
  if (exit.code !== 0) throw new Error(`bench:e2e: h2load exited ${exit.code ?? exit.signal}: ${child.stderr().slice(-800)}${raw.slice(-800)}`);
  const p = parseH2load(raw);
  const ok2xx = Number(/status codes: (\d+) 2xx/.exec(raw)?.[1] ?? Number.NaN);
  return { requests: p.succeeded + p.failed + p.errored, ok2xx, dataBytes: p.dataBytes, wallMs, raw };
}

export function httpLoad(l: HttpLoad): Promise<LoadResult> {
  const args = [l.h2load, '--h1', `-c${l.conns}`, '-m1', `-n${l.requests}`, `-T${TIMEOUT_S}`];
  if (l.bodyFile) args.push('-d', l.bodyFile, '-H', `content-type: ${l.contentType ?? 'application/json'}`);
  args.push(l.url);
  return run(args);
}

export function grpcLoad(l: GrpcLoad): Promise<LoadResult> {
  return run([
    l.h2load,
    '-c1',
    `-m${l.streams}`,
    `-n${l.requests}`,
    `-T${TIMEOUT_S}`,
    '-d',
    l.bodyFile,
    '-H',
    'content-type: application/grpc',
    '-H',
    'te: trailers',
    `http://127.0.0.1:${l.port}/${l.method}`,
  ]);
}

/** A protobuf length-delimited field (wire type 2) for field numbers < 16. */
function field(no: number, bytes: Buffer): Buffer {
  const len: number[] = [];
  let n = bytes.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  return Buffer.concat([Buffer.from([(no << 3) | 2, ...len]), bytes]);
}

/**
 * A gRPC frame of dapr.proto.runtime.v1.PublishEventRequest {pubsub_name=1, topic=2, data=3,
 * data_content_type=4}: written by hand (four fields) rather than loading daprd's runtime protos.
 */
export function publishEventFrame(pubsub: string, topic: string, data: Buffer, contentType: string): Buffer {
  const msg = Buffer.concat([field(1, Buffer.from(pubsub)), field(2, Buffer.from(topic)), field(3, data), field(4, Buffer.from(contentType))]);
  const frame = Buffer.alloc(5 + msg.length);
  frame.writeUInt32BE(msg.length, 1);
  msg.copy(frame, 5);
  return frame;
}
