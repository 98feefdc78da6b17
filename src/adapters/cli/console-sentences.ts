/** What the console (`npm run console`) says around the commands' own replies, in both languages. */
import type { Lang } from "../../lang.ts";

export interface ConsoleSentences {
  /** the first line: which model answers, and from which store */
  banner(model: string, details: string, store: string): string;
  modelDetails(preset: string, params: string, tokenizer: string, vocab: number, valLoss: string): string;
  settings(s: { temperature: number; topK: number; topP: number; maxTokens: number; seed: number }): string;
  /** the line under the banner */
  hint: string;
  helpIntro: string;
  helpSettings: string;
  helpCommands: string;
  quit: string;
  unknownCommand(name: string): string;
  /** pictures of a reply: the terminal shows none; where the console's scriptable twin writes them */
  pictures(count: number, command: string): string;
  unknownCharacters(n: number): string;
  error: string;
}

export const CONSOLE_SENTENCES: Record<Lang, ConsoleSentences> = {
  en: {
    banner: (model, details, store) => `minigpt console — ${model}: ${details} (store: ${store})`,
    modelDetails: (preset, params, tokenizer, vocab, valLoss) =>
      `${preset} model, ${params} parameters, ${tokenizer} tokenizer (${vocab} tokens), val loss ${valLoss}`,
    settings: (s) =>
      `settings: temperature ${s.temperature}, top-k ${s.topK}, top-p ${s.topP}, up to ${s.maxTokens} tokens, seed ${s.seed}`,
    hint: "Type any text and the model continues it; /help lists the commands (the playground's, by the same names).",
    helpIntro: "Type any text and the model continues it. Commands (the playground's, with the same names and options):",
    helpSettings: "Settings of the continuation:",
    helpCommands: "The commands:",
    quit: "/quit (Ctrl-D quits too)",
    unknownCommand: (name) => `unknown command ${name}: try /help`,
    pictures: (count, command) =>
      `(${count} picture${count === 1 ? "" : "s"} not shown in the terminal: npm run cli -- ${command} … --out FILE.png writes ${count === 1 ? "it" : "them"})`,
    unknownCharacters: (n) => `(${n} character(s) were unknown to this model)`,
    error: "error",
  },
  ja: {
    banner: (model, details, store) => `minigpt コンソール — ${model}: ${details}（保存先: ${store}）`,
    modelDetails: (preset, params, tokenizer, vocab, valLoss) =>
      `${preset} モデル、パラメータ ${params} 個、${tokenizer} トークナイザー（${vocab} トークン）、検証損失 ${valLoss}`,
    settings: (s) => `設定: 温度 ${s.temperature}、top-k ${s.topK}、top-p ${s.topP}、最大 ${s.maxTokens} トークン、シード ${s.seed}`,
    hint: "文章を入力すると、モデルが続きを書きます。/help でコマンドの一覧（プレイグラウンドと同じ名前）を表示します。",
    helpIntro: "文章を入力すると、モデルが続きを書きます。コマンド（プレイグラウンドと同じ名前・同じオプション）:",
    helpSettings: "続きを書くときの設定:",
    helpCommands: "コマンド:",
    quit: "/quit（Ctrl-D でも終了）",
    unknownCommand: (name) => `${name} というコマンドはありません。/help で一覧を表示します`,
    pictures: (count, command) =>
      `（画像 ${count} 枚はターミナルには表示しません。npm run cli -- ${command} … --out FILE.png で保存できます）`,
    unknownCharacters: (n) => `（${n} 文字はこのモデルの知らない文字でした）`,
    error: "エラー",
  },
};
