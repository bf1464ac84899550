// Hands the follow loop's updates to the view. Updates that come before the view subscribes (the
// loop starts while Ink is still mounting) are kept and delivered on subscription.
import type { TailSource, TailUpdate } from './types.js';

export interface Hub extends TailSource {
  emit(update: TailUpdate): void;
}

export function createHub(): Hub {
  let listener: ((update: TailUpdate) => void) | undefined;
  let early: TailUpdate[] = [];
  return {
    emit(update) {
      if (listener) listener(update);
      else early.push(update);
    },
    subscribe(next) {
      listener = next;
      const pending = early;
      early = [];
      for (const update of pending) next(update);
      return () => {
        if (listener === next) listener = undefined;
      };
    },
  };
}
