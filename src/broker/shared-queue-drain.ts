import type { ShareGroup } from './share-group.js';
import type { SharedContext } from './shared-context.js';
import type { SharedDispatch } from './shared-dispatch.js';

/** Shared subscriptions, part 3: a group's stored queue handed to members that are back. */
export function createQueueDrain(ctx: SharedContext, dispatch: SharedDispatch['dispatch']): (group: ShareGroup) => void {
  /** Hands the group's queued messages, oldest first, to its connected members. */
  function drain(group: ShareGroup): void {
    if (ctx.closed || group.persistent.size === 0) return; // only persistent sessions leave a queue
    if (group.draining) {
      group.drainAgain = true;
      return;
    }
    group.draining = true;
    const run = async (): Promise<void> => {
      do {
        group.drainAgain = false;
        for await (const { key, message } of ctx.store.queued(group.share.topic)) {
          if (ctx.closed || group.online.length === 0) return;
          if (ctx.handedOut.has(key)) continue;
          ctx.handedOut.add(key);
          try {
            await dispatch({ shareTopic: group.share.topic, message, copy: { in: 'group-queue', key } });
          } catch (err) {
            ctx.handedOut.delete(key);
            throw err;
          }
        }
      } while (group.drainAgain && !ctx.closed);
    };
    ctx.background(
      'handing queued messages to a share group member',
      run().finally(() => (group.draining = false)),
    );
  }

  return drain;
}
