/** `neurons`（MLP のニューロンが何に反応するか）の日本語の文章。 */
import type { NeuronsFacts, TopicText } from "./facts.ts";
import { fixed, int, quote, token } from "./format.ts";

export const neuronsItemsJa = {
  neurons: "MLP のニューロン: あるトークンで何が発火し、学習テキストのどこで最も強く発火したか",
};

/** 本文中の学習テキストの文脈: 発火したトークンは太字。 */
function context(c: NonNullable<NeuronsFacts["context"]>): string {
  return `…${quote(c.before, 20)}**${quote(c.token, 12)}**${quote(c.after, 12)}…`;
}

export const neuronsTopicsJa = {
  neurons: (f: NeuronsFacts): TopicText<"neurons"> => {
    const last = f.layers[f.layers.length - 1];
    const index =
      f.index.state === "none"
        ? "このモデル（外部から読み込んだもの）は学習テキストがわからないので、ニューロンがどこで発火したかは調べられません。"
        : f.context === null
          ? f.index.state === "building"
            ? `各ニューロンが学習テキストのどこで最も強く発火したかは、まだ読んでいる途中です（${int(f.index.total)} 文書中 ${int(f.index.documents)} 文書）。しばらくしてからもう一度どうぞ。`
            : `このニューロンの文脈は、今も残っている学習テキストにはありません（忘れられた・変更されたテキストは表示しません）。`
          : `学習テキスト（${int(f.index.total)} 文書${f.index.state === "building" ? `、うち ${int(f.index.documents)} 文書まで読了` : ""}）では、ニューロン ${f.context.layer}.${f.context.index} は「${context(f.context)}」で最も強く発火しました（${fixed(f.context.value, 2)}）。いちばん強く発火した文脈は、そのニューロンが何に反応するか（ある単語、文字の種類、文中の位置など）のいちばんの手がかりです。ただし、多くのニューロンは互いに関係のない複数のものに反応します。`;
    return {
      title: "ニューロン: MLP は何に反応するか",
      body: [
        `各ブロックにはアテンションの後に **MLP** があります。トークンごとのベクトルを ${int(f.width / 4)} 個から ${int(f.width)} 個の数に広げ、それぞれを GELU に通し、また元の幅に戻します。この ${int(f.width)} 個の数のひとつひとつが **ニューロン** です: h = GELU(w · x + b)、トークンのベクトルの重み付き和を活性化関数で曲げたもの。h が大きいところで「発火」します。GELU は負の和を 0 近くに抑えるので、あるトークンで発火しているのはごく一部です。`,
        `「${quote(f.text, 50)}」の ${int(f.tokens)} トークンの最後「${token(f.token)}」では、${f.layers.map((l) => `レイヤー ${l.layer} で ${int(f.width)} 個中 ${int(l.firing)} 個`).join("、")}のニューロンが ${fixed(f.firingAt, 1)} を超えています。最後のレイヤーで最も強いのはニューロン ${last.layer}.${last.index}（h = ${fixed(last.value, 2)}）です。`,
        `${index}自分の文で \`/neurons\` を試してみてください。\`position\` で別のトークンを、\`neuron:${last.layer}.${last.index}\` でひとつのニューロンを文に沿って追えます。ここでの各レイヤーで最も強いニューロン:`,
      ].join("\n\n"),
      table: {
        header: ["レイヤー", "ニューロン", "h", `h > ${fixed(f.firingAt, 1)}`],
        rows: f.layers.map((l) => [String(l.layer), `#${l.index}`, fixed(l.value, 2), `${int(l.firing)} / ${int(f.width)}`]),
        align: ["right", "right", "right", "right"],
      },
      pictures: {},
    };
  },
};
