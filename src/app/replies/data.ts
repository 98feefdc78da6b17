/**
 * The commands about a person's stored data as Replies: /settings explain, /privacy, /forget-me.
 * They need no model: the store, who asks and where. Each checks its options against the
 * catalogue, changes what it says it changes, and says so in the reader's language.
 */
import type { Lang } from "../../lang.ts";
import type { AsyncStore } from "../../store/async-store.ts";
import { checkValues } from "../catalogue/check.ts";
import type { OptionValue } from "../catalogue/index.ts";
import { DATA_SENTENCES } from "../data-sentences.ts";
import { inputError } from "../input-messages.ts";
import type { ModelRegistry } from "../model-registry.ts";
import { forgetAuthor } from "../privacy.ts";
import { type Part, type Reply, text } from "../reply.ts";
import type { Trainings } from "../training-service.ts";
import { setExplainMode } from "../user-settings.ts";
import type { ReplyOptions } from "./options.ts";

/** What a data command is given by its surface. */
export interface DataContext {
  lang: Lang;
  store: Pick<AsyncStore, "settings" | "messages" | "models" | "forgetGuild">;
  /** the space (a guild) the data belong to; null: a direct message */
  space: string | null;
  /** who asks */
  user: string;
  /** a wipe ends the space's training first, and drops its models from memory */
  training: Pick<Trainings, "discard">;
  registry: Pick<ModelRegistry, "forget">;
}

/** A data command: checked and done when called (an InputError for a bad option, nothing changed). */
export type DataUseCase = (dc: DataContext, options: ReplyOptions) => Reply | Promise<Reply>;

/** A required option's value checked against the catalogue (absent: an InputError naming it). */
export function requiredValue(command: string, name: string, value: OptionValue | undefined): OptionValue {
  if (value === undefined) throw inputError("option-missing", { command, option: name });
  return checkValues(command, { [name]: value })[name];
}

/** A reply of sentences, one line each. */
export function sentences(...lines: (string | Part[])[]): Reply {
  return { body: lines.map((l) => ({ line: typeof l === "string" ? (l === "" ? [] : [text(l)]) : l })), notices: [], pictures: [] };
}

/** /settings explain mode:on|off — the person's explain mode for chat replies. */
export const explainModeReply: DataUseCase = async (dc, o) => {
  const on = requiredValue("settings explain", "mode", o.mode) === "on";
  await setExplainMode(dc.store, dc.space, dc.user, on);
  return sentences(DATA_SENTENCES[dc.lang].explainModeSet(on));
};

/** /privacy — what is stored, and for how long. */
export const privacyReply: DataUseCase = (dc) => sentences(...DATA_SENTENCES[dc.lang].privacy);

/** /forget-me — the person's stored messages in the space deleted, and whether the model read them. */
export const forgetMeReply: DataUseCase = async (dc) => {
  if (dc.space === null) throw new Error("/forget-me needs a space (the catalogue makes it guild-only)");
  return sentences(DATA_SENTENCES[dc.lang].forgotten(await forgetAuthor(dc.store, dc.space, dc.user)));
};
