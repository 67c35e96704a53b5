import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Logger } from 'pino';

/** What every log line written while serving one request carries. */
interface RequestScope {
  reqId: string;
  /** The login attempt this request belongs to, once known: the reference on the person's error page. */
  loginAttemptId?: string;
}

const requestScope = new AsyncLocalStorage<RequestScope>();

/** Runs `next` (the rest of a request's handling) in a scope whose log lines carry `reqId`. */
export function runInRequestScope(reqId: string, next: () => void): void {
  requestScope.run({ reqId }, next);
}

/** From here on, this request's log lines carry the login attempt's ID (the reference its error page shows). */
export function tagLoginAttempt(loginAttemptId: string): void {
  const scope = requestScope.getStore();
  if (scope) scope.loginAttemptId = loginAttemptId;
}

/**
 * The process logger. Secrets never reach it: a request is logged as its
 * method and path only — query strings carry authorization codes, states and
 * hints — and these fields are redacted wherever they appear.
 */
export function createLogger(level: string, name = 'hallpass', destination?: DestinationStream): Logger {
  let root: Logger | undefined;
  const options: pino.LoggerOptions = {
    name,
    level,
    // Lines logged through the process logger during a request get its ID (Fastify's request
    // logger has it already), and a sign-in's lines get the attempt's reference.
    mixin(_line, _level, logger) {
      const scope = requestScope.getStore();
      if (!scope) return {};
      const fields: Record<string, string> = logger === root ? { reqId: scope.reqId } : {};
      if (scope.loginAttemptId) fields.loginAttemptId = scope.loginAttemptId;
      return fields;
    },
    serializers: {
      // The route's pattern, not the path: paths can carry credentials (setup-link and invitation
      // tokens, `/setup/:token`), query strings too (codes, states). Unmatched paths log as they are.
      req: (req: { method?: string; url?: string; id?: unknown; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        path: req.routeOptions?.url ?? req.url?.split('?')[0],
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
  root = destination ? pino(options, destination) : pino(options);
  return root;
}

export type { Logger };
