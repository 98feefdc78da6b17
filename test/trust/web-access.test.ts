/**
 * The playground shared on the network (HOST=0.0.0.0): the Host check stays on with the configured
 * names, a secret is asked (bearer header, or the cookie the printed link sets), and every request
 * that changes state must come from the page itself (Origin). On 127.0.0.1, Origin is checked too.
 * Then `npm start` with HOST=0.0.0.0: the secret is made beside the database and printed once.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { TrainingService } from "../../src/app/training-service.ts";
import { startWebServer, type WebServer } from "../../src/adapters/web/server.ts";
import { loadOrCreateSecret, secretFileFor } from "../../src/adapters/web/secret.ts";
import { type AsyncStore, asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";

const SECRET = "s3cr3t-for-the-test-0123456789-abcdefghijklmnop";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port with any Host header (fetch would not let us set it). */
function send(port: number, o: { method?: string; path: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: o.method ?? "GET", path: o.path, headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end(o.body);
  });
}

const chatBody = JSON.stringify({ messages: ["hello"], lang: "en" });
const json = { "content-type": "application/json" };

let dir: string;
let store: AsyncStore;
let training: TrainingService;
let registry: ModelRegistry;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "minigpt-access-"));
  store = asyncSqliteStore(openStore(path.join(dir, "bot.db")));
  registry = new ModelRegistry({ models: store.models });
  training = new TrainingService({ store, registry });
});
afterAll(async () => {
  await training.shutdown();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("shared on the network", () => {
  let web: WebServer;
  let port: number;
  beforeAll(async () => {
    web = await startWebServer({ registry, store, training, host: "0.0.0.0", port: 0, allowedHosts: ["pi.local"], secret: SECRET });
    port = Number(new URL(web.url).port);
  });
  afterAll(async () => {
    await web?.close();
  });

  it("refuses to start without a secret", async () => {
    await expect(startWebServer({ registry, store, training, host: "0.0.0.0", port: 0 })).rejects.toThrow(
      /HOST=0\.0\.0\.0 .* needs a secret/,
    );
  });

  it("keeps the Host check: another site's name is refused, localhost and the configured names are not", async () => {
    const bearer = { authorization: `Bearer ${SECRET}` };
    const evil = await send(port, { path: "/api/commands", headers: { host: "evil.example", ...bearer } });
    expect(evil.status).toBe(421);
    expect(evil.body).toMatch(/evil\.example/);
    expect((await send(port, { path: "/api/commands", headers: { host: `localhost:${port}`, ...bearer } })).status).toBe(200);
    expect((await send(port, { path: "/api/commands", headers: { host: `pi.local:${port}`, ...bearer } })).status).toBe(200);
    expect((await send(port, { path: "/api/commands", headers: { host: `127.0.0.1:${port}`, ...bearer } })).status).toBe(200);
  });

  it("asks for the secret: none or a wrong one is refused, the bearer header is accepted", async () => {
    const host = { host: `localhost:${port}` };
    for (const headers of [host, { ...host, authorization: "Bearer wrong" }, { ...host, cookie: "minigpt_key=wrong" }]) {
      const refused = await send(port, { path: "/", headers });
      expect(refused.status).toBe(401);
      expect(refused.body).toMatch(/secret/);
      expect(refused.body).not.toContain(SECRET);
    }
    const page = await send(port, { path: "/", headers: { ...host, authorization: `Bearer ${SECRET}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<textarea id="input"');
    // POSTs too
    const chat = await send(port, { method: "POST", path: "/api/chat", headers: { ...host, ...json }, body: chatBody });
    expect(chat.status).toBe(401);
  });

  it("the printed link sets a cookie and sends the browser on without the key in the address", async () => {
    const host = { host: `localhost:${port}` };
    const wrong = await send(port, { path: "/?key=wrong", headers: host });
    expect(wrong.status).toBe(401);
    const login = await send(port, { path: new URL(web.loginUrl!).pathname + new URL(web.loginUrl!).search, headers: host });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe("/");
    const cookie = String(login.headers["set-cookie"]);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const pair = cookie.split(";")[0];
    const page = await send(port, { path: "/", headers: { ...host, cookie: `other=1; ${pair}` } });
    expect(page.status).toBe(200);
  });

  it("a request that changes state must come from this page (Origin, Sec-Fetch-Site)", async () => {
    const headers = { host: `localhost:${port}`, authorization: `Bearer ${SECRET}`, ...json };
    const extras: Record<string, string>[] = [
      { origin: "http://evil.example" },
      { origin: "null" },
      { origin: `http://localhost:${port + 1}` },
      { "sec-fetch-site": "cross-site" },
    ];
    for (const extra of extras) {
      const refused = await send(port, { method: "POST", path: "/api/train/stop", headers: { ...headers, ...extra }, body: "{}" });
      expect(refused.status, JSON.stringify(extra)).toBe(403);
    }
    const ok = await send(port, {
      method: "POST",
      path: "/api/chat",
      headers: { ...headers, origin: `http://localhost:${port}`, "sec-fetch-site": "same-origin" },
      body: chatBody,
    });
    expect(ok.status).toBe(200);
    expect(typeof JSON.parse(ok.body).text).toBe("string");
  });
});

describe("on 127.0.0.1", () => {
  it("asks no secret, and still refuses state changes from another site's page", async () => {
    const web = await startWebServer({ registry, store, training, port: 0 });
    try {
      const port = Number(new URL(web.url).port);
      const host = { host: `127.0.0.1:${port}` };
      expect(web.loginUrl).toBeNull();
      expect((await send(port, { path: "/api/commands", headers: host })).status).toBe(200);
      const cross = await send(port, {
        method: "POST",
        path: "/api/chat",
        headers: { ...host, ...json, origin: "http://evil.example" },
        body: chatBody,
      });
      expect(cross.status).toBe(403);
      const own = await send(port, {
        method: "POST",
        path: "/api/chat",
        headers: { ...host, ...json, origin: `http://127.0.0.1:${port}` },
        body: chatBody,
      });
      expect(own.status).toBe(200);
    } finally {
      await web.close();
    }
  });
});

describe("the secret file", () => {
  it("is made once beside the database (owner only), then read back; a damaged one is named", () => {
    const db = path.join(dir, "sub.db");
    const first = loadOrCreateSecret(db);
    expect(first.created).toBe(true);
    expect(first.file).toBe(path.join(dir, "playground-secret"));
    expect(first.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    const again = loadOrCreateSecret(db);
    expect(again).toEqual({ ...first, created: false });
    writeFileSync(secretFileFor(db), "short\n");
    expect(() => loadOrCreateSecret(db)).toThrow(`${first.file} does not hold a playground secret`);
    rmSync(first.file);
  });
});

describe("npm start with HOST=0.0.0.0", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const tsx = path.join(root, "node_modules/.bin/tsx");

  /** Starts the playground, returns its first lines once it prints its address, and stops it. */
  async function startOnce(cwd: string): Promise<string> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", HOST: "0.0.0.0", DATABASE_PATH: path.join(cwd, "data", "bot.db") };
    delete env.DISCORD_TOKEN;
    const child = spawn(tsx, [path.join(root, "src/main.ts")], { cwd, env });
    try {
      return await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          if (out.includes("Ctrl+C")) resolve(out);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  }

  it("makes the secret at the first start and prints the link with it only then", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "minigpt-start-shared-"));
    try {
      const first = await startOnce(cwd);
      const file = path.join(cwd, "data", "playground-secret");
      const secret = readFileSync(file, "utf8").trim();
      expect(first).toMatch(new RegExp(`open http://localhost:\\d+/\\?key=${secret} `));
      expect(first).toContain(file);
      const second = await startOnce(cwd);
      expect(second).not.toContain(secret);
      expect(second).toContain(file);
      expect(readFileSync(file, "utf8").trim()).toBe(secret);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 90_000);
});
