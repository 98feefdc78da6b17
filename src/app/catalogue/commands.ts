/**
 * Every command of the bot, the playground and the console, once: its options with their
 * types, ranges and defaults, and its names and descriptions in English and Japanese.
 * Each range is written here and nowhere else; the use cases check values against it, the
 * Discord JSON, the playground's list and the console's flags are derived from it.
 *
 * Adding a command: one entry here, one use case in src/app, and where a surface needs one, a
 * formatter (commands/NAME.ts for Discord, src/adapters/web/commands/NAME.ts, a console file).
 */
import { TOPICS } from "../../explain/topics.ts";
import { textsFor } from "../../explain/index.ts";
import { DEFAULT_SAMPLING, MAX_TEMPERATURE } from "../../sample/sampling.ts";
import { MAX_INPUT_CHARS } from "../prompt.ts";
/** A model's user-given name: at most this many characters (the catalogue of models checks the rest). */
export const MAX_MODEL_NAME = 40;
import type { CommandSpec, OptionSpec, SubcommandSpec } from "./types.ts";
import { corpusRequirement } from "../training-limits.ts";
import { trainingPlanSentences } from "../training-plan-sentences.ts";

// ---------------------------------------------------------------------------------------------
// Limits other modules read by name (the one place each number is written)

/** /generate writes at most this many tokens everywhere: the text fits a Discord message and the model answers in well under a second. */
export const MAX_GENERATE_TOKENS = 200;
/** /trace draws one row per step: at most this many steps fit its picture. */
export const MAX_TRACE_TOKENS = 20;
/** /lens lists at most this many guesses per cell in its JSON (its picture shows the first). */
export const MAX_LENS_K = 10;
/** /neurons lists at most this many neurons per layer. */
export const MAX_NEURONS_K = 8;
/** The presets a guild (or the playground) may train: both learn something within minutes on one CPU core. */
export const TRAINING_PRESETS = ["tiny", "baby"] as const;
export type TrainingPreset = (typeof TRAINING_PRESETS)[number];
/** baby (4 layers, 128 wide, 64 tokens of context) writes recognisable text after a few minutes. */
export const DEFAULT_TRAINING_PRESET: TrainingPreset = "baby";
export const DEFAULT_TRAINING_MINUTES = 5;
export const MAX_TRAINING_MINUTES = 10;

// ---------------------------------------------------------------------------------------------
// Options several commands share

const textOption = (description: OptionSpec["description"], required: boolean): OptionSpec => ({
  name: "text",
  localName: "テキスト",
  type: "string",
  required,
  maxLength: MAX_INPUT_CHARS,
  description,
});

const promptOption: OptionSpec = {
  name: "prompt",
  localName: "書き出し",
  type: "string",
  required: true,
  maxLength: MAX_INPUT_CHARS,
  description: { en: "The beginning of the text", ja: "文章の書き出し" },
};

const seedOption: OptionSpec = {
  name: "seed",
  localName: "シード",
  type: "integer",
  min: 0,
  description: {
    en: "The same seed writes the same text (default: a new one each time)",
    ja: "同じシードなら同じ文章になります（既定: 毎回ちがうシード）",
  },
};

const generateTemperature: OptionSpec = {
  name: "temperature",
  localName: "温度",
  type: "number",
  min: 0,
  max: MAX_TEMPERATURE,
  default: DEFAULT_SAMPLING.temperature,
  description: {
    en: "0 = always the likeliest token; higher = more surprising",
    ja: "0 = いつも最も確率の高いトークン。大きいほど意外な文に",
  },
};

const generateTokens: OptionSpec = {
  name: "tokens",
  localName: "トークン数",
  type: "integer",
  min: 1,
  max: MAX_GENERATE_TOKENS,
  default: 100,
  description: { en: "How many tokens to write at most", ja: "書くトークンの最大数" },
};

