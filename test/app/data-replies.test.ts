/**
 * The data commands as Replies (/settings explain, /privacy, /forget-me, /admin): each does what
 * it says to a real SQLite store, refuses a bad value by name with nothing changed, and its Reply
 * is formatted by the same formatters as every other command (a channel: a link on Discord, #id
 * elsewhere).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { terminalText } from "../../src/adapters/cli/reply-format.ts";
import { discordMessages } from "../../src/adapters/discord/reply-format.ts";
import { webReply } from "../../src/adapters/web/reply-format.ts";
import { allowedChannels, retentionDays } from "../../src/app/guild-policy.ts";
import { InputError } from "../../src/app/prompt.ts";
import { adminChannelsReply, adminRetentionReply, adminWipeReply, channelIds } from "../../src/app/replies/admin.ts";
import { type DataContext, explainModeReply, forgetMeReply, privacyReply } from "../../src/app/replies/data.ts";
import { allParts, type Reply } from "../../src/app/reply.ts";
import { explainModeOn } from "../../src/app/user-settings.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { type AsyncStore, asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore, type Store } from "../../src/store/index.ts";
import { tinyCheckpointBytes } from "../discord/tiny-model.ts";

const GUILD = "100000000000000001";
const ALICE = "200000000000000001";
const BOB = "200000000000000002";
const DAY = 24 * 60 * 60 * 1000;

let store: Store;
/** the same store as the use cases see it */
let shared: AsyncStore;
let clock: number;
let calls: string[];
const context = (over: Partial<DataContext> = {}): DataContext => ({
  lang: "en",
  store: shared,
  space: GUILD,
  user: ALICE,
  training: { discard: async (space) => void calls.push(`discard ${space} (${store.messages.count(space)} messages left)`) },
  registry: { forget: (space) => void calls.push(`forget ${space}`) },
  ...over,
});

const message = (id: string, authorId: string, createdAt: number) => ({
  id,
  guildId: GUILD,
  channelId: "300",
  authorId,
  text: `message ${id}`,
  createdAt,
});

/** The Reply's words, as the terminal shows them (no markup). */
const words = (reply: Reply) => terminalText(reply).out;

