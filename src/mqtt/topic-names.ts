import { ComponentError } from '../errors/component-error.js';

const MAX_TOPIC_BYTES = 65535;

/** A topic a message can be published to [MQTT-4.7.1-1]: not empty, no wildcards, no NUL. */
export function checkTopicName(topic: string): void {
  if (topic === '') {
    throw new ComponentError('ERR_PUBLISH_TOPIC_INVALID', 'topic must not be empty', { field: 'topic' });
  }
  if (topic.includes('+') || topic.includes('#')) {
    throw new ComponentError('ERR_PUBLISH_TOPIC_INVALID', `topic "${topic}" must not contain the wildcards + or #`, { field: 'topic' });
  }
  if (topic.includes('\u0000') || Buffer.byteLength(topic) > MAX_TOPIC_BYTES) {
    throw new ComponentError('ERR_PUBLISH_TOPIC_INVALID', 'topic must be at most 65535 bytes of UTF-8 without NUL', { field: 'topic' });
  }
}

/**
 * A topic filter for SUBSCRIBE [MQTT-4.7.1-2, 4.7.1-3]: `#` only last and alone in its level,
 * `+` alone in its level. `$share/<group>/<filter>` is accepted with the same rules on <filter>.
 */
export function checkTopicFilter(filter: string): void {
  const bad = (why: string): never => {
    throw new ComponentError('ERR_SUBSCRIBE_TOPIC_INVALID', `topic filter "${filter}" ${why}`, { field: 'topic.name' });
  };
  if (filter === '') bad('must not be empty');
  if (filter.includes('\u0000') || Buffer.byteLength(filter) > MAX_TOPIC_BYTES) bad('must be at most 65535 bytes without NUL');
  let levels = filter.split('/');
  if (levels[0] === '$share') {
    if (levels.length < 3 || levels[1] === '' || /[+#]/.test(levels[1] as string)) bad('needs the form $share/<group>/<filter>');
    levels = levels.slice(2);
  }
  levels.forEach((level, i) => {
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) bad('may use # only as the whole last level');
    if (level.includes('+') && level !== '+') bad('may use + only as a whole level');
  });
}
