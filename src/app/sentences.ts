/**
 * What the surfaces say alike (the bot, the playground, the console), once per language: a
 * failure on our side, the notes under a reply, the header of /predict, the lines of /attention and /tokens, the footers
 * of /generate and /trace. A sentence that names a quote or the model takes them as reply parts
 * and is a line of parts (src/app/reply.ts), so each medium shows the quote its way; medium marks
 * (Discord's "-# " small text, its 2000-character limit) are added by each formatter.
 */
import type { Lang } from "../lang.ts";
import { formatDuration, formatInt, formatLoss } from "./number-format.ts";
import { line, type Part, type Piece, parts, time } from "./reply.ts";

export interface SharedSentences {
  /** a command (or a request of the page) failed on our side: `what` is "/predict" or the page's path */
  commandFailed(what: string): string;
  unknownChars(count: number): string;
  droppedTokens(count: number): string;
  /** a reply shows a run copied from a stored text as […] */
  verbatimCut: string;
  /** chat: the model wrote nothing */
  chatFallback: string;
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
  /** /model: whose model answers (a server's, the playground's own, or the shipped one and how to train one here) */
  modelOwn(v: { model: Piece; messages: number | null }): Part[];
  modelOwnHere(model: Piece): Part[];
  modelDefault(v: { model: Piece; where: "server" | "playground" }): Part[];
  modelShape(v: ModelShape): string;
  modelTraining(v: ModelTraining): Part[];
  modelCurve(source: "run" | "checkpoint" | "none", points: number): string;
}

export interface ModelShape {
  preset: string | null;
  params: number;
  layers: number;
  heads: number;
  width: number;
  context: number;
  kind: string;
  vocabSize: number;
}

export interface ModelTraining {
  step: number;
  totalSteps: number | null;
  tokensSeen: number | null;
  valLoss: number | null;
  trainLoss: number | null;
  /** ms since the epoch */
  createdAt: number | null;
  seconds: number | null;
}

/** Items joined by " · ", those that are undefined left out. */
function dotted(items: (Piece[] | undefined)[]): Part[] {
  const kept = items.filter((x) => x !== undefined);
  return parts(...kept.flatMap((item, i) => (i === 0 ? item : [" · ", ...item])));
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
  commandFailed: (what) => `Sorry, ${what} failed. The error was logged; please try again later.`,
  unknownChars: (n) => `${n} character${n === 1 ? " is" : "s are"} unknown to this model (shown as <unk>).`,
  droppedTokens: (n) => `The text was too long for the model's context: the first ${n} token${n === 1 ? " was" : "s were"} left out.`,
  verbatimCut: "[…] marks a part that repeated a stored text word for word; I left it out.",
  chatFallback: "…I have no words for that yet. Train me on some text with /train and I'll learn!",
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
  modelOwn: (v) =>
    line`**${v.model}**: this server's own model, trained here${v.messages !== null ? ` on ${formatInt(v.messages, "en")} messages` : ""}.`,
  modelOwnHere: (model) => line`**${model}**: trained here, in this playground.`,
  modelDefault: (v) =>
    v.where === "server"
      ? line`**${v.model}**: this server has not trained its own model yet (an admin can run \`/train start\`).`
      : line`**${v.model}**: the model shipped with the bot (train your own with /train).`,
  modelShape: (v) =>
    `${v.preset ? `${v.preset} preset · ` : ""}${formatInt(v.params, "en")} parameters · ${v.layers} layers × ${v.heads} heads, ${v.width} wide, context of ${v.context} tokens · ` +
    `${tokenizerKindName(v.kind, "en")} tokenizer with ${formatInt(v.vocabSize, "en")} tokens`,
  modelTraining: (v) =>
    dotted([
      [
        `Trained ${formatInt(v.step, "en")}${v.totalSteps !== null && v.totalSteps !== v.step ? ` of ${formatInt(v.totalSteps, "en")}` : ""} steps`,
      ],
      v.tokensSeen !== null ? [`${formatInt(v.tokensSeen, "en")} tokens seen`] : undefined,
      v.seconds !== null ? [`in ${formatDuration(v.seconds, "en")}`] : undefined,
      [`val loss ${formatLoss(v.valLoss)}`],
      [`train loss ${formatLoss(v.trainLoss)}`],
      v.createdAt !== null ? ["made ", time(v.createdAt)] : undefined,
    ]),
  modelCurve: (source, n) =>
    source === "run"
      ? `Loss curve: the training run's records (${formatInt(n, "en")} points).`
      : source === "checkpoint"
        ? "Loss curve: as recorded in the checkpoint."
        : "No loss curve was recorded for this model.",
};

const ja: SharedSentences = {
  commandFailed: (what) => `すみません、${what} の実行に失敗しました。エラーは記録しました。しばらくしてからもう一度お試しください。`,
  unknownChars: (n) => `このモデルが知らない文字が ${n} 個ありました（<unk> と表示）。`,
  droppedTokens: (n) => `テキストがモデルの文脈長を超えたため、先頭の ${n} トークンは読まれていません。`,
  verbatimCut: "[…] の部分は、保存された文章をそのまま繰り返していたので省きました。",
  chatFallback: "…まだ言葉が見つかりません。/train で文章を学習させてください！",
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
  modelOwn: (v) =>
    line`**${v.model}**: このサーバーで${v.messages !== null ? ` ${formatInt(v.messages, "ja")} 件のメッセージから` : ""}学習した、このサーバー専用のモデルです。`,
  modelOwnHere: (model) => line`**${model}**: このプレイグラウンドで学習したモデル。`,
  modelDefault: (v) =>
    v.where === "server"
      ? line`**${v.model}**: このサーバーはまだ自分のモデルを学習していません（管理者が \`/train start\` で学習できます）。`
      : line`**${v.model}**: ボットに付属のモデル（/train で自分のモデルを学習できます）。`,
  modelShape: (v) =>
    `${v.preset ? `プリセット ${v.preset} · ` : ""}パラメータ ${formatInt(v.params, "ja")} 個 · ${v.layers} レイヤー × ${v.heads} ヘッド、幅 ${v.width}、文脈 ${v.context} トークン · ` +
    `${tokenizerKindName(v.kind, "ja")}トークナイザー（${formatInt(v.vocabSize, "ja")} トークン）`,
  modelTraining: (v) =>
    dotted([
      [
        `学習 ${formatInt(v.step, "ja")}${v.totalSteps !== null && v.totalSteps !== v.step ? ` / ${formatInt(v.totalSteps, "ja")}` : ""} ステップ`,
      ],
      v.tokensSeen !== null ? [`学習したトークン ${formatInt(v.tokensSeen, "ja")}`] : undefined,
      v.seconds !== null ? [`所要 ${formatDuration(v.seconds, "ja")}`] : undefined,
      [`検証損失 ${formatLoss(v.valLoss)}`],
      [`学習損失 ${formatLoss(v.trainLoss)}`],
      v.createdAt !== null ? ["作成 ", time(v.createdAt)] : undefined,
    ]),
  modelCurve: (source, n) =>
    source === "run"
      ? `損失の曲線: 学習の記録から（${formatInt(n, "ja")} 点）。`
      : source === "checkpoint"
        ? "損失の曲線: チェックポイントに記録されたもの。"
        : "このモデルには損失の曲線が記録されていません。",
};

export const SENTENCES: Record<Lang, SharedSentences> = { en, ja };
