// The shape of a tool: its name and words for the client, its argument and result shapes, and
// what it does. server.ts registers each one with the SDK.
import type { z } from 'zod';
import type { ToolContext } from '../context.js';

export type Shape = Record<string, z.ZodType>;

export interface Tool<A extends Shape = Shape> {
  name: string;
  title: string;
  description: string;
  args: A;
  result: Shape;
  /** Whether it changes the mirror or calls the provider (sync_profile); every other tool only reads. */
  writes?: boolean;
  run(ctx: ToolContext, args: z.infer<z.ZodObject<A>>): Promise<Record<string, unknown>>;
}
