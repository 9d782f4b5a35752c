/**
 * Topic names of the MQTT state protocol (docs/state-protocol.md):
 *   $dapr-state/v1/<service>/req/<client id>     requests, component → state service
 *   $dapr-state/v1/<service>/reply/<client id>   replies, state service → component
 * `<service>` names one state service (default `default`), so several can share a broker.
 * They start with `$`, so no subscriber to `#` or `+/...` ever matches them [MQTT-4.7.2-1];
 * the bundled broker also limits who may use them.
 */
import { isTopicLevelName } from '../config/topic-level-name.js';

export const STATE_TOPIC_FIRST_LEVEL = '$dapr-state';
export const STATE_TOPIC_ROOT = `${STATE_TOPIC_FIRST_LEVEL}/v1`;
export const DEFAULT_STATE_SERVICE_NAME = 'default';

/** Whether a topic or filter lies under the state protocol's topics (any version). */
export function isStateTopic(topicOrFilter: string): boolean {
  return topicOrFilter === STATE_TOPIC_FIRST_LEVEL || topicOrFilter.startsWith(`${STATE_TOPIC_FIRST_LEVEL}/`);
}


export function stateRequestTopic(service: string, clientId: string): string {
  return `${STATE_TOPIC_ROOT}/${service}/req/${clientId}`;
}

export function stateReplyTopic(service: string, clientId: string): string {
  return `${STATE_TOPIC_ROOT}/${service}/reply/${clientId}`;
}

/** What one state service subscribes to. */
export function stateRequestFilter(service: string): string {
  return `${STATE_TOPIC_ROOT}/${service}/req/+`;
}

export interface StateTopic {
  readonly kind: 'req' | 'reply';
  readonly service: string;
  readonly clientId: string;
}

/** Takes a request or reply topic apart; undefined for anything else (filters included). */
export function parseStateTopic(topic: string): StateTopic | undefined {
  if (!topic.startsWith(`${STATE_TOPIC_ROOT}/`)) return undefined;
  const levels = topic.slice(STATE_TOPIC_ROOT.length + 1).split('/');
  if (levels.length !== 3) return undefined;
  const [service, kind, clientId] = levels as [string, string, string];
  if ((kind !== 'req' && kind !== 'reply') || !isTopicLevelName(service) || !isTopicLevelName(clientId)) return undefined;
  return { kind, service, clientId };
}
