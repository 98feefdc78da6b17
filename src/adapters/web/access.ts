/**
 * Who may use the playground. Three checks, in this order, before any route runs:
 *
 *   1. Host: the request must name one of our own host names. Another site's page could reach
 *      a server on this computer through a name of its own (DNS rebinding); its requests carry
 *      that name, so they are refused (421).
 *   2. Secret (only when HOST is not a loopback address): the request carries the playground's
 *      secret as a cookie (set by opening the printed `/?key=…` link once) or as
 *      `Authorization: Bearer <secret>`; otherwise 401.
 *   3. Origin (every request that changes state, i.e. not GET/HEAD): a browser's `Origin` must be
 *      this very server, and `Sec-Fetch-Site`, when sent, must not say another site; otherwise
 *      403. Clients that are not browsers send neither and pass.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";

/** The cookie that carries the secret (HttpOnly, SameSite=Lax: a link opened from another site still logs in; its POSTs are refused by the Origin check). */
export const SECRET_COOKIE = "minigpt_key";
/** The query parameter of the printed link: `/?key=<secret>` sets the cookie. */
export const SECRET_PARAM = "key";

export interface AccessPolicy {
  /** the interface the server listens on (HOST) */
  host: string;
  /** host names besides the loopback ones and HOST itself that the Host header may carry */
  allowedHosts: readonly string[];
  /** required when HOST is not a loopback address; null: no secret asked */
  secret: string | null;
}

export type AccessDecision =
  | { kind: "allow" }
  | { kind: "refuse"; status: 401 | 403 | 421; message: string }
  /** the printed link was opened: set the cookie and send the browser to `location` */
  | { kind: "login"; cookie: string; location: string };

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1"]);

/** Whether `host` reaches only this computer: localhost, 127.0.0.0/8 or ::1. */
export function isLoopbackHost(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1");
  return LOOPBACK_NAMES.has(name) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) || name.endsWith(".localhost");
}

function isWildcard(host: string): boolean {
  return host === "0.0.0.0" || host === "::";
}

/** The name in a Host header, without port and brackets, lower case. */
export function hostName(header: string): string {
  return header
    .trim()
    .replace(/:\d+$/, "")
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
}

/**
 * The names the Host header may carry: the loopback names, HOST itself, the configured ones, and
 * (HOST on every interface) this computer's own addresses: an address typed into the browser is
 * not a name another site controls, so it cannot be rebound.
 */
export function allowedHostNames(policy: Pick<AccessPolicy, "host" | "allowedHosts">): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, ...policy.allowedHosts.map(hostName).filter((n) => n.length > 0)]);
  if (isWildcard(policy.host)) {
    for (const addresses of Object.values(networkInterfaces())) for (const a of addresses ?? []) names.add(a.address.toLowerCase());
  } else {
    names.add(hostName(policy.host));
  }
  return names;
}

/** The decision for one request; `allowedNames` is allowedHostNames(policy), computed once. */
export function decideAccess(req: IncomingMessage, url: URL, policy: AccessPolicy, allowedNames: ReadonlySet<string>): AccessDecision {
  const method = req.method ?? "GET";
  // 1. Host
  const header = req.headers.host;
  const name = header === undefined ? "" : hostName(header);
  if (!allowedNames.has(name) && !(isLoopbackHost(name) && isLoopbackHost(policy.host))) {
    const named = [...allowedNames].filter((n) => !LOOPBACK_NAMES.has(n) && (isIP(n) === 0 || !isWildcard(policy.host)));
    const names = [...named, "localhost", ...(isWildcard(policy.host) ? ["this computer's addresses"] : [])];
    return {
      kind: "refuse",
      status: 421,
      message: `this server answers only to ${names.join(", ")} (the Host header was ${header ?? "missing"}); add a name to ALLOWED_HOSTS to use it`,
    };
  }
  // 2. the secret
  if (policy.secret !== null) {
    const offered = url.searchParams.get(SECRET_PARAM);
    if (offered !== null && (method === "GET" || method === "HEAD") && sameSecret(offered, policy.secret)) {
      url.searchParams.delete(SECRET_PARAM);
      const query = url.searchParams.toString();
      return {
        kind: "login",
        cookie: `${SECRET_COOKIE}=${policy.secret}; HttpOnly; SameSite=Lax; Path=/; Max-Age=31536000`,
        location: `${url.pathname}${query ? `?${query}` : ""}`,
      };
    }
    const carried = secretOf(req);
    if (carried === null || !sameSecret(carried, policy.secret)) {
      return {
        kind: "refuse",
        status: 401,
        message:
          "this playground is shared on the network and asks for its secret: open the link it printed when it first started (it sets a cookie), or send Authorization: Bearer <secret>",
      };
    }
  }
  // 3. Origin, for whatever changes state
  if (method !== "GET" && method !== "HEAD") {
    const origin = req.headers.origin;
    if (origin !== undefined && !sameOrigin(origin, header ?? "")) {
      return {
        kind: "refuse",
        status: 403,
        message: `requests that change something must come from this page (Origin was ${origin.slice(0, 100)})`,
      };
    }
    const site = req.headers["sec-fetch-site"];
    if (site === "cross-site" || site === "same-site") {
      return {
        kind: "refuse",
        status: 403,
        message: `requests that change something must come from this page (Sec-Fetch-Site was ${site})`,
      };
    }
  }
  return { kind: "allow" };
}

/** An Origin header names this server when its host:port is the request's Host. */
function sameOrigin(origin: string, hostHeader: string): boolean {
  try {
    const parsed = new URL(origin);
    return (parsed.protocol === "http:" || parsed.protocol === "https:") && parsed.host.toLowerCase() === hostHeader.trim().toLowerCase();
  } catch {
    return false; // "null" (a sandboxed frame, a file) and anything unparsable
  }
}

/** The secret a request carries: `Authorization: Bearer …`, else the cookie; null if none. */
function secretOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  const bearer = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth);
  if (bearer) return bearer[1];
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === SECRET_COOKIE) return value.join("=");
  }
  return null;
}

/** Compares in constant time (of the hashes), so the answer's timing says nothing about the secret. */
function sameSecret(a: string, b: string): boolean {
  const hash = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(hash(a), hash(b));
}
