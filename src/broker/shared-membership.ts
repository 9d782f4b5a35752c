import { isShareTopic, parseShareTopic } from './share-topic.js';
import { ShareGroup, type MemberClient } from './share-group.js';
import type { SharedContext } from './shared-context.js';
import type { SharedDispatch } from './shared-dispatch.js';

export interface SharedMembership {
  /** The group of a `$share/...` topic, made (and put on the emitter) on first use. */
  groupFor(topic: string): ShareGroup | undefined;
  /** A group no session belongs to any more ends, with whatever was queued for it. */
  dropIfUnused(group: ShareGroup): void;
  /** A connected client's subscription to `topic` makes it a member (if `topic` is a share topic). */
  join(client: MemberClient, topic: string): void;
}

/** Shared subscriptions, part 2: groups and who belongs to them. */
export function createSharedMembership(ctx: SharedContext, onMessage: SharedDispatch['onMessage'], drain: (group: ShareGroup) => void): SharedMembership {
  function groupFor(topic: string): ShareGroup | undefined {
    const existing = ctx.groups.get(topic);
    if (existing) return existing;
    const share = parseShareTopic(topic);
    if (!share) return undefined;
    const group: ShareGroup = new ShareGroup(share, (packet, done) => onMessage(group, packet, done));
    ctx.groups.set(topic, group);
    ctx.mq.on(share.filter, group.listener);
    return group;
  }

  /** A group no session belongs to any more ends, with whatever was queued for it. */
  function dropIfUnused(group: ShareGroup): void {
    if (!group.unused || ctx.groups.get(group.share.topic) !== group) return;
    ctx.groups.delete(group.share.topic);
    ctx.mq.removeListener(group.share.filter, group.listener);
    ctx.background('clearing the queue of an ended share group', ctx.store.clearQueue(group.share.topic));
  }

  function join(client: MemberClient, topic: string): void {
    if (!isShareTopic(topic) || client.closed || !client.subscriptions[topic]) return;
    const group = groupFor(topic);
    if (!group) return;
    group.join(client);
    drain(group);
  }

  return { groupFor, dropIfUnused, join };
}
