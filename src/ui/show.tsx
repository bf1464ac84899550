// Puts tail's view on the terminal and says how it ended. Only tail on a terminal imports this
// file, and with it Ink and React.
import type { OutStream } from '../io.js';
import type { TailSource } from '../tail/types.js';
import { showFullScreen, type ShownView } from './full-screen.js';
import type { TailInfo } from './Header.js';
import { TailView } from './TailView.js';

export type { ShownView } from './full-screen.js';

export function showTail(options: { source: TailSource; info: TailInfo; color: boolean; keys: boolean; stdout: OutStream }): ShownView {
  return showFullScreen(options.stdout, (onExit) => (
    <TailView source={options.source} info={options.info} color={options.color} keys={options.keys} onExit={onExit} />
  ));
}
