// Puts forward's view on the terminal, as tail's show.tsx does. Only forward on a terminal imports
// this file, and with it Ink and React.
import type { OutStream } from '../../io.js';
import { showFullScreen } from '../full-screen.js';
import { ForwardView, type ForwardViewProps } from './ForwardView.js';

export function showForward(options: Omit<ForwardViewProps, 'onExit'> & { stdout: OutStream }) {
  const { stdout, ...props } = options;
  return showFullScreen(stdout, (onExit) => <ForwardView {...props} onExit={onExit} />);
}
