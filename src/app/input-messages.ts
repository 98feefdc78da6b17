/**
 * The sentence for each InputError code, in English and Japanese, stating the values the user
 * gave and what is allowed. This is the one table: the bot, the playground and the console all
 * say these sentences, and an InputError's own message is the English one.
 */
import type { Lang } from "../lang.ts";
import { formatInt } from "./number-format.ts";
import { InputError } from "./prompt.ts";

type Values = Record<string, unknown>;

/** An InputError whose message is the English sentence of its code. */
export function inputError(code: string, values: Values): InputError {
  return new InputError(inputErrorMessage("en", code, values) ?? code, code, values);
}

/** The error's sentence in `lang` (its own message when the table has no sentence for its code). */
export function inputErrorSentence(lang: Lang, err: InputError): string {
  return inputErrorMessage(lang, err.code, err.values) ?? err.message;
}

/** undefined: no sentence for this code (use the error's own English message). */
export function inputErrorMessage(lang: Lang, code: string, values: Values): string | undefined {
  return lang === "ja" ? japanese(code, values) : english(code, values);
}

/** What a "bad-option" error's values say was allowed. */
interface Expected {
  kind: string;
  min: number | null;
  max: number | null;
  choices: string | null;
}

/** "a whole number from 1 to 9", "one of tiny, baby". */
export function expectedInEnglish(v: Expected): string {
  const range =
    v.min !== null && v.max !== null
      ? ` from ${v.min} to ${v.max}`
      : v.min !== null
        ? ` of at least ${v.min}`
        : v.max !== null
          ? ` of at most ${v.max}`
          : "";
  switch (v.kind) {
    case "choice":
      return `one of ${v.choices}`;
    case "integer":
      return `a whole number${range}`;
    case "number":
      return `a number${range}`;
    case "boolean":
      return "true or false";
    default:
      return "a text";
  }
}

function expectedInJapanese(v: Expected): string {
  const range =
    v.min !== null && v.max !== null
      ? ` ${v.min}〜${v.max} の`
      : v.min !== null
        ? ` ${v.min} 以上の`
        : v.max !== null
          ? ` ${v.max} 以下の`
          : "";
  switch (v.kind) {
    case "choice":
      return ` ${v.choices} のどれか`;
    case "integer":
      return `${range}整数`;
    case "number":
      return `${range}数`;
    case "boolean":
      return " true か false ";
    default:
      return "文章";
  }
}

function english(code: string, v: Values): string | undefined {
  switch (code) {
    case "bad-option":
      return `${v.option} must be ${expectedInEnglish(v as unknown as Expected)} (you gave ${v.value}).`;
    case "too-long":
      return `The text is too long: ${v.length} characters, the limit is ${v.limit}.`;
    case "empty":
      return "The text is empty.";
    case "not-text":
      return `The text must be a string (got ${v.type}).`;
    case "bad-layer":
      return `Layer ${v.layer} does not exist: this model has layers 0–${Number(v.layers) - 1}.`;
    case "bad-head":
      return `Head ${v.head} does not exist: this model has heads 0–${Number(v.heads) - 1} in each layer.`;
    case "view-takes-no-head":
      return `${v.option} ${v.value} chooses one head of view heads; view ${v.view} reads every layer and head at once (leave ${v.option} out).`;
    case "bad-heads":
      return `heads must be layer.head pairs or layer numbers separated by commas, like 2.1,3.0 or 2 (you gave ${v.heads}; “${v.item}” is not one).`;
    case "target-tokens":
      return `The target must be one token of this model's vocabulary: “${v.target}” is ${v.count} tokens.`;
    case "bad-sampling":
      return `Sampling options out of range: ${v.problems}.`;
    case "not-a-command":
      return "A command starts with “/”.";
    case "unknown-command":
      return `There is no /${v.name}. The commands are: ${v.commands}`;
    case "unexpected-text":
      return `/${v.command} takes no text. Its options: ${v.options}`;
    case "option-twice":
      return `${v.option} is given twice.`;
    case "option-missing":
      return `/${v.command} needs ${v.option}.`;
    case "bad-messages":
      return "messages must be a non-empty list of texts (the conversation so far).";
    case "bad-seed":
      return `seed must be a whole number from 0 up (you gave ${v.seed}).`;
    case "unknown-model":
      return `there is no model "${v.ref}" here; the models are: ${v.choices}`;
    case "ambiguous-model":
      return `"${v.ref}" names ${String(v.choices).split(", ").join(" and ")}: use one of those`;
    case "model-unusable":
      return `${v.ref} cannot be used: ${v.reason}`;
    case "model-not-renamable":
      return v.source === "shipped"
        ? "the shipped model cannot be renamed"
        : `${v.ref} is one of the host's imported models: it is named by its file in the models folder, and cannot be renamed here`;
    case "model-not-deletable":
      return v.source === "shipped"
        ? "the shipped model cannot be deleted"
        : `${v.ref} is one of the host's imported models: only the host can remove it (from the models folder)`;
    case "bad-model-name":
      return `the name "${v.name}" cannot be used: ${MODEL_NAME_PROBLEMS_EN[String(v.reason)]?.(v) ?? v.reason}`;
    case "train-text-too-long":
      return `The text is too long to train on here: ${formatInt(Number(v.length), "en")} characters, the limit is ${formatInt(Number(v.limit), "en")}.`;
    default:
      return undefined;
  }
}

function japanese(code: string, v: Values): string | undefined {
  switch (code) {
    case "bad-option":
      return `${v.localName ? `${v.localName}（${v.option}）` : `${v.option} `}には${expectedInJapanese(v as unknown as Expected)}を指定してください（指定された値: ${v.value}）。`;
    case "too-long":
      return `テキストが長すぎます（${v.length} 文字、上限は ${v.limit} 文字）。`;
    case "empty":
      return "テキストが空です。";
    case "not-text":
      return `テキストは文字列で指定してください（${v.type} でした）。`;
    case "bad-layer":
      return `レイヤー ${v.layer} はありません。このモデルのレイヤーは 0〜${Number(v.layers) - 1} です。`;
    case "bad-head":
      return `ヘッド ${v.head} はありません。このモデルの各レイヤーのヘッドは 0〜${Number(v.heads) - 1} です。`;
    case "view-takes-no-head":
      return `${v.option} ${v.value} は view heads で 1 つのヘッドを選ぶ指定です。view ${v.view} は全レイヤー・全ヘッドをまとめて読むので、${v.option} は指定しないでください。`;
    case "bad-heads":
      return `heads（ヘッド）は「レイヤー.ヘッド」かレイヤー番号をカンマで区切って指定してください（例: 2.1,3.0 や 2）。指定された値: ${v.heads}（「${v.item}」が読めません）。`;
    case "target-tokens":
      return `対象はこのモデルの語彙の 1 トークンにしてください。「${v.target}」は ${v.count} トークンです。`;
    case "bad-sampling":
      return `サンプリングの設定が範囲外です: ${v.problems}。`;
    case "not-a-command":
      return "コマンドは「/」で始まります。";
    case "unknown-command":
      return `/${v.name} というコマンドはありません。使えるコマンド: ${v.commands}`;
    case "unexpected-text":
      return `/${v.command} は文章をとりません。オプション: ${v.options}`;
    case "option-twice":
      return `${v.option} が 2 回指定されています。`;
    case "option-missing":
      return `/${v.command} には ${v.option} が必要です。`;
    case "bad-messages":
      return "messages には会話の文章のリスト（空でないもの）を送ってください。";
    case "bad-seed":
      return `seed は 0 以上の整数にしてください（指定された値: ${v.seed}）。`;
    case "unknown-model":
      return `「${v.ref}」というモデルはここにありません。使えるモデル: ${v.choices}`;
    case "ambiguous-model":
      return `「${v.ref}」は ${v.choices} のどれも指します。どれか 1 つを指定してください。`;
    case "model-unusable":
      return `${v.ref} は使えません: ${v.reason}`;
    case "model-not-renamable":
      return v.source === "shipped"
        ? "付属のモデルの名前は変えられません。"
        : `${v.ref} はホストが取り込んだモデルです。名前はモデルのフォルダのファイル名で、ここでは変えられません。`;
    case "model-not-deletable":
      return v.source === "shipped"
        ? "付属のモデルは削除できません。"
        : `${v.ref} はホストが取り込んだモデルです。削除できるのはホストだけです（モデルのフォルダから）。`;
    case "bad-model-name":
      return `「${v.name}」という名前は使えません: ${MODEL_NAME_PROBLEMS_JA[String(v.reason)]?.(v) ?? v.reason}`;
    case "train-text-too-long":
      return `学習する文章が長すぎます（${formatInt(Number(v.length), "ja")} 文字、上限は ${formatInt(Number(v.limit), "ja")} 文字）。`;
    default:
      return undefined;
  }
}

/** Why a model's name was refused (checkModelName's reasons), with the values they name. */
const MODEL_NAME_PROBLEMS_EN: Record<string, (v: Values) => string> = {
  empty: () => "it is empty",
  "too-long": (v) => `it has ${v.length} characters, at most ${v.max} are allowed`,
  "not-one-line": () => "it must be one line, without control characters",
  mention: () => "it must not contain @, < or > (a mention would ping people on Discord)",
  "reads-as-ref": () => "it would read as another model's ref (a number, default or shipped)",
  taken: (v) => `${v.other} is already called that`,
};
const MODEL_NAME_PROBLEMS_JA: Record<string, (v: Values) => string> = {
  empty: () => "空です",
  "too-long": (v) => `${v.length} 文字あります（上限 ${v.max} 文字）`,
  "not-one-line": () => "1 行で、制御文字なしにしてください",
  mention: () => "@、<、> は使えません（Discord でメンションになるため）",
  "reads-as-ref": () => "ほかのモデルの指定（番号、default、shipped）と区別できません",
  taken: (v) => `${v.other} がすでにその名前です`,
};
