/**
 * Reads the metrics server over real HTTP, as Prometheus and the kubelet do, and parses the
 * Prometheus text format into samples that tests compare before and after an action.
 */
import { request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** One HTTP request to 127.0.0.1:`port`, bounded by `timeoutMs`. */
export function httpGet(port: number, path: string, method = 'GET', timeoutMs = 5_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** Samples of one scrape, keyed by name and the exact label set. */
export class Samples {
  constructor(readonly text: string, private readonly values: ReadonlyMap<string, number>) {}

  /** The sample's value; 0 when the series does not exist (yet): counters start at 0. */
  get(name: string, labels: Record<string, string> = {}): number {
    return this.values.get(sampleKey(name, labels)) ?? 0;
  }

  has(name: string, labels: Record<string, string> = {}): boolean {
    return this.values.has(sampleKey(name, labels));
  }

  /** Names of every metric family (from the `# TYPE` lines). */
  families(): string[] {
    return [...this.text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string);
  }
}

function sampleKey(name: string, labels: Record<string, string>): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',');
  return `${name}{${sorted}}`;
}

/** Parses the Prometheus text exposition format (the subset prom-client writes). */
export function parseMetrics(text: string): Samples {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    values.set(sampleKey(m[1] as string, labels), Number(m[3]));
  }
  return new Samples(text, values);
}

/** GET /metrics and parse it (fails on anything but 200). */
export async function scrape(port: number): Promise<Samples> {
  const res = await httpGet(port, '/metrics');
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}: ${res.body}`);
  return parseMetrics(res.body);
}
