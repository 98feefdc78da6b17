/**
 * What the commands about stored data say (/settings, /privacy, /forget-me, /admin), once per
 * language. A sentence that names channels takes them as reply parts (src/app/reply.ts), so
 * each medium shows a channel its way (Discord as a link).
 */
import type { Lang } from "../lang.ts";
import type { ForgetResult } from "./privacy.ts";
import { type Part, type Piece, parts } from "./reply.ts";

export interface DataSentences {
  /** /settings explain on|off */
  explainModeSet(on: boolean): string;
  /** /privacy: what is stored and for how long, line by line */
  privacy: readonly string[];
  /** /forget-me */
  forgotten(r: ForgetResult): string;
  /** /admin channels: no channels = any channel */
  adminChannels(channels: readonly Piece[]): Part[];
  adminRetention(days: number): string;
  adminWiped(rows: number): string;
  adminWipeNeedsConfirm: string;
}

/** Channel parts one after another, a space between them. */
const spaced = (channels: readonly Piece[]): Piece[] => channels.flatMap((c, i) => (i === 0 ? [c] : [" ", c]));

const en: DataSentences = {
  explainModeSet: (on) =>
    on
      ? "Explain mode is **on** for you: my chat replies now show, for each token I wrote, the alternatives I weighed, and the step-by-step picture."
      : "Explain mode is **off** for you: plain chat replies.",
  privacy: [
    "**What this bot stores, and for how long**",
    "• **Messages** — only when a server admin runs `/train`: for each message read, its id, server, channel, author id, text and time. Bots' and system messages are never stored. They stay until you run `/forget-me`, the message is deleted or edited on Discord (the copy follows), the server's retention period passes (`/admin retention`), or the server's data is wiped (`/admin wipe`).",
    "• **Models** — the server's own model (numbers learned from those messages) and its training runs with their loss curves. The newest three models are kept.",
    "• **Settings** — your explain-mode choice (`/settings explain`).",
    "• Chat and the other commands read your message to answer it; nothing else of it is kept.",
    "• **The host's log** — when a command or a chat reply fails, the bot's console log records the command, the server, channel and user ids, and each option's length, never what you typed.",
    "A server's messages and model are used only in that server. Replies never ping anyone, and a reply that would repeat a stored message word for word (40+ characters) has that part cut out.",
    "`/forget-me` deletes your stored messages in this server and tells you whether the current model learned from them.",
  ],
  forgotten: (r) =>
    (r.deleted === 0
      ? "I had no stored messages of yours in this server."
      : `Deleted ${r.deleted} stored message${r.deleted === 1 ? "" : "s"} of yours in this server.`) +
    (r.modelTrainedOnThem
      ? " The current model of this server was trained on them, so it may still echo what it learned: ask an admin to run `/train start` again to make a model without them."
      : " The current model was not trained on them."),
  adminChannels: (c) =>
    c.length === 0
      ? parts("`/train` may now read any channel the bot can read.")
      : parts("`/train` may now read only: ", ...spaced(c), "."),
  adminRetention: (d) =>
    d === 0
      ? "Stored messages are now kept until someone runs `/forget-me` or the data is wiped."
      : `Stored messages older than ${d} day${d === 1 ? "" : "s"} are now deleted (before every training and when the bot starts).`,
  adminWiped: (n) =>
    `Wiped this server's data: ${n} stored rows (messages, models, training runs, settings). The server now uses the default model.`,
  adminWipeNeedsConfirm:
    "This deletes every stored message, model and training run of this server. Run it again with `confirm: true` to do it.",
};

const ja: DataSentences = {
  explainModeSet: (on) =>
    on
      ? "説明モードを**オン**にしました。これからの返事には、書いたトークンごとに迷った候補とその確率、そして1ステップずつの図がつきます。"
      : "説明モードを**オフ**にしました。ふつうの返事に戻ります。",
  privacy: [
    "**このボットが保存するものと、その期間**",
    "• **メッセージ** — サーバーの管理者が `/train` を実行したときだけ保存します。読んだメッセージごとに ID、サーバー、チャンネル、投稿者の ID、本文、時刻です。ボットやシステムのメッセージは保存しません。`/forget-me` を使うまで、Discord でそのメッセージが削除・編集されるまで（保存側も追従します）、サーバーの保存期間（`/admin retention`）が過ぎるまで、またはサーバーのデータが消去される（`/admin wipe`）まで残ります。",
    "• **モデル** — そのメッセージから学んだサーバー専用のモデル（数値の集まり）と、学習の記録（損失の曲線）。新しい 3 つまで残します。",
    "• **設定** — あなたの説明モードの選択（`/settings explain`）。",
    "• チャットやほかのコマンドは、答えるためにあなたのメッセージを読むだけで、それ以外は保存しません。",
    "• **ホストのログ** — コマンドやチャットの返事に失敗したとき、ボットのコンソールのログにコマンド名、サーバー・チャンネル・ユーザーの ID、各オプションの文字数を記録します。入力した文章そのものは記録しません。",
    "サーバーのメッセージとモデルはそのサーバーの中だけで使います。返事がだれかに通知を送ることはありません。保存されたメッセージを 40 文字以上そのまま繰り返しそうな部分は省きます。",
    "`/forget-me` で、このサーバーに保存されたあなたのメッセージを削除し、今のモデルがそれを学習したかどうかをお知らせします。",
  ],
  forgotten: (r) =>
    (r.deleted === 0
      ? "このサーバーには、あなたのメッセージは保存されていませんでした。"
      : `このサーバーに保存されていたあなたのメッセージを ${r.deleted} 件削除しました。`) +
    (r.modelTrainedOnThem
      ? "このサーバーの今のモデルはそれを使って学習したので、覚えた内容が出てくるかもしれません。管理者に `/train start` をもう一度実行してもらえば、あなたのメッセージなしでモデルを作り直せます。"
      : "今のモデルはそれを学習していません。"),
  adminChannels: (c) =>
    c.length === 0
      ? parts("`/train` はボットが読めるすべてのチャンネルを読めるようになりました。")
      : parts("`/train` が読めるのは次のチャンネルだけになりました: ", ...spaced(c)),
  adminRetention: (d) =>
    d === 0
      ? "保存したメッセージは、`/forget-me` かデータの消去まで残ります。"
      : `${d} 日より古い保存メッセージは削除されます（学習の前と、ボットの起動時）。`,
  adminWiped: (n) =>
    `このサーバーのデータを消去しました（メッセージ・モデル・学習記録・設定の ${n} 行）。これからは標準のモデルを使います。`,
  adminWipeNeedsConfirm:
    "このサーバーの保存メッセージ・モデル・学習記録をすべて削除します。実行するには `confirm: true` をつけてもう一度どうぞ。",
};

export const DATA_SENTENCES: Record<Lang, DataSentences> = { en, ja };
