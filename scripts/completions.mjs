// Writes completions/ from the live command tree: `npm run completions` after changing a command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const files = { bash: 'completions/events.bash', zsh: 'completions/_events', fish: 'completions/events.fish' };
for (const [shell, file] of Object.entries(files)) {
  fs.writeFileSync(file, execFileSync(process.execPath, ['bin/events.js', 'completion', shell], { encoding: 'utf8' }));
  console.log(`wrote ${file}`);
}
