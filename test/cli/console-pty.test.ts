/**
 * `npm run console` in a pseudo-terminal (util-linux `script`), as a person types into it: the
 * store it shares with the playground (DATABASE_PATH; a model the page trained answers here),
 * the playground's commands by their names (/tokens TEXT shows tokens, /length N sets the reply
 * length), errors in the reader's language, and /predict's table aligned with wide characters.
 * Skips, saying so, where `script` is missing.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { displayWidth } from "../../src/adapters/cli/display-width.ts";
import { LOCAL_SPACE } from "../../src/app/model-identity.ts";
import { ModelRegistry } from "../../src/app/model-registry.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { trainedBytes } from "../app/model-files.ts";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

function hasScript(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
const HAS_SCRIPT = hasScript();
if (!HAS_SCRIPT) console.warn("console-pty.test: util-linux `script` is missing, the pseudo-terminal tests are skipped");

/** The console in a pseudo-terminal: what it has written (escape codes and \r removed), and a way to type. */
class Terminal {
  private raw = "";
  private readonly child: ChildProcessWithoutNullStreams;
  private closed: Promise<number>;

  constructor(args: string[], env: Record<string, string>) {
    const command = [TSX, "src/adapters/cli/main.ts", "chat", ...args].map((a) => `'${a}'`).join(" ");
    this.child = spawn("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env: { ...process.env, ...env } });
    this.child.stdout.on("data", (d) => {
      this.raw += String(d);
    });
    this.closed = new Promise((resolve) => this.child.on("close", (code) => resolve(code ?? -1)));
  }

  get text(): string {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape codes
    return this.raw.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\r/g, "");
  }

  /** Waits until the console has written `count` prompts in all (each answer ends with one). */
  async prompts(count: number): Promise<void> {
    while ((this.text.match(/^> /gm) ?? []).length < count) {
      if (this.child.exitCode !== null) throw new Error(`the console ended early:\n${this.text}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\r`);
  }

  /** What the console wrote after the line typed as `line` (its echo), up to the next prompt. */
  answerTo(line: string): string {
    const start = this.text.lastIndexOf(`> ${line}\n`);
    if (start < 0) throw new Error(`"${line}" was not typed:\n${this.text}`);
    const after = this.text.slice(start + line.length + 3);
    const end = after.search(/^> /m);
    return end < 0 ? after : after.slice(0, end);
  }

  async quit(): Promise<number> {
    this.type("/quit");
    return this.closed;
  }
}

/** Types each line after the previous answer, then /quit; returns the terminal. */
async function session(args: string[], env: Record<string, string>, lines: string[]): Promise<{ term: Terminal; code: number }> {
  const term = new Terminal(args, env);
  await term.prompts(1);
  for (const [i, line] of lines.entries()) {
    term.type(line);
    await term.prompts(i + 2);
  }
  return { term, code: await term.quit() };
}

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "console-pty-"));
  env = { DATABASE_PATH: path.join(dir, "bot.db"), LANG: "C.UTF-8", LC_ALL: "", MODELS_DIR: path.join(dir, "models") };
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAS_SCRIPT)("the console in a pseudo-terminal", () => {
  it("speaks the playground's commands: /tokens TEXT shows the tokens, /length N the reply length; its errors name the range", async () => {
    const { term, code } = await session(["--lang", "en"], env, ["/tokens 今日は good", "/length 7", "/length 999", "/nope"]);
    expect(code).toBe(0);
    expect(term.text).toContain("minigpt console — default model:");
    expect(term.text).toContain(`(store: ${env.DATABASE_PATH})`);
    const tokens = term.answerTo("/tokens 今日は good");
    expect(tokens).toMatch(/^\d+ characters → \d+ tokens \(default model: /);
    expect(tokens).toMatch(/^ {2}今日 \| は \| .*good/m);
    expect(tokens).toMatch(/^ {2}ids: \d+( \d+)+$/m);
    expect(term.answerTo("/length 7")).toContain("up to 7 tokens");
    expect(term.answerTo("/length 999")).toMatch(/^error: .*length.*1.*200.*999/);
    expect(term.answerTo("/nope")).toBe("unknown command /nope: try /help\n");
  }, 180_000);

  it("lines up /predict's table by display width, with wide (CJK, emoji) and narrow tokens", async () => {
    const { term } = await session(["--lang", "ja"], env, ["/predict 昨日は雨だったけど、 k:8", "/predict 😀 The k:8"]);
    for (const line of ["/predict 昨日は雨だったけど、 k:8", "/predict 😀 The k:8"]) {
      const rows = term
        .answerTo(line)
        .split("\n")
        .filter((l) => /^ {2}\d+\. /.test(l));
      expect(rows).toHaveLength(8);
      // the probability column ends at the same terminal column in every row
      const columns = rows.map((r) => displayWidth(r.slice(0, r.indexOf("%") + 1)));
      expect(new Set(columns).size, rows.join("\n")).toBe(1);
    }
    expect(term.answerTo("/predict 😀 The k:8")).toMatch(/^「😀 The」の次に来そうなトークン（既定のモデル）/);
  }, 180_000);

  it("answers with the model the playground trained, from the same store, and its explanation says so", async () => {
    const own = { ...env, DATABASE_PATH: path.join(dir, "trained.db") };
    const store = openStore(own.DATABASE_PATH);
    try {
      await new ModelRegistry({ models: asyncSqliteStore(store).models }).install(LOCAL_SPACE, trainedBytes(1, 3.25));
    } finally {
      store.close();
    }
    const { term } = await session(["--lang", "en"], own, ["/explain topic:loss"]);
    expect(term.text).toContain("minigpt console — your model #1: ");
    expect(term.answerTo("/explain topic:loss").split("\n")[0]).toBe(
      "Model: your model #1, the playground's own model, trained on the texts given here.",
    );
  }, 180_000);
});
