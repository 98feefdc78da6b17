/**
 * The load run's fake Discord, in a process of its own (so its work never shares the bot's event
 * loop): it serves the REST API and gateway on 127.0.0.1, and on the parent's word sends the
 * load and measures it from Discord's side.
 *
 *   parent → child  { type: "seed" }            300 messages in #general
 *                   { type: "train" }           /train start preset:tiny (answered { type: "training-asked" })
 *                   { type: "load", count }     `count` interactions at once: every 4th a chat mention,
 *                                               the others /predict and /attention (answered { type: "results" })
 *   child → parent  { type: "ready", apiUrl, token, applicationId, guildId, channelId }
 */
import { performance } from "node:perf_hooks";
import { strings } from "../../src/adapters/discord/i18n.ts";
import { FakeDiscord, MEMBER_PERMISSIONS, Permission } from "../fake-discord/index.ts";

/** One interaction or chat message as Discord saw it (ms from sending). */
export interface LoadSample {
  kind: "predict" | "attention" | "chat";
  /** when the callback arrived (interactions only) */
  ack: number | null;
  /** when the answer was shown; null: none within the time limit (lost) */
  answer: number | null;
  /** the callback came after Discord's 3 s */
  late: boolean;
  /** a real answer: a picture for a command, the model's words for a chat (not "busy", not an error) */
  real: boolean;
  /** what was shown instead of a real answer */
  text?: string;
}

const ANSWER_TIMEOUT_MS = 120_000;
const send = (message: unknown) => process.send!(message);
const fake = await FakeDiscord.start();
fake.setMaxListeners(0); // one waiter per interaction of the load
const channel = fake.channelId;
const refusals = new Set([strings("en").busy, strings("ja").busy]);

function chatOnce(i: number): Promise<LoadSample> {
  const t0 = performance.now();
  const said = fake.say({ content: `<@${fake.botUser.id}> hello ${i}` });
  return fake
    .waitForRequest(
      (r) =>
        r.method === "POST" &&
        (r.body as { message_reference?: { message_id?: string } } | undefined)?.message_reference?.message_id === said.id,
      "a chat reply",
      ANSWER_TIMEOUT_MS,
    )
    .then(
      (r) => {
        const content = String((r.body as { content?: string }).content ?? "");
        const real = content.length > 0 && !refusals.has(content) && !/try again in/.test(content);
        return {
          kind: "chat" as const,
          ack: null,
          answer: performance.now() - t0,
          late: false,
          real,
          ...(!real && { text: content.slice(0, 200) }),
        };
      },
      () => ({ kind: "chat" as const, ack: null, answer: null, late: false, real: false }),
    );
}

async function commandOnce(i: number): Promise<LoadSample> {
  const kind = i % 4 === 0 ? "attention" : "predict";
  const t0 = performance.now();
  const interaction = fake.interact({ command: kind, options: { text: `hello world ${i}` } });
  let ack: number | null = null;
  // when Discord received the callback (its 3-second deadline is about that moment)
  interaction.acknowledged().then(
    (callback) => (ack = callback.at - t0),
    () => undefined,
  );
  try {
    const reply = await interaction.reply(ANSWER_TIMEOUT_MS);
    const real = !reply.ephemeral && reply.files.length === 1;
    return {
      kind,
      ack,
      answer: performance.now() - t0,
      late: interaction.late === true,
      real,
      ...(!real && { text: reply.content.slice(0, 200) }),
    };
  } catch {
    return { kind, ack, answer: null, late: interaction.late === true, real: false };
  }
}

process.on("message", async (message: { type: string; count?: number }) => {
  if (message.type === "seed") {
    fake.seedHistory(
      channel,
      Array.from({ length: 300 }, (_, i) => ({ content: `message ${i}: the weather is nice today and tea is good` })),
    );
    send({ type: "seeded" });
  } else if (message.type === "train") {
    await fake
      .interact({
        command: "train",
        subcommand: "start",
        options: { preset: "tiny" },
        memberPermissions: MEMBER_PERMISSIONS | Permission.ManageGuild,
      })
      .acknowledged();
    send({ type: "training-asked" });
  } else if (message.type === "load") {
    const count = message.count ?? 0;
    const samples = await Promise.all(Array.from({ length: count }, (_, i) => (i % 4 === 3 ? chatOnce(i) : commandOnce(i))));
    send({ type: "results", samples });
  } else if (message.type === "stop") {
    await fake.stop();
    process.exit(0);
  }
});

send({
  type: "ready",
  apiUrl: fake.apiUrl,
  token: fake.token,
  applicationId: fake.applicationId,
  guildId: fake.guild.id,
  channelId: channel,
});
