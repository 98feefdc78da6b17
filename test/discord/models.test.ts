/**
 * /model list|use|rename|delete through the fake Discord, on the bot that asks before a
 * training's model takes over: who may choose (Manage Server, per subcommand), the refusals
 * naming the values (both languages), `ref` suggested while typed, a host's imported model
 * picked by an admin, and a training that cannot be compared with the model in use: kept, not
 * chosen, with a "Use it" button only a server manager can press.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_PERMISSIONS, Permission, type FakeInteraction, type RecordedRequest } from "../fake-discord/index.ts";
import { writeGpt2Folder } from "../app/model-files.ts";
import { type Harness, startHarness } from "./harness.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;

let h: Harness;
let modelsDir: string;
let guild: string;

beforeAll(async () => {
  modelsDir = mkdtempSync(path.join(tmpdir(), "bot-models-"));
  mkdirSync(modelsDir, { recursive: true });
  writeGpt2Folder(path.join(modelsDir, "tiny-gpt2"));
  h = await startHarness({ installPolicy: "ask", modelsDir, training: { steps: 20, evalInterval: 10, evalBatches: 2 } });
  guild = h.fake.guild.id;
  h.fake.seedHistory(
    h.fake.channelId,
    Array.from({ length: 300 }, (_, i) => ({ content: `message ${i}: the weather is ${i % 2 ? "nice" : "grey"} today, says everyone` })),
  );
});

afterAll(async () => {
  await h?.stop();
  rmSync(modelsDir, { recursive: true, force: true });
});

function model(subcommand: string, options: Record<string, string> = {}, extra: { memberPermissions?: bigint; locale?: string } = {}) {
  return h.fake.interact({ command: "model", subcommand, options, ...extra });
}

/** What an interaction finally showed: the deferred reply's edit, or an ephemeral follow-up. */
async function shown(it: FakeInteraction): Promise<{ content: string; ephemeral: boolean }> {
  const reply = await it.reply();
  return { content: reply.content, ephemeral: reply.ephemeral };
}

/** A refusal after the public deferral: an ephemeral follow-up says why. */
async function lateRefusal(it: FakeInteraction): Promise<string> {
  const followUp = await h.fake.waitForRequest(
    (r) => r.method === "POST" && r.path === `/webhooks/${h.fake.applicationId}/${it.token}`,
    "an ephemeral follow-up",
  );
  const body = followUp.body as { content: string; flags: number };
  expect(body.flags & 64).toBe(64);
  return body.content;
}

describe("/model list", () => {
  it("shows the shipped and the host's models to anyone, the one in use marked", async () => {
    const reply = await shown(model("list"));
    expect(reply.ephemeral).toBe(false);
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("Models of this server (▶ answers now):");
    expect(lines[1]).toMatch(/^▶ default — shipped · [\d.]+ k parameters · val loss (\d\.\d{3}|–)/);
    expect(lines[2]).toMatch(/^　 tiny-gpt2 — imported \(host\) · [\d.]+ k parameters · val loss –/);
    expect(lines.at(-1)).toMatch(/^Someone with Manage Server can choose one with \/model use/);
  });

  it("in Japanese", async () => {
    const reply = await shown(model("list", {}, { locale: "ja" }));
    expect(reply.content.split("\n")[0]).toBe("このサーバーで使えるモデル（▶ がいま答えているモデル）:");
    expect(reply.content).toMatch(/tiny-gpt2 — 取り込み（ホスト） · パラメータ/);
  });
});

describe("/model use, rename, delete", () => {
  it("needs Manage Server, and changes nothing without it", async () => {
    for (const [sub, options] of [
      ["use", { ref: "tiny-gpt2" }],
      ["rename", { ref: "default", name: "x" }],
      ["delete", { ref: "default" }],
    ] as const) {
      const reply = await shown(model(sub, options));
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toBe("You need the **Manage Server** permission to use this command.");
    }
    expect(await h.registry.inUse(guild)).toEqual({ kind: "shipped" });
  });

  it("lets an admin pick one of the host's models for the server", async () => {
    const reply = await shown(model("use", { ref: "tiny-gpt2" }, { memberPermissions: ADMIN }));
    expect(reply.content).toBe("tiny-gpt2 answers here from now on (instead of default).");
    expect(await h.bot.store.models.chosen(guild)).toEqual({ kind: "imported", name: "tiny-gpt2" });
    expect((await h.registry.forGuild(guild)).identity?.kind).toBe("imported");
    const back = await shown(model("use", { ref: "default" }, { memberPermissions: ADMIN, locale: "ja" }));
    expect(back.content).toBe("これからは default が答えます（tiny-gpt2 のかわりに）。");
  });

  it("refuses a ref that names nothing and the shipped model's rename or delete, stating the values", async () => {
    expect(await lateRefusal(model("use", { ref: "gpt-9" }, { memberPermissions: ADMIN }))).toBe(
      'there is no model "gpt-9" here; the models are: default, tiny-gpt2',
    );
    expect(await lateRefusal(model("use", { ref: "gpt-9" }, { memberPermissions: ADMIN, locale: "ja" }))).toBe(
      "「gpt-9」というモデルはここにありません。使えるモデル: default, tiny-gpt2",
    );
    expect(await lateRefusal(model("rename", { ref: "default", name: "mine" }, { memberPermissions: ADMIN }))).toBe(
      "the shipped model cannot be renamed",
    );
    expect(await lateRefusal(model("delete", { ref: "default" }, { memberPermissions: ADMIN, locale: "ja" }))).toBe(
      "付属のモデルは削除できません。",
    );
    expect(await lateRefusal(model("delete", { ref: "tiny-gpt2" }, { memberPermissions: ADMIN }))).toMatch(
      /^tiny-gpt2 is one of the host's imported models: only the host can remove it/,
    );
    expect(await h.bot.store.models.chosen(guild)).toEqual({ kind: "shipped" });
  });
});

