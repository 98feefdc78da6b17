/**
 * What two surfaces say alike (the bot and the playground), once per language: the notes under
 * a reply, the lines of /attention and /tokens, the footers of /generate and /trace. Medium
 * marks (Discord's "-# " small text, its 2000-character limit) are added by each adapter.
 */
import type { Lang } from "../lang.ts";
import { formatInt } from "./number-format.ts";

export interface SharedSentences {
  unknownChars(count: number): string;
  droppedTokens(count: number): string;
  attentionHead(v: { quote: string; model: string; layer: number; head: number }): string;
  attentionGrid(v: { quote: string; model: string; layers: number; heads: number; layer?: number }): string;
  generateFooter(v: { model: string; tokens: number; temperature: number; topK: number; topP: number; seed: number }): string;
  traceFooter(v: { model: string; steps: number; seed: number }): string;
  tokensLine(v: { characters: number; tokens: number; kind: string; vocabSize: number; model: string }): string;
}

/** A tokenizer's kind as a sentence names it: "character", "BPE", "character BPE" (before "tokenizer"). */
export function tokenizerKindName(kind: string, lang: Lang): string {
  const names: Record<string, Record<Lang, string>> = {
    char: { en: "character", ja: "文字単位の" },
    bpe: { en: "BPE", ja: "BPE" },
    charbpe: { en: "character BPE", ja: "文字単位のBPE" },
  };
  return names[kind]?.[lang] ?? kind;
}

const en: SharedSentences = {
  unknownChars: (n) => `${n} character${n === 1 ? " is" : "s are"} unknown to this model (shown as <unk>).`,
  droppedTokens: (n) => `The text was too long for the model's context: the first ${n} token${n === 1 ? " was" : "s were"} left out.`,
  attentionHead: (v) =>
    `Attention of layer ${v.layer}, head ${v.head} for “${v.quote}” (${v.model}): each row is a token, its colours show how much it looks at each earlier token.`,
  attentionGrid: (v) =>
    `Attention of all ${v.layers} layers × ${v.heads} heads for “${v.quote}” (${v.model}).` +
    (v.layer !== undefined ? ` To see one head of layer ${v.layer} large, add head.` : " Add layer and head to see one of them large."),
  generateFooter: (v) =>
    `${v.model} · ${v.tokens} token${v.tokens === 1 ? "" : "s"} · temperature ${v.temperature} · top_k ${v.topK} · top_p ${v.topP} · seed ${v.seed}`,
  traceFooter: (v) =>
    `${v.model} · ${v.steps} step${v.steps === 1 ? "" : "s"} · seed ${v.seed} · each row of the picture is one step: the candidates the model weighed and the token it chose`,
  tokensLine: (v) =>
    `${formatInt(v.characters, "en")} character${v.characters === 1 ? "" : "s"} → **${formatInt(v.tokens, "en")} token${v.tokens === 1 ? "" : "s"}** (${v.model}: ${tokenizerKindName(v.kind, "en")} tokenizer, vocabulary of ${formatInt(v.vocabSize, "en")}).`,
};

const ja: SharedSentences = {
  unknownChars: (n) => `このモデルが知らない文字が ${n} 個ありました（<unk> と表示）。`,
  droppedTokens: (n) => `テキストがモデルの文脈長を超えたため、先頭の ${n} トークンは読まれていません。`,
  attentionHead: (v) =>
    `「${v.quote}」のレイヤー ${v.layer}・ヘッド ${v.head} のアテンション（${v.model}）: 各行がひとつのトークンで、色はそれより前の各トークンをどれだけ見ているかを表します。`,
  attentionGrid: (v) =>
    `「${v.quote}」の全 ${v.layers} レイヤー × ${v.heads} ヘッドのアテンション（${v.model}）。` +
    (v.layer !== undefined
      ? `レイヤー ${v.layer} のヘッドを大きく見るには head（ヘッド）も指定してください。`
      : "layer（レイヤー）と head（ヘッド）を指定すると、ひとつを大きく表示します。"),
  generateFooter: (v) => `${v.model} · ${v.tokens} トークン · 温度 ${v.temperature} · top_k ${v.topK} · top_p ${v.topP} · シード ${v.seed}`,
  traceFooter: (v) =>
    `${v.model} · ${v.steps} ステップ · シード ${v.seed} · 画像の各行が 1 ステップです。モデルが比べた候補と、選んだトークンを示します`,
  tokensLine: (v) =>
    `${formatInt(v.characters, "ja")} 文字 → **${formatInt(v.tokens, "ja")} トークン**（${v.model}: ${tokenizerKindName(v.kind, "ja")}トークナイザー、語彙 ${formatInt(v.vocabSize, "ja")}）。`,
};

export const SENTENCES: Record<Lang, SharedSentences> = { en, ja };
