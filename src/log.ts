import pino, { type Logger } from 'pino';

/**
 * The process logger. Secrets never reach it: request logging records method,
 * URL path and status only, and these paths are redacted wherever they appear.
 */
export function createLogger(level: string, name = 'hallpass'): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        '*.client_secret',
        '*.code_verifier',
        '*.access_token',
        '*.id_token',
        '*.password',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };
