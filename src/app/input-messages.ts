/**
 * The sentence for each InputError code, in English and Japanese, stating the values the user
 * gave and the allowed range. Every adapter (the bot, the web playground) says the same thing.
 */
export type MessageLang = "en" | "ja";

/** undefined: no sentence for this code (use the error's own English message). */
export function inputErrorMessage(lang: MessageLang, code: string, values: Record<string, unknown>): string | undefined {
  return lang === "ja" ? japanese(code, values) : english(code, values);
}

function english(code: string, v: Record<string, unknown>): string | undefined {
  switch (code) {
    case "bad-k":
      return `k must be a whole number from 1 to 50 (you gave ${v.k}).`;
    case "bad-temperature":
      return `temperature must be above 0 and at most 10 (you gave ${v.temperature}).`;
    case "too-long":
      return `The text is too long: ${v.length} characters, the limit is ${v.limit}.`;
    case "empty":
      return "The text is empty.";
    case "bad-layer":
      return `Layer ${v.layer} does not exist: this model has layers 0–${Number(v.layers) - 1}.`;
    case "bad-head":
      return `Head ${v.head} does not exist: this model has heads 0–${Number(v.heads) - 1} in each layer.`;
    case "bad-tokens":
      return `tokens must be a whole number from 1 to ${v.max} (you gave ${v.tokens}).`;
    case "bad-seed":
      return `seed must be a whole number (you gave ${v.seed}).`;
    case "bad-sampling":
      return `Sampling options out of range: temperature 0–10, top_k 0 or more, top_p above 0 and at most 1 (you gave temperature ${v.temperature}, top_k ${v.topK}, top_p ${v.topP}).`;
    case "bad-minutes":
      return `minutes must be from 1 to ${v.max} (you gave ${v.minutes}).`;
    case "bad-max-messages":
      return `max_messages must be from ${v.min} to ${v.max} (you gave ${v.value}).`;
    case "bad-preset":
      return `preset must be tiny or baby (you gave ${v.preset}).`;
    default:
      return undefined;
  }
}

function japanese(code: string, v: Record<string, unknown>): string | undefined {
  switch (code) {
    case "bad-k":
      return `k は 1〜50 の整数で指定してください（指定された値: ${v.k}）。`;
    case "bad-temperature":
      return `temperature（温度）は 0 より大きく 10 以下で指定してください（指定された値: ${v.temperature}）。`;
    case "too-long":
      return `テキストが長すぎます（${v.length} 文字、上限は ${v.limit} 文字）。`;
    case "empty":
      return "テキストが空です。";
    case "bad-layer":
      return `レイヤー ${v.layer} はありません。このモデルのレイヤーは 0〜${Number(v.layers) - 1} です。`;
    case "bad-head":
      return `ヘッド ${v.head} はありません。このモデルの各レイヤーのヘッドは 0〜${Number(v.heads) - 1} です。`;
    case "bad-tokens":
      return `トークン数は 1〜${v.max} の整数で指定してください（指定された値: ${v.tokens}）。`;
    case "bad-seed":
      return `シードは整数で指定してください（指定された値: ${v.seed}）。`;
    case "bad-sampling":
      return `サンプリングの設定が範囲外です。温度は 0〜10、top_k は 0 以上、top_p は 0 より大きく 1 以下です（指定された値: 温度 ${v.temperature}、top_k ${v.topK}、top_p ${v.topP}）。`;
    case "bad-minutes":
      return `学習時間は 1〜${v.max} 分で指定してください（指定された値: ${v.minutes}）。`;
    case "bad-max-messages":
      return `最大メッセージ数は ${v.min}〜${v.max} で指定してください（指定された値: ${v.value}）。`;
    case "bad-preset":
      return `プリセットは tiny か baby を指定してください（指定された値: ${v.preset}）。`;
    default:
      return undefined;
  }
}
