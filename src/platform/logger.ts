import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths whose values are never logged. Secrets are also kept out of log calls in the first place;
 * this is the second line of defence.
 */
export const redactedPaths = [
  'token', '*.token', 'authorization', '*.authorization', 'req.headers.authorization',
  'req.headers.cookie', 'secret', '*.secret', 'password', '*.password', '*.webhookUrl', 'databaseUrl', '*.databaseUrl',
];

export function createLogger(options: { level?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { level: options.level ?? 'info', redact: { paths: redactedPaths, censor: '[redacted]' }, base: { service: 'rampart' } },
    options.destination ?? process.stderr,
  );
}

/** A logger that writes nothing: for tests and one-shot CLI commands. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
