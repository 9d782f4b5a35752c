import type { Aedes } from 'aedes';
import { isStateTopic, parseStateTopic } from '../../mqtt/state-topics.js';
import { parseShareTopic } from '../share-topic.js';

/** A request topic (to publish) or reply topic (to subscribe) of this very client, no wildcards. */
function isOwnTopic(topic: string, kind: 'req' | 'reply', clientId: string, retain: boolean): boolean {
  const parsed = parseStateTopic(topic);
  return parsed !== undefined && parsed.kind === kind && parsed.clientId === clientId && !retain;
}

/**
 * While the state service is attached, the bundled broker keeps its traffic private:
 * a client may publish only to its own request topic (no retain) and subscribe only to its own
 * reply topic; nobody subscribes to request topics (the attached service reads them inside the
 * broker). `#` and `+/...` never match `$` topics [MQTT-4.7.2-1], shared ones included.
 * A refused publish ends an MQTT 3.1.1 connection (it has no negative PUBACK); a refused
 * subscription gets 0x80 in its SUBACK.
 * Install before persistBeforePuback (which wraps the authorizePublish in place).
 */
export function protectStateTopics(aedes: Aedes): void {
  const authorizePublish = aedes.authorizePublish;
  aedes.authorizePublish = (client, packet, callback) => {
    if (client && isStateTopic(packet.topic) && !isOwnTopic(packet.topic, 'req', client.id, packet.retain)) {
      callback(new Error(`client ${client.id} may not publish to ${packet.topic}`));
      return;
    }
    authorizePublish.call(aedes, client, packet, callback);
  };
  const authorizeSubscribe = aedes.authorizeSubscribe;
  aedes.authorizeSubscribe = (client, sub, callback) => {
    const filter = parseShareTopic(sub.topic)?.filter ?? sub.topic;
    if (client && isStateTopic(filter) && (filter !== sub.topic || !isOwnTopic(filter, 'reply', client.id, false))) {
      callback(null, null);
      return;
    }
    authorizeSubscribe.call(aedes, client, sub, callback);
  };
}
