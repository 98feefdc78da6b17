/**
 * `npm start` without DISCORD_TOKEN: the playground on 127.0.0.1, its address printed; a bad
 * PORT is refused with a sentence naming it.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { playgroundSettings } from "../../src/adapters/web/playground.ts";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

describe("npm start without a token", () => {
  it("serves the playground on 127.0.0.1 and prints its address", async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), "minigpt-start-")); // no .env here
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", DATABASE_PATH: path.join(cwd, "bot.db") };
    delete env.DISCORD_TOKEN;
    delete env.HOST;
    const child = spawn(tsx, [path.join(root, "src/main.ts")], { cwd, env });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const match = /open (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match) resolve(match[1]);
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<textarea id="input"');
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);

  it("reads PORT and HOST, refusing a bad port", () => {
    expect(playgroundSettings({})).toMatchObject({ host: "127.0.0.1", port: 3000 });
    expect(playgroundSettings({ PORT: "8080", HOST: "0.0.0.0" })).toMatchObject({ host: "0.0.0.0", port: 8080 });
    expect(() => playgroundSettings({ PORT: "eighty" })).toThrow('PORT must be a whole number from 0 to 65535, got "eighty"');
    expect(() => playgroundSettings({ PORT: "70000" })).toThrow(/got "70000"/);
  });
});
