// `events mcp [--allow-network]`: serves the mirror to AI agents over MCP on stdio (this folder). The
// SDK is loaded here only, when this command runs, so no other command pays for it.
import type { Session } from '../cli/session.js';

export async function mcpCommand(session: Session, flags: { allowNetwork?: boolean }): Promise<void> {
  const { serveMcp } = await import('./server.js');
  await serveMcp(session.io, session.options, { allowNetwork: flags.allowNetwork === true });
}
