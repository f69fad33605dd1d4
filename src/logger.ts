/**
 * prismgate's logger: JSON lines (what log collectors read) unless standard output is a terminal, where a person
 * reads human-readable lines instead, as pino-pretty prints them. `LOG_FORMAT=json|pretty` overrides the guess.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

export function logFormat(env: NodeJS.ProcessEnv = process.env, terminal = process.stdout.isTTY): LogFormat {
  if (env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty') return env.LOG_FORMAT;
  return terminal ? 'pretty' : 'json';
}

export function createLogger(level: string, format: LogFormat = logFormat()): Logger {
  const options = { name: 'prismgate', level };
  if (format === 'json') return pino(options);
  // Synchronous on the main thread: a terminal is a person reading, not a load to shed to a worker.
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY, sync: true, translateTime: 'SYS:HH:MM:ss.l' }),
  );
}
