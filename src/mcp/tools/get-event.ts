// get_event: one event's raw JSON exactly as stored. The mirror only, unless the server was
// started with --allow-network: then an event it does not hold is fetched and stored, as
// `events get` does.
import { findEvent } from '../../cli/commands/get.js';
import type { Json } from '../../providers/types.js';
import { RESULT_BUDGET } from '../result.js';
import { THIRD_PARTY, getResult } from '../schemas.js';
import { oneEventArgs, type Tool } from './tool.js';

export const getEvent: Tool<ReturnType<typeof oneEventArgs>> = {
  name: 'get_event',
  title: 'Get one event',
  description: `One event's raw JSON, exactly as the mirror stores it. ${THIRD_PARTY}`,
  args: oneEventArgs,
  result: getResult,
  async run(ctx, a) {
    const offline = !ctx.server.allowNetwork;
    const { profile, provider, event } = await findEvent(ctx.session(a.profile), a.id, { offline });
    const whole = event.raw.length <= RESULT_BUDGET;
    return {
      profile,
      provider,
      id: event.id,
      type: event.type,
      time: new Date(event.time).toISOString(),
      updated: new Date(event.updated).toISOString(),
      object: event.object,
      event: whole ? (JSON.parse(event.raw) as Json) : null,
      raw_chars: event.raw.length,
      ...(whole ? {} : { raw_prefix: event.raw.slice(0, RESULT_BUDGET) }),
    };
  },
};
