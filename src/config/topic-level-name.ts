/** A name usable as one MQTT topic level in the state topics: letters, digits, `.`, `_`, `-`, `:`, `@`; not empty. */
export function isTopicLevelName(name: string): boolean {
  return /^[A-Za-z0-9._:@-]+$/.test(name);
}
