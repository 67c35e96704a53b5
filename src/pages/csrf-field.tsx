/** The field name @fastify/csrf-protection reads the token from. */
export const CSRF_FIELD = '_csrf';

/** The anti-forgery token every state-changing form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}