describe("ref is suggested while it is typed", () => {
  it("answers the autocomplete with this server's models that fit the subcommand", async () => {
    const it1 = h.fake.autocomplete({ command: "model", subcommand: "use", options: { ref: "tiny" }, focused: "ref" });
    const callback = (await it1.acknowledged()).body as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(callback.type).toBe(8);
    expect(callback.data.choices).toEqual([{ name: "tiny-gpt2 · imported (host)", value: "tiny-gpt2" }]);
    // rename and delete suggest only models trained here (none yet)
    const none = h.fake.autocomplete({ command: "model", subcommand: "delete", options: { ref: "" }, focused: "ref" });
    expect(((await none.acknowledged()).body as { data: { choices: unknown[] } }).data.choices).toEqual([]);
  });
});

describe("a training that cannot be compared with the model in use", () => {
  let final: RecordedRequest;
  let trainer: FakeInteraction;

  it("is kept but not chosen, and its message offers Use it", async () => {
    trainer = h.fake.interact({ command: "train", subcommand: "start", options: { preset: "tiny" }, memberPermissions: ADMIN });
    final = await h.fake.waitForRequest(
      (r) =>
        r.method === "PATCH" &&
        r.path.includes(`/${trainer.token}/messages/@original`) &&
        /^✅ Training finished/.test((r.body as { content?: string })?.content ?? ""),
      "the final /train edit",
      60_000,
    );
    const body = final.body as { content: string; components: { components: { custom_id: string; label: string }[] }[] };
    expect(body.content).toMatch(
      /The new model #1 is kept, but the shipped model still answers: the model in use was trained on other text, so their val losses cannot be compared\. To switch, press \*\*Use it\*\* or run `\/model use ref:#1`\.$/,
    );
    expect(body.components[0].components).toEqual([expect.objectContaining({ custom_id: "model-use:#1", label: "Use it" })]);
    expect(await h.registry.inUse(guild)).toEqual({ kind: "shipped" });
  });

  it("switches only when a server manager presses Use it", async () => {
    const message = { ...trainer.original!, content: (final.body as { content: string }).content };
    // a member: refused privately, nothing changes
    const member = h.fake.press({ message, customId: "model-use:#1" });
    const refused = (await member.acknowledged()).body as { type: number; data: { content: string; flags: number } };
    expect(refused.type).toBe(4);
    expect(refused.data.flags & 64).toBe(64);
    expect(refused.data.content).toBe("You need the **Manage Server** permission to use this command.");
    expect(await h.registry.inUse(guild)).toEqual({ kind: "shipped" });
    // an admin: the message says what answers now, and its button is gone
    const admin = h.fake.press({ message, customId: "model-use:#1", memberPermissions: ADMIN });
    const updated = (await admin.acknowledged()).body as {
      type: number;
      data: { content: string; components: unknown[]; allowed_mentions: unknown };
    };
    expect(updated.type).toBe(7);
    expect(updated.data.content.split("\n").at(-1)).toBe("#1 answers here from now on (instead of default).");
    expect(updated.data.components).toEqual([]);
    expect(updated.data.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(await h.bot.store.models.chosen(guild)).toEqual({ kind: "stored", modelId: 1 });
  });

  it("can be renamed and deleted by an admin; deleting the one in use says what answers now", async () => {
    const renamed = await shown(model("rename", { ref: "#1", name: "weather" }, { memberPermissions: ADMIN }));
    expect(renamed.content).toBe("Renamed: #1 “weather”.");
    const list = await shown(model("list", {}, { memberPermissions: ADMIN }));
    expect(list.content).toMatch(/\n▶ #1 “weather” — trained here · [\d.]+ k parameters · val loss \d\.\d{3} · <t:\d+:[a-zA-Z]>/);
    expect(list.content.split("\n").at(-1)).toMatch(/^Choose one with \/model use and its ref \(default, #2, a name…\)/);
    const deleted = await shown(model("delete", { ref: "weather" }, { memberPermissions: ADMIN }));
    expect(deleted.content).toBe("Deleted #1 “weather”. It was answering here: default answers now.");
    expect(await h.bot.store.models.list(guild)).toEqual([]);
    expect(await h.registry.inUse(guild)).toEqual({ kind: "shipped" });
  });
});
