/** /train start resume:true continues an interrupted run from its last checkpoint. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBER_PERMISSIONS, Permission } from "../fake-discord/index.ts";
import { type Harness, startHarness } from "../discord/harness.ts";
import { openStore } from "../../src/store/index.ts";
import { trainModel } from "../../src/app/train-model.ts";
import { loadCheckpointBytes } from "../../src/model/checkpoint.ts";
import { smallCorpus } from "../helpers/corpus.ts";

const ADMIN = MEMBER_PERMISSIONS | Permission.ManageGuild;
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ training: { steps: 20, evalInterval: 10, evalBatches: 2, vocabSize: 300 } });
});
afterAll(async () => {
  await h?.stop();
});

const start = (options: Record<string, string | number | boolean>) =>
  h.fake.interact({ command: "train", subcommand: "start", options, memberPermissions: ADMIN });

describe("/train start resume:true", () => {
  it("says so when there is nothing to resume", async () => {
    const reply = await start({ resume: true }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/no interrupted or stopped training/);
  });

  it("continues the interrupted run from its checkpoint's step, and installs the result", async () => {
    const guild = h.fake.guild.id;
    // an earlier run: stored messages, a checkpoint at step 20, then the process died
    const docs = smallCorpus();
    const earlier = trainModel(docs, { preset: "tiny", tokenizer: "bpe", vocabSize: 300, steps: 20, seed: 1337, evalInterval: 10 });
    const store = openStore(h.config.databasePath);
    try {
      store.messages.addMany(
        docs.map((text, i) => ({
          id: String(7_000_000 + i),
          guildId: guild,
          channelId: h.fake.channelId,
          authorId: "1",
          text,
          createdAt: 1000 + i,
        })),
      );
      const run = store.runs.start(guild, { preset: "tiny" });
      store.runs.saveCheckpoint(run.id, earlier.checkpoint);
      store.runs.markInterrupted([guild]);
    } finally {
      store.close();
    }
    const interaction = start({ resume: true });
    await interaction.acknowledged();
    for (let i = 0; i < 400 && h.training.current(guild); i++) await new Promise((r) => setTimeout(r, 50));
    const handle = await h.registry.forGuild(guild);
    expect(handle.name).toMatch(/^server model #\d+$/);
    expect(handle.meta.step).toBe(40); // 20 from the interrupted run + 20 more
    expect(handle.tokenizer.toJSON()).toEqual(loadCheckpointBytes(earlier.checkpoint, "earlier").meta.tokenizer);
  });
});
