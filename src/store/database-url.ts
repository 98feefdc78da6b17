/**
 * DATABASE_URL, checked before anything connects (the bot's config, the playground,
 * openAsyncStore): a postgres:// or postgresql:// URL that parses (the host may be left out:
 * then the pg client's default). Problems quote the URL without its password.
 */

/** The URL with its password replaced by *** (for logs and errors). */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

/** The PostgreSQL store could not be opened (no server there, refused, a failed migration): its message says which store and why. */
export class StoreOpenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreOpenError";
  }
}

const EXPECTED = "expected postgres://user:password@host:5432/database";

/** What is wrong with a DATABASE_URL, or null when it can be tried. */
export function databaseUrlProblem(url: string): string | null {
  if (!/^postgres(ql)?:\/\//i.test(url)) return `DATABASE_URL must start with postgres:// or postgresql://, got "${redactUrl(url)}"`;
  try {
    new URL(url);
  } catch {
    return `DATABASE_URL is not a URL: "${redactUrl(url)}" (${EXPECTED})`;
  }
  return null;
}
