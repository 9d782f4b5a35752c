/**
 * Per-user topic permissions of the bundled broker: lists of MQTT topic patterns (wildcards
 * `+` and `#`) in which `%u` stands for the user name and `%c` for the client id.
 */

/** Who is asking: substituted for `%u` and `%c`. */
export interface AclSubject {
  readonly username: string;
  readonly clientId: string;
}

/** A value that would change a pattern's shape (a level separator or a wildcard) never fills `%u`/`%c`. */
const UNSAFE_SUBSTITUTE = /[/+#\u0000]/;

/**
 * The pattern with `%u` and `%c` filled in, or undefined when it cannot apply to this subject:
 * a user name or client id that is empty or holds `/`, `+`, `#` would widen the pattern
 * (client id `#` turning `devices/%c/#` into `devices/#/#`), so such a pattern matches nothing.
 */
export function substitutePattern(pattern: string, subject: AclSubject): string | undefined {
  if (!pattern.includes('%')) return pattern;
  let unsafe = false;
  const filled = pattern.replace(/%[uc]/g, (token) => {
    const value = token === '%u' ? subject.username : subject.clientId;
    if (value === '' || UNSAFE_SUBSTITUTE.test(value)) unsafe = true;
    return value;
  });
  return unsafe ? undefined : filled;
}

/** Why `pattern` is not a valid topic filter, or undefined when it is. */
export function checkAclPattern(pattern: string): string | undefined {
  if (pattern === '') return 'is empty';
  if (pattern.includes('\u0000')) return 'contains U+0000';
  const levels = pattern.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return "uses '#' other than as the whole last level";
    if (level.includes('+') && level !== '+') return "uses '+' other than as a whole level";
  }
  return undefined;
}

/**
 * [MQTT-4.7.1] matching of a topic name against a topic filter, including [MQTT-4.7.2-1]: a
 * filter starting with a wildcard does not match a topic starting with `$`.
 */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    const level = f[i]!;
    if (level === '#') return true; // also matches the parent level: `a/#` matches `a` [MQTT-4.7.1-2]
    if (i >= t.length) return false;
    if (level !== '+' && level !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * True when every topic that subscription filter `filter` can match is matched by `pattern`:
 * `a/#` covers `a/b/+` and `a/#`; `a/+` covers `a/b` and `a/+` but not `a/#`; `#` covers `#`
 * and `+/x` but not `$SYS/#` ([MQTT-4.7.2-1]).
 */
export function filterCovered(pattern: string, filter: string): boolean {
  const filterMayStartWithDollar = filter.startsWith('$');
  if (filterMayStartWithDollar && (pattern.startsWith('+') || pattern.startsWith('#'))) return false;
  const p = pattern.split('/');
  const f = filter.split('/');
  for (let i = 0; i < p.length; i++) {
    const level = p[i]!;
    if (level === '#') return true;
    if (i >= f.length) return false;
    const want = f[i]!;
    if (want === '#') return false; // only a `#` in the pattern covers a `#` in the filter
    if (level === '+') continue; // covers one level, whether a name or `+`
    if (want === '+' || level !== want) return false;
  }
  return p.length === f.length;
}

function anyMatches(patterns: readonly string[], subject: AclSubject, topic: string): boolean {
  return patterns.some((pattern) => {
    const filled = substitutePattern(pattern, subject);
    return filled !== undefined && topicMatches(filled, topic);
  });
}

/** True when one of the `publish` patterns lets `subject` publish to `topic`. */
export function mayPublish(patterns: readonly string[], subject: AclSubject, topic: string): boolean {
  return anyMatches(patterns, subject, topic);
}

/** True when one of the `subscribe` patterns lets `subject` receive a message on `topic`. */
export function mayReceive(patterns: readonly string[], subject: AclSubject, topic: string): boolean {
  return anyMatches(patterns, subject, topic);
}

/** True when one of `patterns` covers subscription filter `filter` for `subject`. */
export function maySubscribe(patterns: readonly string[], subject: AclSubject, filter: string): boolean {
  return patterns.some((pattern) => {
    const filled = substitutePattern(pattern, subject);
    return filled !== undefined && filterCovered(filled, filter);
  });
}
