/**
 * What the bot and the playground say about fine-tuning (/train start base:…, the panel's base
 * choice), once per language: the memory refusal with its figures, a refused base, the preset
 * that a base makes moot, and the line naming the base of the model made.
 */
import type { Lang } from "../lang.ts";
import { formatInt } from "./number-format.ts";
import type { MemoryTooSmall } from "./training-memory.ts";

export interface FineTuneSentences {
  /** the machine (or the kernels' 4 GiB) cannot hold the fine-tuning of `base` */
  notEnoughMemory(v: MemoryTooSmall & { base: string }): string;
  /** too little text for the base's window (its figures) */
  notEnoughText(v: { base: string; messages: number; characters: number; needMessages: number; needCharacters: number }): string;
  /** the ref names no model the space may use, or one that cannot be loaded */
  badBase(code: string, v: { ref?: unknown; reason?: unknown; choices?: unknown }): string;
  /** both base and preset were given: the preset is not used */
  presetIgnored(v: { base: string; preset: string }): string;
  /** the first line of a fine-tuning's progress and of its outcome */
  fineTuning(v: { base: string }): string;
  /** the playground's reply when a fine-tuning starts */
  started(v: { base: string; minutes: number; messages: number; characters: number }): string;
  /** what the model made is: "fine-tuned from X" */
  fineTunedFrom(v: { base: string }): string;
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

const en: FineTuneSentences = {
  notEnoughMemory: (v) =>
    `Fine-tuning **${v.base}** (${formatInt(v.parameters, "en")} parameters, a batch of ${v.batch} × ${v.context} tokens) needs ${gib(v.neededBytes)} of memory; ${
      v.limit === "machine" ? "this machine has" : "the training kernels can hold at most"
    } ${gib(v.availableBytes)}. Nothing was read or trained: choose a smaller base.`,
  notEnoughText: (v) =>
    `Not enough text to fine-tune **${v.base}**: ${formatInt(v.messages, "en")} messages, ${formatInt(v.characters, "en")} characters; its window needs at least ${formatInt(v.needMessages, "en")} messages and ${formatInt(v.needCharacters, "en")} characters. Nothing was trained.`,
  badBase: (code, v) =>
    code === "unknown-model" || code === "ambiguous-model"
      ? `There is no model \`${String(v.ref ?? "")}\` to fine-tune here${v.choices ? `; the choices are: ${String(v.choices)}` : ""}.`
      : `\`${String(v.ref ?? "")}\` cannot be fine-tuned: ${String(v.reason ?? "it cannot be loaded")}.`,
  presetIgnored: (v) => `The preset **${v.preset}** is not used: fine-tuning keeps **${v.base}**'s size and tokenizer.`,
  fineTuning: (v) => `Fine-tuning **${v.base}** (its size and tokenizer kept).`,
  started: (v) =>
    `Fine-tuning **${v.base}** (its size and tokenizer kept) for up to ${v.minutes} min on ${formatInt(v.messages, "en")} passages (${formatInt(v.characters, "en")} characters). The current model answers until it is ready.`,
  fineTunedFrom: (v) => `Fine-tuned from **${v.base}**.`,
};

const ja: FineTuneSentences = {
  notEnoughMemory: (v) =>
    `**${v.base}** の微調整（パラメータ ${formatInt(v.parameters, "ja")} 個、バッチ ${v.batch} × ${v.context} トークン）には ${gib(v.neededBytes)} のメモリが必要ですが、${
      v.limit === "machine" ? "このマシンで使えるのは" : "学習のカーネルが持てるのは最大"
    } ${gib(v.availableBytes)} です。何も読まず、学習もしていません。もっと小さいモデルを選んでください。`,
  notEnoughText: (v) =>
    `**${v.base}** を微調整するには文章が足りません: ${formatInt(v.messages, "ja")} 件、${formatInt(v.characters, "ja")} 文字。このモデルの窓には少なくとも ${formatInt(v.needMessages, "ja")} 件、${formatInt(v.needCharacters, "ja")} 文字が必要です。何も学習していません。`,
  badBase: (code, v) =>
    code === "unknown-model" || code === "ambiguous-model"
      ? `ここには微調整できるモデル \`${String(v.ref ?? "")}\` がありません${v.choices ? `。選べるのは: ${String(v.choices)}` : ""}。`
      : `\`${String(v.ref ?? "")}\` は微調整できません: ${String(v.reason ?? "読み込めません")}。`,
  presetIgnored: (v) => `プリセット **${v.preset}** は使いません。微調整では **${v.base}** の大きさとトークナイザをそのまま使います。`,
  fineTuning: (v) => `**${v.base}** を微調整しています（大きさとトークナイザはそのまま）。`,
  started: (v) =>
    `**${v.base}** を微調整します（大きさとトークナイザはそのまま）。${formatInt(v.messages, "ja")} 個の文章（${formatInt(v.characters, "ja")} 文字）で最大 ${v.minutes} 分。完成までは今のモデルが答えます。`,
  fineTunedFrom: (v) => `**${v.base}** から微調整したモデルです。`,
};

export function fineTuneSentences(lang: Lang): FineTuneSentences {
  return lang === "ja" ? ja : en;
}

/** The base a checkpoint's `extra` names (a fine-tuned model's), or null. */
export function fineTunedFrom(extra: unknown): string | null {
  const name = (extra as { base?: { name?: unknown } } | null | undefined)?.base?.name;
  return typeof name === "string" && name !== "" ? name : null;
}