/** The console's: which model answers, a file or a model of the store (default: the shipped model). */
const modelFile: OptionSpec = {
  name: "model",
  type: "string",
  on: ["cli"],
  cliValue: "FILE|REF",
  description: {
    en: "A checkpoint file or folder, or a playground model: default, #N, a name (default: shipped)",
    ja: "チェックポイントのファイルかフォルダ、またはプレイグラウンドのモデル: default、#番号、名前（既定: 付属）",
  },
};
/** The console's: what an imported checkpoint may need that its file does not say (they come with every --model). */
const importHeads: OptionSpec = {
  name: "heads",
  type: "integer",
  on: ["cli"],
  min: 1,
  max: 1024,
  description: {
    en: "n_head of a nanoGPT safetensors that does not say it",
    ja: "n_head を記録していない nanoGPT の safetensors のヘッド数",
  },
};
const importGpt2Tokenizer: OptionSpec = {
  name: "gpt2_tokenizer",
  type: "string",
  on: ["cli"],
  cliValue: "DIR",
  description: {
    en: "GPT-2's vocab.json + merges.txt, for a nanoGPT ckpt.pt without meta.pkl",
    ja: "meta.pkl のない nanoGPT の ckpt.pt 用の GPT-2 の vocab.json と merges.txt",
  },
};
/** --model FILE and what an imported file may need. */
const modelOptions: readonly OptionSpec[] = [modelFile, importHeads, importGpt2Tokenizer];
const langFlag: OptionSpec = {
  name: "lang",
  type: "string",
  on: ["cli"],
  choices: [
    { value: "ja", label: { en: "日本語", ja: "日本語" } },
    { value: "en", label: { en: "English", ja: "English" } },
  ],
  description: { en: "Language of pictures and texts (default: the system's)", ja: "図と文章の言語（既定: システムの言語）" },
};
const pngOut = (required: boolean): OptionSpec => ({
  name: "out",
  type: "string",
  on: ["cli"],
  cliValue: "FILE.png",
  required,
  description: { en: "Write the picture to this .png file", ja: "図をこの .png ファイルに書き出す" },
});
const jsonFlag: OptionSpec = {
  name: "json",
  type: "boolean",
  on: ["cli"],
  description: { en: "Print JSON instead of text", ja: "文章のかわりに JSON を出力" },
};

/** `model use|rename|delete`: which model (default, #3, a name, an imported folder's name). */
const modelRef: OptionSpec = {
  name: "ref",
  localName: "モデル",
  type: "string",
  required: true,
  maxLength: 200,
  cliPositional: true,
  autocomplete: true,
  description: {
    en: "The model: default, #N, its name, or an imported model's folder name",
    ja: "モデル: default、#番号、名前、取り込んだモデルのフォルダ名",
  },
};
/** The console's: whose models (the playground's by default). */
const modelRefSpace: OptionSpec = {
  name: "space",
  type: "string",
  on: ["cli"],
  default: "local",
  description: {
    en: "Whose models: a Discord server's id, or local (the playground)",
    ja: "だれのモデルか: Discord サーバーの ID、または local（プレイグラウンド）",
  },
};
/**
 * The models a space may use, once for every surface: /model list|use|rename|delete on Discord
 * and the playground, `models list|use|rename|delete` in the console. Choosing, renaming and
 * deleting change what a whole server sees: Manage Server on Discord.
 */
const MODEL_SUBCOMMANDS: readonly SubcommandSpec[] = [
  {
    name: "list",
    localName: "一覧",
    description: {
      en: "The models this place may use (shipped, trained here, the host's), the one in use marked",
      ja: "ここで使えるモデル（付属・ここで学習・ホストの）の一覧。使用中のモデルに印",
    },
    options: [modelRefSpace, jsonFlag],
  },
  {
    name: "use",
    localName: "使う",
    adminOnly: true,
    description: { en: "Answer with this model from now on (Manage Server)", ja: "これからこのモデルで答えます（サーバー管理権限）" },
    options: [modelRef, modelRefSpace],
  },
  {
    name: "rename",
    localName: "名前",
    adminOnly: true,
    description: { en: "Give a trained model a name (Manage Server)", ja: "学習したモデルに名前をつけます（サーバー管理権限）" },
    options: [
      modelRef,
      {
        name: "name",
        localName: "名前",
        type: "string",
        required: true,
        maxLength: MAX_MODEL_NAME,
        cliPositional: true,
        description: { en: "The new name (one line, no @)", ja: "新しい名前（1 行、@ なし）" },
      },
      modelRefSpace,
    ],
  },
  {
    name: "delete",
    localName: "削除",
    adminOnly: true,
    description: {
      en: "Delete a trained model; not the shipped or imported ones (Manage Server)",
      ja: "学習したモデルを削除。付属・取り込みは不可（サーバー管理権限）",
    },
    options: [modelRef, modelRefSpace],
  },
];
/** Which attention heads to switch off: `2.1,3.0` (layer.head) or `2` (every head of layer 2). */
const headsOption = (): OptionSpec => ({
  name: "heads",
  localName: "ヘッド",
  type: "string",
  maxLength: 200,
  // the console's --heads is taken: it tells an imported model its head count
  cliFlag: "ablate",
  cliValue: "L.H[,L.H…]",
  description: {
    en: "Heads to switch off: layer.head, comma-separated (2.1,3.0), or a layer number for all its heads",
    ja: "止めるヘッド: レイヤー.ヘッドをカンマ区切りで（2.1,3.0）。レイヤー番号だけならその全ヘッド",
  },
});

