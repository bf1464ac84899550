// Opening a PostgreSQL mirror: resolve the URL as libpq would, refuse transaction poolers (by the
// URL, then by what answers), open one session, and find (or create and migrate, unless
// readonly) the mirror's schema.
import { MirrorError } from '../../errors.js';
import type { Store } from '../contract.js';
import type { OpenOptions } from '../open.js';
import { connect } from './connect.js';
import { poolerMessage } from './failure.js';
import { refuseTransactionPooler } from './pooler.js';
import { prepareSchema } from './upgrade.js';
import { Session } from './session.js';
import { PostgresStore } from './store.js';
import { resolveTarget } from './target.js';

/** Opens (creating and migrating unless readonly) the mirror at `url`. */
export async function openPostgres(url: string, options: OpenOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const target = resolveTarget(url, env);
  if (target.poolerHint) throw new MirrorError(poolerMessage(target, target.poolerHint));
  const session = new Session(await connect(target, env), target);
  session.reopen = () => connect(target, env);
  try {
    await session.start();
    await refuseTransactionPooler(session, env);
    await prepareSchema(session, options.readonly ?? false, options.onUpgrade);
  } catch (err) {
    await session.end();
    throw err;
  }
  return new PostgresStore(session, target, env);
}
