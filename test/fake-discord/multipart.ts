/**
 * A small multipart/form-data parser: enough for what discord.js sends with attachments
 * (`payload_json` plus `files[n]`). Keeps every part's bytes, so tests can decode a PNG.
 */
export interface MultipartPart {
  /** the form field name, e.g. "payload_json" or "files[0]" */
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  // 1. the first delimiter; each part then runs from after "\r\n" to the next "\r\n--boundary"
  let start = body.indexOf(delimiter);
  if (start < 0) throw new Error(`multipart body has no boundary "${boundary}"`);
  for (;;) {
    const afterDelimiter = start + delimiter.length;
    // "--" after the delimiter ends the body
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === "--") break;
    const headersStart = afterDelimiter + 2; // skip \r\n
    const headersEnd = body.indexOf("\r\n\r\n", headersStart);
    if (headersEnd < 0) throw new Error("multipart part without a blank line after its headers");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd);
    if (next < 0) throw new Error("multipart part without a closing boundary");
    // 2. the part's headers
    const headers = parseHeaders(body.subarray(headersStart, headersEnd).toString("utf8"));
    const disposition = headers.get("content-disposition") ?? "";
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw new Error(`multipart part without a name: ${disposition}`);
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({
      name,
      ...(filename !== undefined && { filename }),
      ...(headers.has("content-type") && { contentType: headers.get("content-type") }),
      data: Buffer.from(body.subarray(headersEnd + 4, next)),
    });
    start = next + 2;
  }
  return parts;
}

function parseHeaders(text: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of text.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}