/** The InputError a call is refused with. */
async function refusal(call: () => unknown): Promise<InputError> {
  try {
    await call();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error("the call was not refused");
}

beforeEach(() => {
  clock = Date.now(); // applyRetention reads the real clock
  store = openStore(path.join(mkdtempSync(path.join(tmpdir(), "data-replies-")), "bot.db"), { now: () => clock });
  shared = asyncSqliteStore(store);
  calls = [];
});
afterEach(() => store.close());

describe("/settings explain", () => {
  it("turns the person's explain mode on and off, in their language", async () => {
    const on = await explainModeReply(context({ lang: "ja" }), { mode: "on" });
    expect(await explainModeOn(shared, GUILD, ALICE)).toBe(true);
    expect(await explainModeOn(shared, GUILD, BOB)).toBe(false);
    expect(words(on)).toMatch(/説明モードを.*オン/);
    const off = await explainModeReply(context(), { mode: "off" });
    expect(await explainModeOn(shared, GUILD, ALICE)).toBe(false);
    expect(words(off)).toMatch(/Explain mode is off/);
  });

  it("refuses a mode that is not on or off, naming it, and changes nothing", async () => {
    await explainModeReply(context(), { mode: "on" });
    const err = await refusal(() => explainModeReply(context(), { mode: "maybe" }));
    expect(err.code).toBe("bad-option");
    expect(err.message).toMatch(/maybe/);
    expect(err.message).toMatch(/on, off/);
    expect((await refusal(() => explainModeReply(context(), {}))).code).toBe("option-missing");
    expect(await explainModeOn(shared, GUILD, ALICE)).toBe(true);
  });
});

describe("/privacy", () => {
  it("lists what is stored, one line per item, the same on every surface", async () => {
    for (const lang of ["en", "ja"] as const) {
      const reply = await privacyReply(context({ lang }), {});
      const [discord, ...more] = discordMessages(reply);
      expect(more).toEqual([]);
      const lines = discord.content!.split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(6);
      expect(lines[0]).toMatch(lang === "en" ? /^\*\*What this bot stores/ : /^\*\*このボットが保存するもの/);
      expect(webReply(reply).text).toBe(discord.content);
      expect(words(reply)).not.toContain("**");
      expect(words(reply)).toMatch(/forget-me/);
    }
  });
});

describe("/forget-me", () => {
  it("deletes only the person's messages in the space, and says whether the model read them", async () => {
    store.messages.addMany([message("1", ALICE, clock - 3 * DAY), message("2", ALICE, clock - 2 * DAY), message("3", BOB, clock - DAY)]);
    // a model made after the messages were stored read them
    store.models.add({
      guildId: GUILD,
      checkpoint: tinyCheckpointBytes(1),
      config: loadCheckpointBytes(tinyCheckpointBytes(1), "tiny").config,
      step: 1,
    });
    const first = words(await forgetMeReply(context(), {}));
    expect(first).toMatch(/Deleted 2 stored messages of yours/);
    expect(first).toMatch(/was trained on them/);
    expect(store.messages.recent(GUILD, { limit: 10 }).map((m) => m.id)).toEqual(["3"]);
    const again = words(await forgetMeReply(context(), {}));
    expect(again).toMatch(/no stored messages of yours/);
    expect(again).toMatch(/not trained on them/);
  });
});

describe("/admin", () => {
  it("channels: the ids given as mentions or bare ids, shown as links on Discord and #id elsewhere", async () => {
    const ids = ["123456789012345678", "223456789012345678"];
    expect(channelIds(`<#${ids[0]}> and ${ids[1]}, not 12345`)).toEqual(ids);
    const reply = await adminChannelsReply(context(), { channels: `<#${ids[0]}> ${ids[1]}` });
    expect(await allowedChannels(shared, GUILD)).toEqual(ids);
    expect(allParts(reply).filter((p) => p.kind === "channel")).toEqual(ids.map((id) => ({ kind: "channel", id })));
    expect(discordMessages(reply)[0].content).toBe(`\`/train\` may now read only: <#${ids[0]}> <#${ids[1]}>.`);
    expect(webReply(reply).text).toBe(`\`/train\` may now read only: #${ids[0]} #${ids[1]}.`);
    const any = await adminChannelsReply(context({ lang: "ja" }), {});
    expect(await allowedChannels(shared, GUILD)).toBeNull();
    expect(words(any)).toMatch(/すべてのチャンネル/);
  });

  it("retention: older stored messages deleted at once; a value outside the catalogue's range refused, nothing changed", async () => {
    store.messages.addMany([message("1", ALICE, clock - 40 * DAY), message("2", ALICE, clock - DAY)]);
    const err = await refusal(() => adminRetentionReply(context(), { days: 4000 }));
    expect(err.code).toBe("bad-option");
    expect(err.values).toMatchObject({ option: "days", value: "4000", min: 0, max: 3650 });
    expect(await retentionDays(shared, GUILD)).toBeNull();
    expect(store.messages.count(GUILD)).toBe(2);
    const reply = await adminRetentionReply(context(), { days: 30 });
    expect(words(reply)).toMatch(/older than 30 days are now deleted/);
    expect(await retentionDays(shared, GUILD)).toBe(30);
    expect(store.messages.recent(GUILD, { limit: 10 }).map((m) => m.id)).toEqual(["2"]);
  });

  it("wipe: asks for confirm first; then ends the training before deleting, and forgets the models", async () => {
    store.messages.addMany([message("1", ALICE, clock - DAY), message("2", BOB, clock - DAY)]);
    const asked = await adminWipeReply(context(), {});
    expect(words(asked)).toMatch(/confirm: true/);
    expect(store.messages.count(GUILD)).toBe(2);
    expect(calls).toEqual([]);
    const wiped = await adminWipeReply(context(), { confirm: true });
    expect(store.messages.count(GUILD)).toBe(0);
    expect(calls).toEqual([`discard ${GUILD} (2 messages left)`, `forget ${GUILD}`]);
    expect(words(wiped)).toMatch(/Wiped this server's data: \d+ stored rows/);
  });
});
