import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/index.js';
import type { TimelineBus } from '../modules/timeline/bus.js';
import type { LiveStreams } from '../modules/timeline/live-streams.js';

/** What every route plugin is registered with. */
export interface RouteDeps {
  database: Database;
  config: Config;
  clock: Clock;
  /** Live timeline fan-out of this process. */
  timelineBus: TimelineBus;
  /** This process's open live streams and their shared heartbeat. */
  liveStreams: LiveStreams;
}
