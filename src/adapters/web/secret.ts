/**
 * The playground's secret, for when it is shared on the network (HOST not a loopback address):
 * 32 random bytes as base64url (43 characters), made at the first start and kept in a file
 * beside the database, readable by its owner only. Later starts read the same file, so links
 * and cookies stay valid until the file is deleted (which makes a new secret).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export const SECRET_FILE_NAME = "playground-secret";

export interface PlaygroundSecret {
  secret: string;
  /** where it is kept */
  file: string;
  /** made just now (the first start): the only time the link is printed */
  created: boolean;
}

export function secretFileFor(databasePath: string): string {
  return path.join(path.dirname(path.resolve(databasePath)), SECRET_FILE_NAME);
}

/** Reads the secret beside the database, or makes it there. A damaged file is an error naming it. */
export function loadOrCreateSecret(databasePath: string): PlaygroundSecret {
  const file = secretFileFor(databasePath);
  try {
    const secret = readFileSync(file, "utf8").trim();
    if (!/^[A-Za-z0-9_-]{32,}$/.test(secret)) {
      throw new Error(`${file} does not hold a playground secret (32 or more letters, digits, - or _): delete it to make a new one`);
    }
    return { secret, file, created: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const secret = randomBytes(32).toString("base64url");
  // "wx": never overwrite a secret another process made meanwhile
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return { secret, file, created: true };
}
