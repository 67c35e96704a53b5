import type { Config } from './config/index.ts';
import type { Logger } from './log.ts';
import type { SecretBox } from './secrets.ts';
import type { Store } from './store/types.ts';

/** What every area of the broker is given at start-up: configuration, storage, secrets, clock. */
export interface HallpassContext {
  readonly config: Config;
  readonly store: Store;
  readonly secrets: SecretBox;
  readonly logger: Logger;
  /** Milliseconds since the epoch; injectable so tests can move time. */
  readonly now: () => number;
}

/** Options every area plugin receives. */
export interface AreaOptions {
  ctx: HallpassContext;
}