const presetChoices = (presets: readonly string[]) => presets.map((p) => ({ value: p, label: PRESET_LABELS[p] ?? { en: p, ja: p } }));
/** The trainable presets' choices, each saying how much text it needs (src/app/training-limits.ts): what /train's help shows before anything is read. */
const trainingPresetChoices = (presets: readonly TrainingPreset[]) =>
  presets.map((p) => {
    const need = corpusRequirement(p);
    const label = PRESET_LABELS[p] ?? { en: p, ja: p };
    return {
      value: p,
      label: {
        en: `${label.en} (${trainingPlanSentences("en").choiceNeeds(need)})`,
        ja: `${label.ja}（${trainingPlanSentences("ja").choiceNeeds(need)}）`,
      },
    };
  });
const PRESET_LABELS: Record<string, OptionSpec["description"]> = {
  tiny: { en: "tiny: a toy, learns in seconds", ja: "tiny: おもちゃ。数秒で学習" },
  baby: { en: "baby: 4 layers, writes recognisable text after a few minutes", ja: "baby: 4 レイヤー。数分で読める文章に" },
  small: {
    en: "small: 6 layers, 384 wide (nanoGPT's Shakespeare size)",
    ja: "small: 6 レイヤー、幅 384（nanoGPT のシェイクスピアの大きさ）",
  },
};

/** A topic's choice: its name and the learning path's line about it ("attention: Query, Key and Value: …"), in Discord's 100 characters. */
function topicLabel(topic: (typeof TOPICS)[number], lang: "en" | "ja"): string {
  const label = `${topic}: ${textsFor(lang).path.items[topic]}`;
  return label.length <= 100 ? label : `${label.slice(0, 99)}…`;
}

// ---------------------------------------------------------------------------------------------
// The commands, in the order they are listed

