import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { packageRoot } from './paths.js';

export interface Config {
  version: string;
  host: string;
  port: number;
  /** Embedded install: the folder holding the PGlite database and everything else. */
  dataDir: string;
  /** When set, PostgreSQL is used instead of PGlite. */
  databaseUrl?: string;
  /** Origin users reach us at; used for the setup link and the CSRF origin check. */
  publicUrl?: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Sign-in and setup attempts allowed per client address per minute. */
  loginRatePerMinute: number;
  logLevel: string;
  /** How often a live stream sends a heartbeat and re-checks its session. */
  sseHeartbeatMs: number;
}

export const version: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).version;

function intFrom(value: string | undefined, fallback: number): number {
  const n = value === undefined || value === '' ? NaN : Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Reads configuration from the environment; CLI flags override through `overrides`. */
export function loadConfig(overrides: Partial<Config> = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = {
    version,
    host: env.FIREDRILL_HOST || '0.0.0.0',
    port: intFrom(env.PORT ?? env.FIREDRILL_PORT, 8080),
    dataDir: resolve(env.FIREDRILL_DATA || 'data'),
    databaseUrl: env.DATABASE_URL || undefined,
    publicUrl: env.FIREDRILL_PUBLIC_URL || undefined,
    sessionIdleMinutes: intFrom(env.FIREDRILL_SESSION_IDLE_MINUTES, 60),
    sessionAbsoluteHours: intFrom(env.FIREDRILL_SESSION_ABSOLUTE_HOURS, 12),
    loginMaxFailures: intFrom(env.FIREDRILL_LOGIN_MAX_FAILURES, 5),
    loginLockMinutes: intFrom(env.FIREDRILL_LOGIN_LOCK_MINUTES, 15),
    loginRatePerMinute: intFrom(env.FIREDRILL_LOGIN_RATE_PER_MINUTE, 20),
    logLevel: env.FIREDRILL_LOG_LEVEL || 'info',
    sseHeartbeatMs: intFrom(env.FIREDRILL_SSE_HEARTBEAT_MS, 15_000),
  };
  const merged = { ...config, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) };
  merged.dataDir = resolve(merged.dataDir);
  return merged;
}
