/** A shared subscription's topic filter, `$share/<group>/<filter>`, taken apart. */
export interface ShareTopic {
  /** The whole filter as the client subscribed it: the key of the share group. */
  readonly topic: string;
  /** The ShareName. */
  readonly group: string;
  /** The Topic Filter messages are matched against. */
  readonly filter: string;
}

const SHARE_PREFIX = '$share/';

/** Whether the filter asks for a shared subscription (well formed or not). */
export function isShareTopic(topic: string): boolean {
  return topic.startsWith(SHARE_PREFIX);
}

/**
 * Parses `$share/<group>/<filter>`; undefined when it is not a well-formed shared subscription.
 * [MQTT-4.8.2-1] it starts with `$share/` and the ShareName is at least one character long.
 * [MQTT-4.8.2-2] the ShareName contains no `/`, `+` or `#`, and is followed by `/` and a
 * Topic Filter. (Aedes validates the wildcards of the whole filter before this is asked.)
 */
export function parseShareTopic(topic: string): ShareTopic | undefined {
  if (!isShareTopic(topic)) return undefined;
  const rest = topic.slice(SHARE_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const group = rest.slice(0, slash);
  const filter = rest.slice(slash + 1);
  if (group.includes('+') || group.includes('#') || filter === '') return undefined;
  return { topic, group, filter };
}