export const CATALOGUE: readonly CommandSpec[] = [
  {
    name: "predict",
    localName: "予測",
    on: ["discord", "web", "cli"],
    description: {
      en: "Show the tokens the model thinks come next, with their probabilities",
      ja: "モデルが次に来ると考えるトークンを確率つきで表示します",
    },
    options: [
      textOption({ en: "The beginning of a text", ja: "文章の書き出し" }, true),
      {
        name: "k",
        localName: "候補数",
        type: "integer",
        min: 1,
        max: 50,
        default: 10,
        description: { en: "How many candidates to show", ja: "表示する候補の数" },
      },
      {
        name: "temperature",
        localName: "温度",
        type: "number",
        min: 0.01,
        max: MAX_TEMPERATURE,
        default: 1,
        description: { en: "Higher = flatter probabilities", ja: "大きいほど確率が平らになります" },
      },
      headsOption(),
      ...modelOptions,
      jsonFlag,
      pngOut(false),
      langFlag,
    ],
  },
  {
    name: "attention",
    localName: "アテンション",
    on: ["discord", "web", "cli"],
    description: {
      en: "Show which earlier tokens each token looks at, in every layer and head",
      ja: "各トークンが前のどのトークンに注目しているかを、レイヤー・ヘッドごとに表示します",
    },
    options: [
      textOption({ en: "A text for the model to read", ja: "モデルに読ませる文章" }, true),
      {
        name: "layer",
        localName: "レイヤー",
        type: "integer",
        min: 0,
        description: {
          en: "Which layer (from 0; default 0 when a head is given)",
          ja: "どのレイヤーか（0 から。ヘッドを指定したときの既定は 0）",
        },
      },
      {
        name: "head",
        localName: "ヘッド",
        type: "integer",
        min: 0,
        description: {
          en: "Which head to show large (from 0; default: all heads)",
          ja: "大きく表示するヘッド（0 から。既定: すべてのヘッド）",
        },
      },
      {
        name: "view",
        localName: "表示",
        type: "string",
        default: "heads",
        choices: [
          { value: "heads", label: { en: "heads: every layer × head, or one head", ja: "heads: 全レイヤー × ヘッド、または 1 ヘッド" } },
          {
            value: "rollout",
            label: {
              en: "rollout: through all layers (½ attention + ½ identity)",
              ja: "rollout: 全レイヤーを通して（½ アテンション + ½ 単位行列）",
            },
          },
          {
            value: "next",
            label: {
              en: "next: what the last token looked at to predict the next",
              ja: "next: 次を予測するとき最後のトークンが注目した先",
            },
          },
        ],
        description: {
          en: "Heads, the rollout across layers, or what chose the predicted token",
          ja: "ヘッドごと、レイヤーを通したロールアウト、または予測を選んだアテンション",
        },
      },
      pngOut(true),
      langFlag,
      ...modelOptions,
    ],
  },
  {
    name: "lens",
    localName: "レンズ",
    on: ["discord", "web", "cli"],
    description: {
      en: "Show what the model would guess next after each layer, at every position (the logit lens)",
      ja: "各位置で、レイヤーごとにモデルが次に何を予想しているかを表示します（ロジットレンズ）",
    },
    options: [
      textOption({ en: "A text for the model to read", ja: "モデルに読ませる文章" }, true),
      {
        name: "k",
        localName: "候補数",
        type: "integer",
        min: 1,
        max: MAX_LENS_K,
        default: 3,
        description: { en: "How many guesses per position and layer", ja: "位置・レイヤーごとの候補の数" },
      },
      ...modelOptions,
      jsonFlag,
      pngOut(false),
      langFlag,
    ],
  },
  {
    name: "neurons",
    localName: "ニューロン",
    on: ["discord", "web", "cli"],
    description: {
      en: "Show the MLP neurons that fire most at a token, and the training texts that excite them",
      ja: "あるトークンで強く発火する MLP のニューロンと、それを最も興奮させる学習テキストを表示します",
    },
    options: [
      textOption({ en: "A text for the model to read", ja: "モデルに読ませる文章" }, true),
      {
        name: "position",
        localName: "位置",
        type: "integer",
        min: 1,
        max: MAX_INPUT_CHARS,
        description: {
          en: "Which token of the text, from 1 (default: the last)",
          ja: "文章の何番目のトークンか（1 から。既定: 最後）",
        },
      },
      {
        name: "neuron",
        localName: "ニューロン",
        type: "string",
        maxLength: 20,
        description: {
          en: "One neuron as LAYER.INDEX (e.g. 2.371): its value along the text and its contexts",
          ja: "1 つのニューロンを レイヤー.番号 で（例 2.371）: 文章に沿った値と、その文脈",
        },
      },
      {
        name: "k",
        localName: "個数",
        type: "integer",
        min: 1,
        max: MAX_NEURONS_K,
        default: 3,
        description: { en: "How many neurons per layer", ja: "レイヤーごとのニューロンの数" },
      },
      ...modelOptions,
      jsonFlag,
      pngOut(false),
      langFlag,
    ],
  },
  {
    name: "why",
    localName: "なぜ",
    cliName: "attribute",
    on: ["discord", "web", "cli"],
    description: {
      en: "Show which input tokens pushed the model towards its next token (gradient × input and occlusion)",
      ja: "どの入力トークンが次のトークンの予測を後押ししたかを表示します（勾配×入力と遮蔽）",
    },
    options: [
      textOption({ en: "A text for the model to read", ja: "モデルに読ませる文章" }, true),
      {
        name: "target",
        localName: "対象",
        type: "string",
        maxLength: 100,
        description: {
          en: "The next token to explain, one token (default: the predicted one)",
          ja: "説明する次のトークン（1 トークン。既定: 予測されたトークン）",
        },
      },
      ...modelOptions,
      jsonFlag,
      pngOut(false),
      langFlag,
    ],
  },
  {
    name: "ablate",
    localName: "アブレーション",
    on: ["discord", "web", "cli"],
    description: {
      en: "Switch attention heads off and show how the next-token prediction changes",
      ja: "アテンションヘッドを止めて、次のトークンの予測がどう変わるかを表示します",
    },
    options: [
      textOption({ en: "A text for the model to read", ja: "モデルに読ませる文章" }, true),
      headsOption(),
      {
        name: "k",
        localName: "候補数",
        type: "integer",
        min: 1,
        max: 20,
        default: 8,
        description: { en: "How many candidates to compare", ja: "比べる候補の数" },
      },
      ...modelOptions,
      jsonFlag,
      pngOut(false),
      langFlag,
    ],
  },
  {
    name: "sources",
    localName: "出どころ",
    on: ["discord", "web", "cli"],
    description: {
      en: "Find the stored training messages here that share the longest stretches with a text (e.g. a reply)",
      ja: "文章（返事など）といちばん長く共通する部分をもつ、ここで保存された学習用メッセージを探します",
    },
    options: [
      textOption({ en: "A text, e.g. what the model wrote", ja: "文章（モデルが書いた返事など）" }, true),
      {
        name: "corpus",
        type: "string",
        on: ["cli"],
        cliValue: "FILE|DIR",
        description: {
          en: "The training corpus to search (default: the shipped model's, data/corpus)",
          ja: "探す学習コーパス（既定: 付属モデルの data/corpus）",
        },
      },
      langFlag,
    ],
  },
  {
    name: "generate",
    localName: "生成",
    on: ["discord", "web", "cli"],
    description: { en: "Let the model continue a text, token by token", ja: "モデルに文章の続きを書かせます（1 トークンずつ予測）" },
    options: [
      promptOption,
      generateTokens,
      generateTemperature,
      {
        name: "top_k",
        localName: "上位k",
        type: "integer",
        min: 0,
        max: 65536,
        default: DEFAULT_SAMPLING.topK,
        description: {
          en: "Choose only among the k likeliest tokens (0 = all)",
          ja: "確率の高い上位 k 個のトークンからだけ選ぶ（0 = すべて）",
        },
      },
      {
        name: "top_p",
        localName: "上位p",
        type: "number",
        min: 0.01,
        max: 1,
        default: DEFAULT_SAMPLING.topP,
        description: {
          en: "Choose among the likeliest tokens up to this total probability",
          ja: "確率の合計がこの値に達するまでの上位トークンから選ぶ",
        },
      },
      seedOption,
      ...modelOptions,
    ],
  },
  {
    name: "trace",
    localName: "生成過程",
    on: ["discord", "web", "cli"],
    description: {
      en: "Watch the model write, step by step: the candidates of each step and the token chosen",
      ja: "モデルが文章を書く過程を 1 ステップずつ表示します（各ステップの候補と選ばれたトークン）",
    },
    options: [
      { ...promptOption, cliFlag: "text" },
      { ...generateTokens, max: MAX_TRACE_TOKENS, default: 12, description: { en: "How many steps", ja: "ステップ数" } },
      seedOption,
      { ...generateTemperature, on: ["cli"] },
      pngOut(true),
      langFlag,
      ...modelOptions,
    ],
  },
  {
    name: "tokens",
    localName: "トークン",
    on: ["discord", "web", "cli"],
    description: { en: "Show how the model cuts a text into tokens", ja: "モデルが文章をどのようにトークンに分けるかを表示します" },
    options: [textOption({ en: "Any text", ja: "好きな文章" }, true), pngOut(true), langFlag, ...modelOptions],
  },
  {
    name: "model",
    localName: "モデル",
    on: ["discord", "web"],
    description: {
      en: "The model that answers here, and the others you may choose",
      ja: "ここで答えているモデルと、選べるほかのモデル",
    },
    defaultSubcommand: "show",
    subcommands: [
      {
        name: "show",
        localName: "表示",
        description: {
          en: "Show the model that answers here: its parts, its training and its loss curve",
          ja: "ここで答えているモデルの構成・学習の記録・損失の曲線を表示します",
        },
        options: [],
      },
      ...MODEL_SUBCOMMANDS,
    ],
  },
  {
    name: "explain",
    localName: "説明",
    on: ["discord", "web", "cli"],
    description: {
      en: "How a language model works, shown with this model's own numbers",
      ja: "言語モデルのしくみを、このモデルの実際の数字で説明します",
    },
    options: [
      {
        name: "topic",
        localName: "テーマ",
        type: "string",
        cliPositional: true,
        choices: TOPICS.map((topic) => ({ value: topic, label: { en: topicLabel(topic, "en"), ja: topicLabel(topic, "ja") } })),
        description: { en: "What to explain (leave empty for the list, in reading order)", ja: "説明するテーマ（空なら読む順番の一覧）" },
      },
      {
        name: "language",
        localName: "言語",
        type: "string",
        on: ["discord", "web"],
        choices: [
          { value: "ja", label: { en: "日本語", ja: "日本語" } },
          { value: "en", label: { en: "English", ja: "English" } },
        ],
        description: { en: "Language of the explanation (default: yours)", ja: "説明の言語（省略するとあなたの言語）" },
      },
      textOption({ en: "Your own sentence to use in the example", ja: "例に使う自分の文章" }, false),
      langFlag,
      pngOut(false),
      ...modelOptions,
    ],
  },
  {
    name: "train",
    localName: "学習",
    on: ["discord", "web"],
    adminOnly: true,
    guildOnly: true,
    defaultSubcommand: "start",
    description: {
      en: "Train a model of your own on your messages or texts",
      ja: "あなたたちのメッセージや文章で、専用のモデルを学習します",
    },
    subcommands: [
      {
        name: "start",
        localName: "開始",
        description: {
          en: "Train a new model (the current one answers until it is ready)",
          ja: "新しいモデルを学習します（完成までは今のモデルが答えます）",
        },
        options: [
          {
            name: "channels",
            localName: "チャンネル",
            type: "string",
            maxLength: 500,
            on: ["discord"],
            description: {
              en: "Channels to read, as #mentions separated by spaces (default: this channel)",
              ja: "読むチャンネルを #メンションで、空白で区切って（既定: このチャンネル）",
            },
          },
          {
            name: "max_messages",
            localName: "最大メッセージ数",
            type: "integer",
            min: 50,
            max: 20_000,
            default: 2000,
            on: ["discord"],
            description: { en: "How many messages to read at most", ja: "読むメッセージの最大数" },
          },
          {
            name: "minutes",
            localName: "学習時間",
            type: "integer",
            min: 1,
            max: MAX_TRAINING_MINUTES,
            default: DEFAULT_TRAINING_MINUTES,
            description: { en: "Minutes of training", ja: "学習する分数" },
          },
          {
            name: "preset",
            localName: "プリセット",
            type: "string",
            default: DEFAULT_TRAINING_PRESET,
            choices: trainingPresetChoices(TRAINING_PRESETS),
            description: { en: "The model's size", ja: "モデルの大きさ" },
          },
          {
            name: "base",
            localName: "元のモデル",
            type: "string",
            maxLength: 100,
            autocomplete: true,
            description: {
              en: "Fine-tune this model instead (its size and tokenizer kept; the preset is then not used)",
              ja: "かわりにこのモデルを微調整（大きさとトークナイザはそのまま。プリセットは使わない）",
            },
          },
          {
            name: "resume",
            localName: "再開",
            type: "boolean",
            on: ["discord"],
            description: {
              en: "Continue the last run that was interrupted or stopped, from its last checkpoint",
              ja: "中断・停止した最後の学習を、最後のチェックポイントから続けます",
            },
          },
          {
            name: "source",
            type: "string",
            on: ["web"],
            choices: [
              { value: "corpus", label: { en: "corpus: the shipped English and Japanese texts", ja: "corpus: 付属の英語と日本語の文章" } },
              { value: "text", label: { en: "text: paste or upload your own", ja: "text: 自分の文章を貼り付け・アップロード" } },
            ],
            description: {
              en: "What to learn from: the shipped corpus, or a text of yours (opens the panel)",
              ja: "学習する文章: 付属のコーパス、または自分の文章（パネルを開く）",
            },
          },
        ],
      },
      {
        name: "status",
        localName: "状況",
        description: {
          en: "How the training is going: step, loss, time left, and the loss curve",
          ja: "学習の進み具合（ステップ、損失、残り時間、損失の曲線）",
        },
        options: [],
      },
      {
        name: "stop",
        localName: "停止",
        description: {
          en: "Stop the training; its last checkpoint becomes the model",
          ja: "学習を止めます。最後のチェックポイントがモデルになります",
        },
        options: [],
      },
    ],
  },
  {
    name: "settings",
    localName: "設定",
    on: ["discord"],
    description: { en: "Your settings for this bot", ja: "このボットのあなた用の設定" },
    subcommands: [
      {
        name: "explain",
        localName: "説明モード",
        description: {
          en: "Chat replies show how each token was chosen, with a step-by-step picture",
          ja: "チャットの返事に、各トークンの選ばれ方と1ステップずつの図をつけます",
        },
        options: [
          {
            name: "mode",
            localName: "モード",
            type: "string",
            required: true,
            choices: [
              { value: "on", label: { en: "on", ja: "オン" } },
              { value: "off", label: { en: "off", ja: "オフ" } },
            ],
            description: { en: "on or off", ja: "オンかオフ" },
          },
        ],
      },
    ],
  },
  {
    name: "privacy",
    localName: "プライバシー",
    on: ["discord"],
    description: { en: "What this bot stores about you, and for how long", ja: "このボットが保存するものと、その期間" },
    options: [],
  },
  {
    name: "forget-me",
    localName: "忘れて",
    on: ["discord"],
    guildOnly: true,
    description: { en: "Delete your stored messages in this server", ja: "このサーバーに保存されたあなたのメッセージを削除します" },
    options: [],
  },
  {
    name: "admin",
    localName: "管理",
    on: ["discord"],
    adminOnly: true,
    guildOnly: true,
    description: { en: "Server data settings (Manage Server)", ja: "サーバーのデータの設定（サーバー管理権限）" },
    subcommands: [
      {
        name: "channels",
        localName: "チャンネル",
        description: {
          en: "The only channels /train may read (leave empty: any channel)",
          ja: "/train が読んでよいチャンネル（空ならすべて）",
        },
        options: [
          {
            name: "channels",
            localName: "チャンネル",
            type: "string",
            description: { en: "#channel mentions, separated by spaces", ja: "#チャンネル（スペース区切り）" },
          },
        ],
      },
      {
        name: "retention",
        localName: "保存期間",
        description: {
          en: "Delete stored messages older than this many days (0: keep)",
          ja: "この日数より古い保存メッセージを削除（0 なら残す）",
        },
        options: [
          {
            name: "days",
            localName: "日数",
            type: "integer",
            required: true,
            min: 0,
            max: 3650,
            description: { en: "Days to keep", ja: "残す日数" },
          },
        ],
      },
      {
        name: "wipe",
        localName: "全消去",
        description: {
          en: "Delete every stored message, model and training run of this server",
          ja: "このサーバーの保存メッセージ・モデル・学習記録をすべて削除",
        },
        options: [
          {
            name: "confirm",
            localName: "確認",
            type: "boolean",
            description: { en: "true to really do it", ja: "本当に消すなら true" },
          },
        ],
      },
    ],
  },
  // --- the console's own commands ---
  {
    name: "chat",
    on: ["cli"],
    description: {
      en: "A prompt that continues what you type, with the playground's model and commands (/predict, /tokens, /explain …, /length, /temperature, /seed, /help, /quit)",
      ja: "入力した文章の続きを書くプロンプト。プレイグラウンドのモデルとコマンドを使います（/predict、/tokens、/explain …、/length、/temperature、/seed、/help、/quit）",
    },
    options: [...modelOptions, generateTemperature, generateTokens, langFlag],
  },
  {
    name: "info",
    on: ["cli"],
    description: {
      en: "A model's config, parameter counts by part, tokenizer, training and loss",
      ja: "モデルの設定、部分ごとのパラメータ数、トークナイザー、学習と損失",
    },
    options: [...modelOptions],
  },
  {
    name: "embeddings",
    on: ["cli"],
    description: {
      en: "A map of the token vectors (and a token's nearest neighbours)",
      ja: "トークンのベクトルの地図（とあるトークンの近傍）",
    },
    options: [
      { name: "text", type: "string", maxLength: MAX_INPUT_CHARS, description: { en: "A token to mark", ja: "印をつけるトークン" } },
      pngOut(true),
      langFlag,
      ...modelOptions,
    ],
  },
  {
    name: "card",
    on: ["cli"],
    description: { en: "The model's card (its parts and numbers) as a picture", ja: "モデルのカード（構成と数字）の図" },
    options: [
      pngOut(true),
      {
        name: "loss",
        type: "string",
        description: { en: "Also the loss curve, to this .png file", ja: "損失の曲線もこの .png ファイルに" },
      },
      langFlag,
      ...modelOptions,
    ],
  },
  {
    name: "models",
    on: ["cli"],
    description: {
      en: "The models a space may use (shipped, trained, the host's MODELS_DIR), and which one answers",
      ja: "その場で使えるモデル（付属・学習済み・ホストの MODELS_DIR）と、いま答えているモデル",
    },
    defaultSubcommand: "list",
    subcommands: MODEL_SUBCOMMANDS,
  },
  {
    name: "eval",
    on: ["cli"],
    description: {
      en: "How well a model predicts a text: tokens, bytes, loss per token and bits per byte",
      ja: "モデルが文章をどれだけよく予測するか：トークン数、バイト数、トークンあたりの損失、1 バイトあたりのビット数",
    },
    options: [
      {
        name: "text_file",
        type: "string",
        required: true,
        cliValue: "FILE",
        description: { en: "The text to score (UTF-8)", ja: "評価する文章のファイル（UTF-8）" },
      },
      ...modelOptions,
      jsonFlag,
    ],
  },
  {
    name: "train",
    on: ["cli"],
    description: {
      en: "Train a model on a text file or a folder of them, with a live progress line; a checkpoint at every evaluation",
      ja: "文章のファイル（またはフォルダ）でモデルを学習し、進み具合を表示。評価のたびにチェックポイントを保存",
    },
    options: [
      {
        name: "corpus",
        type: "string",
        required: true,
        cliValue: "FILE|DIR",
        description: { en: "The text to learn from", ja: "学習する文章" },
      },
      {
        name: "preset",
        type: "string",
        choices: presetChoices(["tiny", "baby", "small"]),
        default: "baby",
        description: { en: "The model's size", ja: "モデルの大きさ" },
      },
      {
        name: "tokenizer",
        type: "string",
        choices: [
          { value: "char", label: { en: "char: one token per character", ja: "char: 1 文字 1 トークン" } },
          { value: "bpe", label: { en: "bpe: byte pairs merged", ja: "bpe: バイト対を併合" } },
          {
            value: "charbpe",
            label: { en: "charbpe: character pairs merged, bytes for the rest", ja: "charbpe: 文字対を併合、残りはバイト" },
          },
        ],
        default: "bpe",
        description: { en: "How text becomes tokens", ja: "文章をトークンにする方法" },
      },
      {
        name: "vocab_size",
        type: "integer",
        min: 260,
        max: 65536,
        default: 2048,
        description: { en: "Tokens in the vocabulary (BPE kinds)", ja: "語彙のトークン数（BPE の場合）" },
      },
      {
        name: "iters",
        type: "integer",
        min: 1,
        max: 1_000_000,
        description: { en: "Steps to train (1000 without --minutes)", ja: "学習するステップ数（--minutes がなければ 1000）" },
      },
      { name: "minutes", type: "number", min: 0.01, max: 24 * 60, description: { en: "Or a time budget", ja: "または時間の上限（分）" } },
      { name: "seed", type: "integer", min: 0, default: 1337, description: { en: "Seed of the run", ja: "乱数のシード" } },
      {
        name: "max_lr",
        type: "number",
        min: 1e-5,
        max: 0.1,
        description: {
          en: "Peak learning rate, a tenth of it at the end (0.001; fine-tuning 0.0001)",
          ja: "最大の学習率。最後はその 10 分の 1（0.001、微調整 0.0001）",
        },
      },
      {
        name: "out",
        type: "string",
        cliValue: "FILE",
        default: "model.safetensors",
        description: { en: "The checkpoint to write", ja: "書き出すチェックポイント" },
      },
      {
        name: "init_from",
        type: "string",
        cliValue: "FILE|DIR",
        description: {
          en: "Fine-tune this model (any --model file or folder), keeping its size and tokenizer",
          ja: "このモデル（--model に渡せるファイルかフォルダ）を微調整する。大きさとトークナイザはそのまま",
        },
      },
      { name: "eval_interval", type: "integer", min: 1, description: { en: "Steps between evaluations", ja: "評価の間隔（ステップ）" } },
      {
        name: "eval_batches",
        type: "integer",
        min: 1,
        max: 10_000,
        description: { en: "Batches per evaluation", ja: "評価ごとのバッチ数" },
      },
      langFlag,
    ],
  },
  {
    name: "fetch-model",
    on: ["cli"],
    description: {
      en: "Download GPT-2's files from Hugging Face (resumable), to use with --model",
      ja: "Hugging Face から GPT-2 のファイルをダウンロード（再開可能）。--model で使えます",
    },
    options: [
      {
        name: "name",
        type: "string",
        required: true,
        cliPositional: true,
        description: { en: "Which model: gpt2 or distilgpt2", ja: "どのモデル: gpt2 か distilgpt2" },
      },
      {
        name: "dir",
        type: "string",
        cliValue: "DIR",
        description: { en: "Where models go (default $MODELS_DIR or data/models)", ja: "保存先（既定: $MODELS_DIR か data/models）" },
      },
      {
        name: "hub",
        type: "string",
        cliValue: "URL",
        description: { en: "The hub (default $HF_ENDPOINT or huggingface.co)", ja: "ハブ（既定: $HF_ENDPOINT か huggingface.co）" },
      },
    ],
  },
  {
    name: "commands",
    on: ["cli"],
    description: { en: "Every command of every surface, from the catalogue", ja: "すべての面のすべてのコマンド（カタログから）" },
    options: [jsonFlag],
  },
];
