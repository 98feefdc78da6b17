/**
 * DATABASE_URL, checked before anything connects (the bot's config, openAsyncStore): a
 * postgres:// or postgresql:// URL naming a host. Problems quote the URL without its password.
 */

/** The URL with its password replaced by *** (for logs and errors). */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

const EXPECTED = "expected postgres://user:password@host:5432/database";

/** What is wrong with a DATABASE_URL, or null when it can be tried. */
export function databaseUrlProblem(url: string): string | null {
  if (!/^postgres(ql)?:\/\//i.test(url)) return `DATABASE_URL must start with postgres:// or postgresql://, got "${redactUrl(url)}"`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `DATABASE_URL is not a URL: "${redactUrl(url)}" (${EXPECTED})`;
  }
  // a host in the URL, or a socket folder as ?host=/var/run/postgresql
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) return `DATABASE_URL names no host: "${redactUrl(url)}" (${EXPECTED})`;
  return null;
}
