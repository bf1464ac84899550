// Hands a loop's updates to the view that shows them (tail's, forward's). Updates that come before
// the view subscribes (the loop starts while Ink is still mounting) are kept and delivered on
// subscription.

export interface Hub<U> {
  emit(update: U): void;
  /** Starts delivering updates (including any that came before); returns the way to stop. */
  subscribe(listener: (update: U) => void): () => void;
}

export function createHub<U>(): Hub<U> {
  let listener: ((update: U) => void) | undefined;
  let early: U[] = [];
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
