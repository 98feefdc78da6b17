/** モデルの中をのぞくトピック（lens, attribution, ablation）の日本語の文章。 */
import type { AblationFacts, AttributionFacts, LensFacts, TopicText } from "./facts.ts";
import { cellToken, fixed, int, pct, quote, token } from "./format.ts";

const depthName = (d: number, last: number) => (d === 0 ? "埋め込み" : d === last ? "出力" : `レイヤー${d - 1}の後`);
const signed = (v: number) => (v >= 0 ? `+${fixed(v, 2)}` : fixed(v, 2));

export const lookItemsJa = {
  lens: "ロジットレンズ: 途中のレイヤーで止めたら何を予想するか",
  attribution: "どの言葉が予測を決めたか: 勾配×入力と遮蔽",
  ablation: "アテンションヘッドを止めて、何が壊れるかを見る",
};

export const lookTopicsJa = {
  lens: (f: LensFacts): TopicText<"lens"> => {
    const last = f.depths.length - 1;
    const out = f.depths[last];
    return {
      title: "ロジットレンズ: 各レイヤーの予想",
      body: [
        `モデルは、トークンごとに1本のベクトル（**残差ストリーム**）に各ブロックの計算結果を足し込んでいきます。出力層が読むのは最後の状態だけですが、途中の状態を同じ最後のLayerNormと出力層に通せば、「そこで止めたら何を予測するか」が読めます。これが**ロジットレンズ**です。`,
        `「${quote(f.text, 50)}」（${int(f.tokens)}トークン、${f.nLayer}層）の次のトークンとして、出力は${token(out.token)}（${pct(out.prob)}）を予想しています。アテンションを通る前の埋め込みの段階では、このトークンの確率は${pct(f.outputTokenAtStart)}でした。${f.settledAt === 0 ? "埋め込みの段階からずっと第1候補です。直前の言葉だけで決まるトークンです。" : `深さ${f.settledAt}（${depthName(f.settledAt, last)}）で第1候補になり、そのまま最後まで残ります。それまでのレイヤーが予想を変えたということです。`}`,
        `画像の最後の行は /predict とまったく同じです。最後のトークンについての、深さごとの第1候補:`,
      ].join("\n\n"),
      table: {
        header: ["深さ", "", "第1候補", "確率"],
        rows: f.depths.map((d) => [String(d.layer), depthName(d.layer, last), cellToken(d.token, 12), pct(d.prob)]),
        align: ["right", "left", "left", "right"],
      },
      pictures: {},
    };
  },

  attribution: (f: AttributionFacts): TopicText<"attribution"> => ({
    title: "なぜこのトークン？ 2つの調べ方",
    body: [
      `「${quote(f.text, 50)}」の次に、モデルは${token(f.target.token)}（${pct(f.target.prob)}）を予想しています。どの入力トークンがそう後押ししたのでしょう。2つの方法で調べます（どちらも対数確率の単位）:`,
      `**勾配×入力**: そのトークンのベクトルを少しだけ伸ばしたら、log p はどれだけ上がるか。誤差逆伝播法なら、1回の逆伝播で全トークンの正確な傾きが出ます。ただし「少し動かしたら」という*局所的*な直線の見積もりです。\n**遮蔽（オクルージョン）**: そのトークンがまったくなかったら？ トークンを1つずつ取り除いてモデルを動かし、log p がどれだけ下がるかを測ります。*大きな*変化を直接測れますが、トークンの数だけ順伝播が必要で、取り除くと後ろのトークンが1つずつ前にずれます。`,
      `ここでは勾配×入力の1位は${token(f.gradientTop.token)}（位置${f.gradientTop.position}）、遮蔽の1位は${token(f.occlusionTop.token)}（位置${f.occlusionTop.position}）です。${f.disagree > 0 ? `${f.tokens}トークンのうち${f.disagree}個では、上げたか下げたかの向きまで食い違っています。近くでの傾きと、取り除いたときの結果が違う — モデルは直線ではないからです。` : "どのトークンでも向きは一致しましたが、大きさは違います。傾きは取り除くことと同じではないからです。"} 影響の大きいトークン:`,
    ].join("\n\n"),
    table: {
      header: ["#", "トークン", "勾配×入力", "遮蔽"],
      rows: f.rows.map((r) => [String(r.position), cellToken(r.token, 12), signed(r.gradient), signed(r.occlusion)]),
      align: ["right", "left", "right", "right"],
    },
    pictures: {},
  }),

  ablation: (f: AblationFacts): TopicText<"ablation"> => ({
    title: "アブレーション: ヘッドを止めて何が壊れるか",
    body: [
      `${f.nLayer}層のそれぞれに${f.nHead}個のアテンションヘッドがあります。1つのヘッドの役割を知るには、止めてみればよいのです。その出力をレイヤーの射影の前で0にし、ほかはいつもどおり計算します。推測ではなく、モデルそのものでの実験です。`,
      `「${quote(f.text, 50)}」の次に、モデルは${token(f.top.token)}（${pct(f.top.prob)}）を予想しています。${f.nLayer * f.nHead}個のヘッドを1つずつ止めて、このトークンの log p の変化を測りました。最も頼っているのは**レイヤー${f.decisive.layer}のヘッド${f.decisive.head}**（${signed(f.decisive.delta)}）で、止めると${token(f.top.token)}は${pct(f.probWithout)}になり、${f.topChanged ? `第1候補は${token(f.newTop.token)}（${pct(f.newTop.prob)}）に変わります。` : "それでも第1候補のままです。1つのヘッドだけで決まっているわけではありません。"}`,
      `${f.quiet}個のヘッドはここではほとんど効いていません（変化が0.05未満）。${f.helpful.delta > 0 ? `レイヤー${f.helpful.layer}のヘッド${f.helpful.head}は、止めるとかえって確率が上がります（${signed(f.helpful.delta)}）。別の候補を推していたヘッドです。` : ""}ある文で大事なヘッドが、別の文では何もしていないこともあります。自分の文章でも試してください。画像に全ヘッドの表があります。`,
    ].join("\n\n"),
    pictures: {},
  }),
};
