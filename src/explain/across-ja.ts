/** `rollout`（レイヤーを通したアテンション）と `sources`（どこで学んだか）の日本語の文章。 */
import type { RolloutFacts, SourcesFacts, TopicText } from "./facts.ts";
import { cellToken, int, pct, quote, token } from "./format.ts";

export const acrossItemsJa = {
  rollout: "全レイヤーを通したアテンション: ロールアウトと、予測を選んだ注目",
  sources: "どこで学んだか: 書いた文章といちばん長く共通する保存メッセージ",
};

/** 本文中の保存メッセージの抜粋: 共通部分は太字。 */
function excerpt(b: NonNullable<SourcesFacts["best"]>): string {
  return `${quote(b.before, 40)}**${quote(b.shared, 40)}**${quote(b.after, 40)}`;
}

export const acrossTopicsJa = {
  rollout: (f: RolloutFacts): TopicText<"rollout"> => {
    const lastLayer = f.layers[f.layers.length - 1];
    return {
      title: "レイヤーを通したアテンション: ロールアウト",
      body: [
        `\`/attention\` は各レイヤーの各ヘッドを1つずつ見せます。けれども出力でのトークンのベクトルは全レイヤーを通ってきたもので、各レイヤーはアテンションの結果を**残差ストリーム**に*足し込み*ます（置き換えません）。**アテンション・ロールアウト**はこれをたどります。各レイヤーを Â = ½·A + ½·I（A: ヘッドの平均アテンション、I: そのまま流れる残差を表す単位行列。各行の合計は1）とし、レイヤーの順に掛け合わせます: R = Â${f.nLayer - 1} ··· Â0。R の行 q は、入力の各トークンが位置 q にどれだけ届いたかを表します。`,
        `「${quote(f.text, 50)}」（${int(f.tokens)}トークン、${f.nLayer}層 × ${f.nHead}ヘッド）の次に、モデルは${token(f.predicted.token)}（${pct(f.predicted.prob)}）を予測します。それを選ぶとき、最後のレイヤーで最後のトークンのクエリが最も注目したのは${token(lastLayer.top[0].token)}（${pct(lastLayer.top[0].weight)}）。全レイヤーを通したロールアウトでは${token(f.rollout[0].token)}（${pct(f.rollout[0].weight)}）が最大で、${f.agree ? "同じトークンです。" : "別のトークンです。前のレイヤーが、最後のレイヤーの読む位置にすでにその情報を混ぜ込んでいたのです。"}最後のトークン自身の分は${pct(f.selfShare)}です。`,
        `ロールアウトは見積もりです。アテンションが運んだものを Value や MLP がどう使うかは無視していますし、½ は測った値ではなく約束事です。予測への効き目そのものは \`/why\` で測れます。自分の文章でも \`/attention view:next\` と \`view:rollout\` を試してください。レイヤーごとに、最後のトークンが最も注目したトークン:`,
      ].join("\n\n"),
      table: {
        header: ["", "トークン", "重み", "トークン", "重み"],
        rows: [
          ...f.layers.map((l) => [`レイヤー${l.layer}`, ...l.top.flatMap((t) => [cellToken(t.token, 12), pct(t.weight)])]),
          ["ロールアウト", ...f.rollout.slice(0, 2).flatMap((t) => [cellToken(t.token, 12), pct(t.weight)])],
        ],
        align: ["left", "left", "right", "left", "right"],
      },
      pictures: {},
    };
  },

  sources: (f: SourcesFacts): TopicText<"sources"> => {
    const where = { playground: "ここで学習した文章", server: "このサーバーの保存メッセージ", corpus: "学習コーパスの文書" }[
      f.where ?? "server"
    ];
    const found =
      f.where === null
        ? "ここには何も保存されていません（DM とコンソールではメッセージを保存しません）。検索するものがないのです。管理者が `/train` を実行したサーバーや、学習後のプレイグラウンドでは、モデルが学んだ文章の中を探します。"
        : f.best === null
          ? `${where}${int(f.messages)}件のうち、${f.minShared}文字以上続けて共通するものはありません。`
          : `${where}${int(f.messages)}件のうち、${f.minShared}文字以上続けて共通するものが${int(f.found)}件。いちばん長い共通部分は**${int(f.best.length)}文字**${f.best.mine ? "（あなたのメッセージ）" : ""}: 「${excerpt(f.best)}」。${f.best.length >= f.minRun ? `${f.minRun}文字以上なので丸写しです。ボットは自分の書く文章からこれを切り取ります。` : ""}`;
    return {
      title: "どこで学んだのか",
      body: [
        `モデルは文章そのものを持っていません。持っているのはパラメータで、読んだ文章のひとつひとつがそれを少しずつ動かしました。それでも、何度も読んだ部分を一字一句そのまま繰り返すことがあります。\`/sources\` は、ある文章といちばん長く共通する部分をもつ保存された学習用メッセージを探します。メッセージごとに、両方に含まれる最も長い文字の並びを求めます。`,
        `「${quote(f.prompt, 40)}」に続けて、このモデルは「${quote(f.text, 100)}」と書きました${f.cut ? "（保存メッセージの丸写しだった部分は切り取っています）" : ""}。${found}`,
        `しくみ: 文章の**接尾辞オートマトン**（その文章の部分文字列だけをちょうど受理する小さな機械）で各メッセージを1回ずつ読むので、全メッセージの文字を1回なめるだけで済みます。表示しないもの: だれが書いたか（あなた自身のものだけ「あなたの」と示します）、\`/forget-me\` で忘れたもの・削除されたもの・保存期間を過ぎたもの、ほかのサーバーのもの、1件につき${f.excerptChars}文字を超える部分。長い共通部分はそのメッセージを覚え込んだしるし、短いものはたいていよくある言い回しです。画像は、モデルがこの文章を1トークンずつ書いた様子です。`,
      ].join("\n\n"),
      pictures: {},
    };
  },
};
