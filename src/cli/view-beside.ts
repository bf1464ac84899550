// How tail and forward run their full-screen view beside the loop that feeds it. Only the view's
// type comes from src/ui: Ink is loaded by the views themselves, on a terminal only.
import { InterruptedError } from '../errors.js';
import type { ShownView } from '../ui/full-screen.js';

/**
 * Shows `view` until the user leaves it or `loop` ends, then stops the loop (`stop`), waits for
 * it and closes the view, so that an error from the loop is reported on the normal screen. The
 * loop obeying the stop (InterruptedError) is not an error; Ctrl-C in the view becomes one.
 * `onLeave` runs when the user left, before the loop is waited for.
 */
export async function runBesideView(view: ShownView, loop: Promise<void>, stop: AbortController, onLeave?: () => void): Promise<void> {
  try {
    const how = await Promise.race([view.done, loop.then(() => 'stopped' as const)]);
    if (how !== 'stopped') onLeave?.();
    stop.abort();
    await loop.catch((err: unknown) => {
      if (!(err instanceof InterruptedError)) throw err;
    });
    await view.close();
    if (how === 'interrupt') throw new InterruptedError();
  } finally {
    stop.abort();
    await view.close();
  }
}
