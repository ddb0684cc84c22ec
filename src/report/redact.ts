/**
 * The one redaction rule for text that may carry credentials: a URL given by the user (printed
 * in a report's "Command" section, in messages) or text a server sent back (an error page that
 * echoes the request's `Authorization: Basic …` header). Secrets become `***`:
 *
 *  - user-info of any URL in the text (`https://user:pass@host` → `https://***@host`);
 *  - values of query parameters whose name suggests a secret (token, key, password, sig, …);
 *  - `Authorization` / `Proxy-Authorization` header values, and `Basic …` / `Bearer …` tokens;
 *  - `Cookie` / `Set-Cookie` header values;
 *  - any string in `secrets` (the raw user name and password of the URL being fetched, decoded
 *    and encoded), longest first.
 *
 * Environment-neutral.
 */

/** Query parameter names whose values are secrets. */
export const SECRET_PARAM_RE = /token|secret|passw|pwd|auth|key|sig|credential|session|jwt|cookie/i;

export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('***');
  return (
    out
      // (The placeholder `user:password@` of our own hints stays.)
      .replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"<>]*)@/gi, (m, scheme: string, info: string) =>
        info === 'user:password' ? m : `${scheme}***@`,
      )
      .replace(/([?&;]([^=&#\s'"<>;]*)=)([^&#\s'"<>;]*)/g, (all, head: string, name: string) =>
        SECRET_PARAM_RE.test(name) && !all.endsWith('=***') ? `${head}***` : all,
      )
      .replace(
        /\b((?:proxy-)?authorization\s*[:=]\s*)(?:(basic|bearer|digest|token|negotiate|aws4-hmac-sha256)\s+)?[^\s,;'"]+/gi,
        (_m, head: string, scheme: string | undefined) => `${head}${scheme ? `${scheme} ` : ''}***`,
      )
      .replace(/\b(basic|bearer)\s+(?!\*\*\*)[A-Za-z0-9+/=._~-]{6,}/gi, '$1 ***')
      .replace(/\b((?:set-)?cookie\s*:\s*)[^\r\n]*/gi, '$1***')
  );
}
