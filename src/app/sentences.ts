/**
 * What the surfaces say alike (the bot, the playground, the console), once per language: the
 * notes under a reply, the header of /predict, the lines of /attention and /tokens, the footers
 * of /generate and /trace. A sentence that names a quote or the model takes them as reply parts
 * and is a line of parts (src/app/reply.ts), so each medium shows the quote its way; medium marks
 * (Discord's "-# " small text, its 2000-character limit) are added by each formatter.
 */
import type { Lang } from "../lang.ts";
import { formatInt } from "./number-format.ts";
import { line, type Part, type Piece } from "./reply.ts";

export interface SharedSentences {
  unknownChars(count: number): string;
  droppedTokens(count: number): string;
  /** a reply shows a run copied from a stored text as […] */
  verbatimCut: string;
  predictHeader(v: { quote: Piece; model: Piece; temperature: number }): Part[];
  /** the quote of an empty text */
  emptyText: string;
  attentionHead(v: { quote: Piece; model: Piece; layer: number; head: number }): Part[];
  attentionGrid(v: { quote: Piece; model: Piece; layers: number; heads: number; layer?: number }): Part[];
  generateFooter(v: { model: Piece; tokens: number; temperature: number; topK: number; topP: number; seed: number }): Part[];
  traceFooter(v: { model: Piece; steps: number; seed: number }): Part[];
  /** the model wrote nothing / stopped at its end-of-text token */
  generateNothing: string;
  generateEnded: string;
  tokensLine(v: { characters: number; tokens: number; kind: string; vocabSize: number; model: Piece }): Part[];
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
  verbatimCut: "[…] marks a part that repeated a stored text word for word; I left it out.",
  predictHeader: (v) =>
    line`Most likely next tokens after “${v.quote}” (${v.model}${v.temperature === 1 ? "" : `, temperature ${v.temperature}`}):`,
  emptyText: "(empty text)",
  generateNothing: "(the model ended its message at once: nothing was written)",
  generateEnded: "(the model ended its message here)",
  attentionHead: (v) =>
    line`Attention of layer ${v.layer}, head ${v.head} for “${v.quote}” (${v.model}): each row is a token, its colours show how much it looks at each earlier token.`,
  attentionGrid: (v) =>
    line`Attention of all ${v.layers} layers × ${v.heads} heads for “${v.quote}” (${v.model}).${
      v.layer !== undefined ? ` To see one head of layer ${v.layer} large, add head.` : " Add layer and head to see one of them large."
    }`,
  generateFooter: (v) =>
    line`${v.model} · ${v.tokens} token${v.tokens === 1 ? "" : "s"} · temperature ${v.temperature} · top_k ${v.topK} · top_p ${v.topP} · seed ${v.seed}`,
  traceFooter: (v) =>
    line`${v.model} · ${v.steps} step${v.steps === 1 ? "" : "s"} · seed ${v.seed} · each row of the picture is one step: the candidates the model weighed and the token it chose`,
  tokensLine: (v) =>
    line`${formatInt(v.characters, "en")} character${v.characters === 1 ? "" : "s"} → **${formatInt(v.tokens, "en")} token${v.tokens === 1 ? "" : "s"}** (${v.model}: ${tokenizerKindName(v.kind, "en")} tokenizer, vocabulary of ${formatInt(v.vocabSize, "en")}).`,
};

const ja: SharedSentences = {
  unknownChars: (n) => `このモデルが知らない文字が ${n} 個ありました（<unk> と表示）。`,
  droppedTokens: (n) => `テキストがモデルの文脈長を超えたため、先頭の ${n} トークンは読まれていません。`,
  verbatimCut: "[…] の部分は、保存された文章をそのまま繰り返していたので省きました。",
  predictHeader: (v) => line`「${v.quote}」の次に来そうなトークン（${v.model}${v.temperature === 1 ? "" : `、温度 ${v.temperature}`}）:`,
  emptyText: "（空のテキスト）",
  generateNothing: "（モデルはすぐにメッセージを終えました。何も書かれていません）",
  generateEnded: "（モデルはここでメッセージを終えました）",
  attentionHead: (v) =>
    line`「${v.quote}」のレイヤー ${v.layer}・ヘッド ${v.head} のアテンション（${v.model}）: 各行がひとつのトークンで、色はそれより前の各トークンをどれだけ見ているかを表します。`,
  attentionGrid: (v) =>
    line`「${v.quote}」の全 ${v.layers} レイヤー × ${v.heads} ヘッドのアテンション（${v.model}）。${
      v.layer !== undefined
        ? `レイヤー ${v.layer} のヘッドを大きく見るには head（ヘッド）も指定してください。`
        : "layer（レイヤー）と head（ヘッド）を指定すると、ひとつを大きく表示します。"
    }`,
  generateFooter: (v) =>
    line`${v.model} · ${v.tokens} トークン · 温度 ${v.temperature} · top_k ${v.topK} · top_p ${v.topP} · シード ${v.seed}`,
  traceFooter: (v) =>
    line`${v.model} · ${v.steps} ステップ · シード ${v.seed} · 画像の各行が 1 ステップです。モデルが比べた候補と、選んだトークンを示します`,
  tokensLine: (v) =>
    line`${formatInt(v.characters, "ja")} 文字 → **${formatInt(v.tokens, "ja")} トークン**（${v.model}: ${tokenizerKindName(v.kind, "ja")}トークナイザー、語彙 ${formatInt(v.vocabSize, "ja")}）。`,
};

export const SENTENCES: Record<Lang, SharedSentences> = { en, ja };
