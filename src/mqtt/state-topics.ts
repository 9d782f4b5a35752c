/**
 * Topic names of the MQTT state protocol (docs/state-protocol.md). They start with `$`, so no
 * subscriber to `#` or `+/...` ever matches them [MQTT-4.7.2-1]; the bundled broker also limits
 * who may use them.
 */
export const STATE_TOPIC_ROOT = '$dapr-state/v1';
export const STATE_REQUEST_PREFIX = `${STATE_TOPIC_ROOT}/req/`;
export const STATE_REPLY_PREFIX = `${STATE_TOPIC_ROOT}/reply/`;
/** What the state service subscribes to. */
export const STATE_REQUEST_FILTER = `${STATE_REQUEST_PREFIX}+`;

/** A client id usable as one topic level: no `/`, `+`, `#`, NUL, and not empty. */
export function isTopicSafeClientId(clientId: string): boolean {
  return clientId !== '' && !/[/+#\u0000]/.test(clientId);
}

export function stateRequestTopic(clientId: string): string {
  return STATE_REQUEST_PREFIX + clientId;
}

export function stateReplyTopic(clientId: string): string {
  return STATE_REPLY_PREFIX + clientId;
}

/** The client id a request topic names, or undefined when the topic is not a request topic. */
export function clientIdOfRequestTopic(topic: string): string | undefined {
  if (!topic.startsWith(STATE_REQUEST_PREFIX)) return undefined;
  const id = topic.slice(STATE_REQUEST_PREFIX.length);
  return isTopicSafeClientId(id) ? id : undefined;
}

/** The client id a reply topic names, or undefined when the topic is not a reply topic. */
export function clientIdOfReplyTopic(topic: string): string | undefined {
  if (!topic.startsWith(STATE_REPLY_PREFIX)) return undefined;
  const id = topic.slice(STATE_REPLY_PREFIX.length);
  return isTopicSafeClientId(id) ? id : undefined;
}
