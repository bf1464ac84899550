// The shape of a tool: its name and words for the client, its argument and result shapes (built
// from the `z` that sdk.ts hands over), and what it does. server.ts registers each with the SDK.
import type { z as Z } from 'zod';
import type { z as sdkZ } from '../sdk.js';
import type { ToolContext } from '../context.js';

/** The zod functions sdk.ts hands over. */
export type Zod = typeof sdkZ;
export type Shape = Record<string, Z.ZodType>;

export interface Tool<A extends Shape = Shape> {
  name: string;
  title: string;
  description: string;
  args(z: Zod): A;
  result(z: Zod): Shape;
  /** Whether it changes the mirror or calls the provider (sync_profile); every other tool only reads. */
  writes?: boolean;
  run(ctx: ToolContext, args: Z.infer<Z.ZodObject<A>>): Promise<Record<string, unknown>>;
}

/** The arguments of a tool about one event (get_event, event_history). */
export const oneEventArgs = (z: Zod) => ({
  id: z.string().describe('the event id'),
  profile: z.string().optional().describe("the profile (default: the server's --profile, else the default profile)"),
});
