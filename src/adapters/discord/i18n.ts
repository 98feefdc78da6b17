/**
 * Every line the bot says, in English and Japanese. A user whose Discord is set to Japanese
 * (interaction.locale "ja") gets Japanese; everyone else English. Chat replies follow the
 * language of the message they answer.
 */
export type Lang = "en" | "ja";

export function langOfLocale(locale: string | null | undefined): Lang {
  return locale?.toLowerCase().startsWith("ja") ? "ja" : "en";
}

/** Japanese when the text has kana or kanji. */
export function langOfText(text: string): Lang {
  return /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]/.test(text) ? "ja" : "en";
}

/** Permission names as Discord's own settings screens show them. */
const PERMISSION_NAMES: Record<string, Record<Lang, string>> = {
  ManageGuild: { en: "Manage Server", ja: "サーバー管理" },
  ReadMessageHistory: { en: "Read Message History", ja: "メッセージ履歴を読む" },
  ViewChannel: { en: "View Channel", ja: "チャンネルを見る" },
  SendMessages: { en: "Send Messages", ja: "メッセージを送信" },
  AttachFiles: { en: "Attach Files", ja: "ファイルを添付" },
  EmbedLinks: { en: "Embed Links", ja: "埋め込みリンク" },
};

export interface PredictLine {
  token: string;
  percent: string;
  bar: string;
}

export interface Strings {
  permission(name: string): string;
  commandFailed(command: string): string;
  unknownCommand(command: string): string;
  guildOnly: string;
  userLacks(permissions: string[]): string;
  botLacks(permissions: string[]): string;
  modelMissing: string;
  busy: string;
  modelName(name: string): string;
  /** one line per InputError code; undefined = use the error's own text */
  inputError(code: string, values: Record<string, unknown>): string | undefined;
  predictHeader(text: string, modelName: string, temperature: number): string;
  predictEmptyText: string;
  predictUnknown(count: number): string;
  predictDropped(count: number): string;
  chatFallback: string;
}

const list = (items: string[], and: string) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} ${and} ${items[items.length - 1]}`);

const en: Strings = {
  permission: (name) => PERMISSION_NAMES[name]?.en ?? name,
  commandFailed: (command) => `Sorry, /${command} failed. The error was logged; please try again later.`,
  unknownCommand: (command) => `I don't know /${command}. The command list may have just changed: try again in a minute.`,
  guildOnly: "This command works only in a server, not in DMs.",
  userLacks: (p) => `You need the ${list(p.map((n) => `**${en.permission(n)}**`), "and")} permission to use this command.`,
  botLacks: (p) => `I need the ${list(p.map((n) => `**${en.permission(n)}**`), "and")} permission in this channel. Please ask a server admin to give it to me.`,
  modelMissing: "No model is available yet: the default model file is missing. Please tell the bot's host.",
  busy: "I'm busy thinking about other messages. Please try again in a moment.",
  modelName: (name) => name,
  inputError(code, v) {
    switch (code) {
      case "bad-k":
        return `k must be a whole number from 1 to 50 (you gave ${v.k}).`;
      case "bad-temperature":
        return `temperature must be above 0 and at most 10 (you gave ${v.temperature}).`;
      case "too-long":
        return `The text is too long: ${v.length} characters, the limit is ${v.limit}.`;
      case "empty":
        return "The text is empty.";
      default:
        return undefined;
    }
  },
  predictHeader: (text, model, t) => `Most likely next tokens after “${text}” (${model}${t === 1 ? "" : `, temperature ${t}`}):`,
  predictEmptyText: "(empty text)",
  predictUnknown: (n) => `${n} character${n === 1 ? " is" : "s are"} unknown to this model (shown as <unk>).`,
  predictDropped: (n) => `The text was too long for the model's context: the first ${n} token${n === 1 ? " was" : "s were"} left out.`,
  chatFallback: "…I have no words for that yet. Talk to me more and I'll learn!",
};

const ja: Strings = {
  permission: (name) => PERMISSION_NAMES[name]?.ja ?? name,
  commandFailed: (command) => `すみません、/${command} の実行に失敗しました。エラーは記録しました。しばらくしてからもう一度お試しください。`,
  unknownCommand: (command) => `/${command} というコマンドは知りません。コマンド一覧が更新されたばかりかもしれません。少し待ってからお試しください。`,
  guildOnly: "このコマンドはサーバー内でのみ使えます（DM では使えません）。",
  userLacks: (p) => `このコマンドを使うには「${p.map((n) => ja.permission(n)).join("」「")}」の権限が必要です。`,
  botLacks: (p) => `このチャンネルでの「${p.map((n) => ja.permission(n)).join("」「")}」の権限がボットにありません。サーバー管理者に付与を依頼してください。`,
  modelMissing: "まだ使えるモデルがありません（既定のモデルのファイルが見つかりません）。ボットの管理者に知らせてください。",
  busy: "ほかのメッセージを考えている最中です。少し待ってからもう一度どうぞ。",
  modelName: (name) => name.replace(/^default model$/, "既定のモデル").replace(/^server model #(\d+)$/, "このサーバーのモデル #$1"),
  inputError(code, v) {
    switch (code) {
      case "bad-k":
        return `k は 1〜50 の整数で指定してください（指定された値: ${v.k}）。`;
      case "bad-temperature":
        return `temperature（温度）は 0 より大きく 10 以下で指定してください（指定された値: ${v.temperature}）。`;
      case "too-long":
        return `テキストが長すぎます（${v.length} 文字、上限は ${v.limit} 文字）。`;
      case "empty":
        return "テキストが空です。";
      default:
        return undefined;
    }
  },
  predictHeader: (text, model, t) => `「${text}」の次に来そうなトークン（${model}${t === 1 ? "" : `、温度 ${t}`}）:`,
  predictEmptyText: "（空のテキスト）",
  predictUnknown: (n) => `このモデルが知らない文字が ${n} 個ありました（<unk> と表示）。`,
  predictDropped: (n) => `テキストがモデルの文脈長を超えたため、先頭の ${n} トークンは読まれていません。`,
  chatFallback: "……まだうまく言葉が出てきません。もっと話しかけてくれたら覚えます！",
};

const STRINGS: Record<Lang, Strings> = { en, ja };

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}
