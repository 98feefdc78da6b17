/**
 * The few HTTP pieces the playground's server needs on top of node:http: reading a JSON body
 * with a size limit, and answering in JSON with the page's security headers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** Every error the server answers with: the status and a sentence for the user. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a page of ours may do: load its own scripts, styles and images, talk to its own server.
 * Nothing a user types can become a script even if it ever reached the page as HTML.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Reads a JSON object body of at most `limit` bytes: 413 above it, 415 for another type, 400 for bad JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") throw new HttpError(415, `send the request as application/json (got "${type || "no content type"}")`);
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit)
    throw new HttpError(413, `the request body is ${declared} bytes; at most ${limit} bytes are accepted here`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request body is over ${limit} bytes; at most ${limit} bytes are accepted here`);
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the request body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "the request body must be a JSON object");
  return value as Record<string, unknown>;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
  });
  res.end(text);
}

export function sendBytes(res: ServerResponse, type: string, bytes: Uint8Array, cache = "no-store"): void {
  res.writeHead(200, { ...SECURITY_HEADERS, "content-type": type, "content-length": bytes.length, "cache-control": cache });
  res.end(bytes);
}

/** A PNG's width and height, from its header (IHDR): what the page shows and the tests check. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
