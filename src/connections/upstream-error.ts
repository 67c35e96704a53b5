/**
 * Translates failures from openid-client, fetch and jose into HallpassErrors,
 * once, where they enter. The IdP's own `error` code is kept in
 * `upstreamError` so the admin sees exactly what the IdP said.
 */
import { HallpassError } from '../errors.ts';

/** What Hallpass was doing when the IdP failed: named in every message. */
export type UpstreamStep = 'discovery' | 'token_exchange' | 'id_token' | 'userinfo' | 'data_api';

const stepNames: Record<UpstreamStep, string> = {
  discovery: 'fetching the discovery document',
  token_exchange: 'exchanging the code at the token endpoint',
  id_token: 'validating the ID token',
  userinfo: 'fetching userinfo',
  data_api: 'reading the Clever Data API',
};

interface OAuthLikeError {
  name?: string;
  code?: string;
  error?: string;
  error_description?: string;
  status?: number;
  message?: string;
  cause?: unknown;
}

/** The login step each upstream call belongs to, for the attempt log. */
const loginSteps: Record<UpstreamStep, string | undefined> = {
  discovery: undefined,
  token_exchange: 'token_exchange',
  id_token: 'id_token',
  userinfo: 'userinfo',
  data_api: 'userinfo',
};

export function translateUpstreamError(err: unknown, step: UpstreamStep, timeoutMs: number): HallpassError {
  if (err instanceof HallpassError) return err;
  const base = { step: loginSteps[step], cause: err };
  const e = (err ?? {}) as OAuthLikeError;
  const where = stepNames[step];

  if (e.name === 'TimeoutError' || e.name === 'AbortError' || (e.cause as OAuthLikeError | undefined)?.name === 'TimeoutError') {
    return new HallpassError('upstream_timeout', `The identity provider did not answer within ${timeoutMs} ms while ${where}.`, base);
  }
  if (e.code === 'OAUTH_RESPONSE_BODY_ERROR' || e.code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') {
    const upstream = [e.error, e.error_description].filter(Boolean).join(': ');
    return new HallpassError('upstream_error', `The identity provider refused the request while ${where}: ${upstream || 'no reason given'}.`, {
      ...base,
      upstreamError: upstream || undefined,
    });
  }
  if (e.code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE') {
    return new HallpassError('upstream_error', `The identity provider rejected Hallpass's credentials while ${where} (HTTP ${e.status ?? '?'}).`, base);
  }
  // Everything openid-client raises about what the IdP sent: signatures, claims, timestamps, keys, shapes.
  if (typeof e.code === 'string' && e.code.startsWith('OAUTH_')) {
    // openid-client's message is generic ("invalid response encountered"); which
    // check failed (signature, "iss", "nonce", ...) is in the oauth4webapi error it wraps.
    const reason = (e.cause as OAuthLikeError | undefined)?.message;
    return new HallpassError('upstream_invalid_response', `The identity provider's answer was refused while ${where}: ${e.message ?? e.code}.`, {
      ...base,
      detail: reason ? `${e.code}: ${reason}` : e.code,
    });
  }
  if (err instanceof TypeError || e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND') {
    const reason = (e.cause as OAuthLikeError | undefined)?.code ?? (e.cause as OAuthLikeError | undefined)?.message ?? e.message;
    return new HallpassError('upstream_unreachable', `The identity provider could not be reached while ${where}${reason ? ` (${reason})` : ''}.`, base);
  }
  return new HallpassError('upstream_error', `The identity provider failed while ${where}.`, {
    ...base,
    detail: e.message ?? String(err),
  });
}
