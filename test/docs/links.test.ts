/**
 * No broken link: every relative link in every Markdown file of the repository (README, docs/,
 * bench/, examples/, deploy/, ...) names a file or folder that exists, and an anchor into a
 * Markdown file names one of its headings; every docs file a source comment cites exists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));
/** Not ours, or generated. */
const SKIP = new Set(['node_modules', 'dist', '.git', 'data', 'coverage']);

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, keep, out);
    else if (keep(e.name)) out.push(p);
  }
  return out;
}

/** Markdown without fenced code blocks. */
const withoutFences = (text: string): string => text.replace(/^(```|~~~)[\s\S]*?^\1.*$/gm, '');
/** ... and without inline code (links there are examples, not links). */
const prose = (text: string): string => withoutFences(text).replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens; repeats get -1, -2, ... */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const line of withoutFences(markdown).replace(/`([^`\n]*)`/g, '$1').split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const text = (m[1] ?? '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const base = text.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Relative link targets of a Markdown file: inline links and images, and reference definitions. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1] ?? '');
  const defs = [...text.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? '');
  return [...inline, ...defs].filter((l) => l !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(l));
}

const markdownFiles = walk(root, (n) => n.endsWith('.md'));
const anchorCache = new Map<string, Set<string>>();
const anchorsIn = (file: string): Set<string> => {
  let a = anchorCache.get(file);
  if (!a) anchorCache.set(file, (a = anchorsOf(readFileSync(file, 'utf8'))));
  return a;
};

/** Why `target#anchor` (relative to `from`) is broken, or undefined. */
function brokenLink(from: string, link: string): string | undefined {
  const [pathPart = '', anchor] = link.split('#', 2);
  const target = pathPart === '' ? from : resolve(dirname(from), decodeURIComponent(pathPart));
  if (!existsSync(target)) return `${link}: no such file`;
  if (anchor !== undefined && anchor !== '' && target.endsWith('.md') && !anchorsIn(target).has(decodeURIComponent(anchor).toLowerCase())) {
    return `${link}: no heading "#${anchor}" in ${relative(root, target)}`;
  }
  return undefined;
}

test('the anchor rule matches GitHub for the headings we write', () => {
  const a = anchorsOf('# Security\n## `MQTT_BROKER_HOST` and TLS\n### Users file\n### Users file\n```\n# not a heading\n```\n## What MQTT 5 changes\n## Why not Dapr\'s built-in `pubsub.mqtt3`?');
  assert.deepEqual([...a], ['security', 'mqtt_broker_host-and-tls', 'users-file', 'users-file-1', 'what-mqtt-5-changes', 'why-not-daprs-built-in-pubsubmqtt3']);
});

test('every relative link in every Markdown file exists (anchors into Markdown files included)', () => {
  assert.ok(markdownFiles.some((f) => relative(root, f) === 'README.md'), 'README.md found');
  assert.ok(markdownFiles.filter((f) => relative(root, f).startsWith('docs/')).length >= 8, 'docs/ found');
  const broken: string[] = [];
  let checked = 0;
  for (const file of markdownFiles) {
    for (const link of linksOf(readFileSync(file, 'utf8'))) {
      checked += 1;
      const why = brokenLink(file, link);
      if (why) broken.push(`${relative(root, file)}: ${why}`);
    }
  }
  assert.ok(checked >= 50, `only ${checked} links found: is the link pattern right?`);
  assert.deepEqual(broken, []);
});

test('every docs file a comment in src/, test/, scripts/, bench/ or a deployment file cites exists', () => {
  const sources = ['src', 'test', 'scripts', 'bench', 'deploy', 'examples', 'components']
    .filter((d) => existsSync(join(root, d)))
    .flatMap((d) => walk(join(root, d), (n) => /\.(ts|js|sh|ya?ml|json)$/.test(n) && !n.endsWith('.d.ts')));
  for (const f of ['Dockerfile', 'docker-compose.yml']) if (existsSync(join(root, f))) sources.push(join(root, f));
  const broken: string[] = [];
  let cited = 0;
  for (const file of sources) {
    if (file.includes(`${join('src', 'generated')}`)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/(?<![\w/.-])(docs\/[\w./-]*\.md|(?:bench\/)?README\.md)(#[\w-]+)?/g)) {
      cited += 1;
      const why = brokenLink(join(root, 'README.md'), `${m[1]}${m[2] ?? ''}`);
      if (why) broken.push(`${relative(root, file)} cites ${why}`);
    }
  }
  assert.ok(cited >= 5, `only ${cited} citations found: is the pattern right?`);
  assert.deepEqual(broken, []);
});

test('docs/index.md links every page in docs/, and the README links docs/index.md', () => {
  const index = readFileSync(join(root, 'docs', 'index.md'), 'utf8');
  const linked = new Set(linksOf(index).map((l) => resolve(join(root, 'docs'), l.split('#')[0] ?? '')));
  for (const page of readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md') && n !== 'index.md')) {
    assert.ok(linked.has(join(root, 'docs', page)), `docs/index.md links ${page}`);
  }
  assert.ok(linksOf(readFileSync(join(root, 'README.md'), 'utf8')).includes('docs/index.md'), 'README.md links docs/index.md');
});

test('every `npm run <script>` and `main.js <mode>` the Markdown files name exists', () => {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const main = readFileSync(join(root, 'src', 'main.ts'), 'utf8');
  const missing: string[] = [];
  for (const file of markdownFiles) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bnpm run (?:--silent )?([a-z][\w:-]*)/g)) if (!(m[1]! in scripts)) missing.push(`${relative(root, file)}: npm run ${m[1]}`);
    for (const m of text.matchAll(/\bdist\/src\/main\.js ([a-z][a-z-]*)/g)) if (!main.includes(`'${m[1]}'`)) missing.push(`${relative(root, file)}: main.js ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});
