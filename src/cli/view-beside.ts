// How tail and forward run their full-screen view beside the loop that feeds it. Only the view's
// type comes from src/ui: Ink is loaded by the views themselves, on a terminal only.
import { InterruptedError } from '../errors.js';
import type { ShownView } from '../ui/full-screen.js';

/**
 * Loads the view (`load` imports Ink and returns what shows it), shows it until the user leaves it
 * or `loop` ends, then stops the loop (`stop`), waits for it and closes the view, so that an error
 * from the loop is reported on the normal screen, as one line. The loop is watched from the start:
 * a refused key can fail it while Ink loads, and a loop that has already ended by then is reported
 * without the view ever being shown. The loop obeying the stop (InterruptedError) is not an error;
 * Ctrl-C in the view becomes one. `onLeave` runs when the user left, before the loop is waited for.
 */
export async function runBesideView(
  load: () => Promise<() => ShownView>,
  loop: Promise<void>,
  stop: AbortController,
  onLeave?: () => void,
): Promise<void> {
  let ended = false;
  const end = () => void (ended = true);
  void loop.then(end, end);
  const stopped = loop.then(() => 'stopped' as const);
  // Observed here from now on; its error is thrown below.
  stopped.catch(() => undefined);
  let view: ShownView | undefined;
  try {
    const show = await load();
    if (ended) return await loop;
    view = show();
    const how = await Promise.race([view.done, stopped]);
    if (how !== 'stopped') onLeave?.();
    stop.abort();
    await loop.catch((err: unknown) => {
      if (!(err instanceof InterruptedError)) throw err;
    });
    await view.close();
    if (how === 'interrupt') throw new InterruptedError();
  } finally {
    stop.abort();
    await view?.close();
  }
}
