import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The process logger. Secrets never reach it: a request is logged as its
 * method and path only — query strings carry authorization codes, states and
 * hints — and these fields are redacted wherever they appear.
 */
export function createLogger(level: string, name = 'hallpass', destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    serializers: {
      req: (req: { method?: string; url?: string; id?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: req.url?.split('?')[0],
      }),
    },
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
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
