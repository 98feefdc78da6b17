/**
 * 日本語の説明文。各トピックは、動いているモデルの数値を受け取って文章を返す関数です。
 * 英語版（en.ts）と同じ内容を扱いますが、翻訳ではなく日本語として書いています。
 */
import type { DescentFacts, DescentKind, DescentPictureWords, ExplainTexts, ModelFacts } from "./facts.ts";
import { tokenLookupSentence } from "./token-lookup.ts";
import { TOPICS } from "./topics.ts";
import { big, bytes, cellToken, cut, duration, vec, fixed, int, pct, power, quote, rate, sci1, sig, token } from "./format.ts";
import { lookItemsJa, lookTopicsJa } from "./look-ja.ts";
import { acrossItemsJa, acrossTopicsJa } from "./across-ja.ts";
import { neuronsItemsJa, neuronsTopicsJa } from "./neurons-ja.ts";

const OWNER: Record<"server" | "playground", string> = {
  server: "このサーバーのメッセージで学習した、このサーバー専用のモデル",
  playground: "ここで渡した文章で学習した、このプレイグラウンド専用のモデル",
};

const modelLine = (m: ModelFacts) =>
  m.trainedBy === null ? `使用モデル: **${quote(m.name, 40)}**` : `使用モデル: **${quote(m.name, 40)}**（${OWNER[m.trainedBy]}）`;

const KIND: Record<DescentKind, string> = { small: "小さい", good: "ちょうどよい", large: "大きすぎ" };

function descentWords(f: DescentFacts, m: ModelFacts, title: string): DescentPictureWords {
  return {
    title,
    subtitle: `${m.name} · ${int(f.params)}個のパラメータのうち2つだけを動かし、他は固定 · 素朴な勾配降下法、${f.steps}歩`,
    notes: [
      `2つの倍率の値の組ごとに「${cut(f.sentence, 40)}」の損失を計算しました（モデルの他の部分はそのまま）。等高線は損失が等しい点を結んだ線で、登山地図の等高線と同じ読み方をします。`,
    ],
    mapHeading: "損失の地形（2次元の断面）",
    xLabel: `チャンネル${f.channels[0]}の倍率（ln_f）`,
    yLabel: `チャンネル${f.channels[1]}の倍率`,
    pathLabel: (kind, lr) => `学習率 ${lr}（${KIND[kind]}）`,
    start: f.startIsModel ? "出発点 = 現在のモデル" : "出発点",
    model: "現在のモデル",
    minimum: "最低点",
    chartHeading: "各ステップ後の損失",
    chartX: "ステップ",
    chartY: "損失",
    low: "損失が低い",
    high: "高い",
  };
}

function walkLines(f: DescentFacts): string {
  const describe: Record<DescentKind, string> = {
    small: "安全だけれど遅い",
    good: "まっすぐ谷へ下りる",
    large: "行き過ぎて、谷の両側を行ったり来たり",
  };
  return f.paths
    .map((p) => {
      const end = p.losses[p.losses.length - 1];
      const rise = p.firstRise !== null && p.kind !== "good" ? `（${p.firstRise}歩目で損失が上がった）` : "";
      return `・学習率 **${rate(p.lr)}**（${KIND[p.kind]}）: 損失 ${fixed(p.losses[0], 3)} → ${fixed(end, 3)}。${describe[p.kind]}${rise}`;
    })
    .join("\n");
}

export const ja: ExplainTexts = {
  lang: "ja",
  modelLine,
  defaults: {
    sentence: "昨日は雨だったけど、今日は晴れだった。",
    prompt: "昨日は雨だったけど、",
    queries: ["雨", "今日", "晴れ", "は", "の"],
  },
  path: {
    title: `言語モデルのしくみ ${TOPICS.length}のステップ`,
    intro:
      "どのトピックも、このボット自身のモデルの本物の数値と画像で説明します。順番に読んでも、気になるものから読んでもかまいません: `/explain <トピック>`",
    items: {
      learning: "学習とは、よいパラメータを探すこと",
      loss: "損失（ロス）: 本物の文章にモデルがどれだけ驚くか",
      "bits-per-byte": "1バイトあたりのビット数: どのモデルどうしでも比べられる損失",
      derivative: "微分: 1つの数をずらす方法と誤差逆伝播法",
      "gradient-descent": "損失の地形を坂の下へ歩く（勾配降下法）",
      "learning-rate": "1歩の大きさ: 小さすぎ・ちょうどよい・大きすぎ、ウォームアップと減衰",
      "neural-network": "行列の積と活性化関数",
      tokens: "モデルが実際に読む、文字列のかけら",
      embeddings: "トークンをベクトルで表す: 使われ方が似ていれば向きも似る",
      attention: "クエリ・キー・バリュー: トークンが前を振り返るしくみ",
      generation: "文章を書く = 次のトークンの予測を繰り返す",
      ...lookItemsJa,
      ...acrossItemsJa,
      ...neuronsItemsJa,
      parameters: "このモデルの大きさを、GPT-2やGPT-3と比べる",
      compute: "学習にかかる計算量を、回数と年数で",
    },
    footer:
      "多くのトピックには自分の文章も渡せます。たとえば `loss` はその文を採点し、`attention` は最後の言葉がどこを見ているかを示します。",
  },
  topics: {
    learning: (f) => {
      const curve =
        f.firstLoss !== null && f.lastLoss !== null
          ? `${int(f.vocabSize)}種類のトークンから当てずっぽうに選ぶと、損失は ln ${int(f.vocabSize)} = ${fixed(f.guessLoss, 2)}。このモデルは最初 ${fixed(f.firstLoss, 2)} でしたが、${int(f.step)}ステップ後には ${fixed(f.lastLoss, 2)} まで下がりました。下がっていく様子は画像のとおりです。${f.valLoss !== null ? `学習に使っていない文章では ${fixed(f.valLoss, 2)}${f.valLoss - f.lastLoss < 0.3 ? "とほぼ同じで、丸暗記ではなくパターンを学んだことがわかります" : "と高めです。学んだことの一部が、学習用の文章にしか当てはまらないためです"}。` : ""}`
          : `${int(f.vocabSize)}種類のトークンから当てずっぽうに選ぶと、損失は ln ${int(f.vocabSize)} = ${fixed(f.guessLoss, 2)}。このモデルのファイルには学習の記録が残っていないので、グラフは描けません。`;
      const batch = f.batchSize !== null ? `${f.batchSize}か所 × ${f.blockSize}トークン` : `最大${f.blockSize}トークンずつ`;
      const read =
        f.tokensSeen !== null
          ? `学習では合計${int(f.tokensSeen)}トークンを読みました${f.trainSeconds !== null ? `（${duration(f.trainSeconds, "ja")}）` : ""}。`
          : "";
      return {
        title: "学習 = よいパラメータを探すこと",
        body: [
          `言語モデルは、調整できる数（**パラメータ**）をたくさん含んだ、1つの大きな計算式です。このモデルでは${int(f.params)}個。最初はでたらめな値なので、次のトークンの予測も当てずっぽうです。**学習**とは、予測がよく当たるように、これらの数の値を探していくことです。`,
          `当たり具合は**損失（ロス）**で測ります（\`/explain loss\`）。小さいほど予測が上手です。${curve}`,
          `1ステップの中身:\n1. **順伝播**: 文章のかたまり（${batch}）を取り出し、各位置で次のトークンを予測する\n2. **損失**: 予測と本当の次のトークンを比べる\n3. **逆伝播**: パラメータ1つ1つについて、どちらへ動かせば損失が減るか（**勾配**）を求める\n4. **更新**: 全パラメータをその向きへ少しだけ動かす（AdamW、学習率は最大 ${rate(f.maxLr)}）\nこれを次のかたまりで繰り返します。`,
          `${read}今このモデルで「${quote(f.sentence)}」の損失を測ると ${fixed(f.sentenceLoss, 3)} です。`,
        ].join("\n\n"),
        pictures: {},
      };
    },

    loss: (f, m) => {
      const best = f.rows.reduce((a, b) => (b.prob > a.prob ? b : a));
      const worst = f.rows.reduce((a, b) => (b.prob < a.prob ? b : a));
      return {
        title: "損失（ロス）: モデルがどれだけ驚いたか",
        body: [
          `モデルの採点は、次のトークンを隠して「本当に来たトークンに、モデルは何％の確率 p をつけていたか」を見て行います。そこから **−log p**（驚きの大きさ）を計算します。自信をもって当てれば（p = 100%）0、p = 50% なら 0.69、p = 1% なら 4.6。全トークンの驚きの平均が**損失**（交差エントロピー）で、学習はこの数を小さくしていきます。`,
          `「${quote(f.sentence)}」をトークンごとに採点すると（各トークンより前の部分だけを見て予測）:\n・いちばん予想どおり: 「${token(best.token)}」（p = ${pct(best.prob)}）\n・いちばん意外: 「${token(worst.token)}」（p = ${pct(worst.prob)}）\n驚きの合計 ${fixed(f.sum, 2)} ÷ ${f.rows.length}トークン = 損失 **${fixed(f.mean, 3)}**。${int(f.vocabSize)}種類から当てずっぽうに選ぶと ${fixed(f.guessLoss, 2)} になります。${f.dropped > 0 ? `（モデルの文脈に入りきらない最後の${f.dropped}トークンは除きました。）` : ""}`,
          `p = 本当のトークンの確率、「予想」= モデルがいちばん推していたトークン（「=」は的中）:`,
        ].join("\n\n"),
        table: {
          header: ["トークン", "p", "-log p", "予想"],
          rows: f.rows.map((r) => [
            cellToken(r.token, 10),
            pct(r.prob),
            fixed(r.loss, 2),
            r.guess === r.token ? "=" : cellToken(r.guess, 10),
          ]),
          align: ["left", "right", "right", "left"],
          footer: [["平均", "", fixed(f.mean, 3), ""]],
        },
        pictures: {
          title: "文の損失を、トークンごとに",
          subtitle: `${m.name} · 損失 ${fixed(f.mean, 3)} = 棒の長さの平均`,
          notes: [
            "棒が長いほど驚いた、つまりそのトークンに低い確率しかつけていなかったということです。点線が平均、つまり損失です。青: 平均より驚きが小さい、オレンジ: 大きい、ピンク: 平均の2倍以上。予想が緑なら的中です。",
          ],
          token: "次のトークン",
          prob: "p",
          loss: "驚き（−log p）",
          guess: "モデルの予想",
          mean: (v) => `損失（平均）= ${v}`,
          more: (n) => `…ほか${n}トークン`,
        },
      };
    },

    "bits-per-byte": (f, m) => ({
      title: "1バイトあたりのビット数: どのモデルにも使える物差し",
      body: [
        `損失（\`/explain loss\`）は**トークン**1個あたりの平均で、単位は**ナット**（自然対数）です。ところがトークンの切り方はモデルごとに違います。このモデルは「${quote(f.sentence, 50)}」を${f.tokens}トークンとして読みますが、もっと細かく切るモデルはトークンが増え、1個ずつは当てやすくなるので、予測が上手でなくても損失は小さく出ます。モデルどうしや圧縮ソフトと比べるには、文章の**バイト**1個あたり、**ビット**で数えます:`,
        `**ビット/バイト = 損失 × トークン数 ÷ (バイト数 × ln 2)**\n損失 × トークン数が驚きの合計（ナット）、ln 2 = ${fixed(Math.LN2, 3)} で割るとビットになり、バイト数で割ると文章のUTF-8の1バイトあたりになります（ローマ字は1文字1バイト、かなや漢字は3バイト）。`,
        `いま測ると: ${fixed(f.lossPerToken, 3)} × ${f.tokens} ÷ (${int(f.bytes)} × ${fixed(Math.LN2, 3)}) = **1バイトあたり ${fixed(f.bitsPerByte, 3)} ビット**。${int(f.vocabSize)}種類から当てずっぽうに選ぶと ${fixed(f.guessBitsPerByte, 2)}、バイトをそのまま保存すれば 8 です。${f.dropped > 0 ? `（文脈に入りきらない最後の${f.dropped}トークンは除きました。）` : ""}文章に確率 P をつけるモデルは、それを −log₂ P ビットで保存できます（算術符号）。つまりこの数は、モデルを使えば文章をどこまで小さく圧縮できるか、でもあります。`,
        f.heldOut
          ? "学習で一度も読んでいない文章で、すべての窓について測った値（`npm run cli -- eval`）と、同じファイルでの gzip・xz:"
          : "このモデルには学習外の文章での記録がありません。`npm run cli -- eval --model FILE --text-file FILE` でどんな文章でも測れます。",
      ].join("\n\n"),
      ...(f.heldOut && {
        table: {
          header: ["文章", "バイト", "損失", "ビット/B", "gzip", "xz"],
          rows: f.heldOut.map((h) => [
            cut(h.title, 24),
            int(h.bytes),
            fixed(h.lossPerToken, 3),
            fixed(h.bitsPerByte, 3),
            fixed(h.gzip, 3),
            fixed(h.xz, 3),
          ]),
          align: ["left", "right", "right", "right", "right", "right"],
        },
      }),
      pictures: {
        title: "損失から1バイトあたりのビット数へ",
        subtitle: `${m.name} · 1トークン ${fixed(f.lossPerToken, 3)} ナット × ${f.tokens}トークン ÷ (${int(f.bytes)}バイト × ln 2) = ${fixed(f.bitsPerByte, 3)} ビット/バイト`,
        notes: [
          `棒はトークン1個ずつの驚き −ln p（ナット）です。合計 ${fixed(f.sum, 2)} を ln 2 で割ると文全体に必要なビット数 ${fixed(f.sum / Math.LN2, 1)}、それを ${int(f.bytes)} バイトで割ると 1バイトあたり ${fixed(f.bitsPerByte, 3)} ビットです。`,
        ],
        token: "次のトークン",
        prob: "p",
        loss: "驚き（−ln p）",
        guess: "モデルの予想",
        mean: (v) => `損失（平均）= ${v}`,
        more: (n) => `…ほか${n}トークン`,
      },
    }),

    derivative: (f, m) => {
      const part = { query: "クエリ", key: "キー", value: "バリュー" }[f.part];
      const vanish = f.smallestStepVanishes ? "h = 1e-10 では、w + h が float32 では w と同じ数になってしまい、推定値は0です。" : "";
      return {
        title: "微分: 1つの数をずらす方法と誤差逆伝播法",
        body: [
          `パラメータをどちらへ動かせばよいかを知るには、その**微分**が必要です。その数をほんの少し変えたとき、損失がどれだけ変わるか、という量です。`,
          `このモデルの本物のパラメータを1つ取り出しました: \`${f.paramName}[${f.row}, ${f.col}]\`（レイヤー${f.layer}、${part}を作る重みの一部）、値は ${sig(f.value, 4)}。「${quote(f.sentence, 40)}」での損失は ${fixed(f.loss, 4)} です。\n・**数値微分**: h だけずらして測り直す。(L(w+h) − L(w)) / h、またはより正確な中心差分 (L(w+h) − L(w−h)) / 2h\n・**誤差逆伝播法**なら、答えは **${sig(f.backprop, 5)}** とすぐに出ます`,
          `h を小さくしていくと推定値はこの値に近づきますが、小さくしすぎると崩れます。モデルは float32（有効数字およそ7桁）で計算しているので、h が小さいと損失の変化が丸め誤差に埋もれてしまうのです。${vanish}`,
          `学習で逆伝播を使う理由: このモデルのパラメータは${int(f.params)}個。数値微分では順伝播が${int(2 * f.params)}回必要で、約${duration(f.numericalSeconds, "ja")}かかります（1回${duration(f.forwardSeconds, "ja")}）。逆伝播なら1回（${duration(f.backwardSeconds, "ja")}）で、${int(f.params)}個すべての微分が一度に出ます。`,
          `h ごとの推定値:`,
        ].join("\n\n"),
        table: {
          header: ["h", "前進差分", "中心差分"],
          rows: f.rows.map((r) => [sci1(r.h), sig(r.forward, 4), sig(r.central, 4)]),
          footer: [["逆伝播", sig(f.backprop, 4), ""]],
        },
        pictures: {
          title: "1つの重みについての、損失の微分",
          subtitle: `${m.name} · ${f.paramName}[${f.row}, ${f.col}] · 逆伝播: ${sig(f.backprop, 5)}`,
          notes: [
            "左: この重みだけを動かし、他はすべて固定したときの損失。微分は点線の接線の傾きです。右: 差分による推定値が、逆伝播で求めた傾きからどれだけずれているか。h が大きすぎると傾きではなく曲線の曲がりまで測ってしまい、小さすぎると丸め誤差を測ってしまいます。",
          ],
          sliceHeading: "1つの重みを動かしたときの損失",
          sliceX: "重みの値",
          sliceY: "損失",
          curve: "損失",
          tangent: "逆伝播で求めた傾き",
          point: "現在",
          errorHeading: "推定値の誤差（刻み h ごと）",
          errorX: "刻み h",
          errorY: "相対誤差",
          forward: "(L(w+h) − L(w)) / h",
          central: "(L(w+h) − L(w−h)) / 2h",
        },
      };
    },

    "gradient-descent": (f, m) => ({
      title: "勾配降下法: 損失の坂を下る",
      body: [
        `損失を地形だと考えてみましょう。パラメータの値の組み合わせ1つ1つが地図上の場所で、損失がその高さです。学習は低い谷を探します。このモデルのパラメータは${int(f.params)}個もあって、方向が多すぎて描けないので、2つ以外はすべて固定しました: 出力の直前にある最後のLayerNormの、チャンネル${f.channels[0]}と${f.channels[1]}の倍率です。地図は、その2つの値の組ごとに「${quote(f.sentence, 40)}」の損失を実際に計算したもので、暗いほど損失が低い場所です。`,
        `**勾配降下法**: 今いる場所でいちばん急な下り方向（勾配。逆伝播で求めます）を調べ、学習率×勾配だけ進む。これを繰り返します。${f.startIsModel ? "3つとも、モデルの現在の値（白い点）から出発します。" : "このモデルの値（灰色の四角）はすでにこの断面の谷底近くにあるので、斜面を少し上がった点（白い点）から出発します。"}それぞれ${f.steps}歩:\n${walkLines(f)}`,
        `この断面でいちばん低い点の損失は ${fixed(f.minLoss, 3)}（金色の十字）、モデル自身の値では ${fixed(f.modelLoss, 3)} です。本物の学習では、これと同じことを${int(f.params)}方向すべてで同時に行います。ここまで大きな学習率が合うのは、この断面がゆるやかに曲がっているからです。歩幅の決め方は \`/explain learning-rate\` で。`,
      ].join("\n\n"),
      pictures: descentWords(f, m, "本物の損失の断面で、勾配降下法"),
    }),

    "learning-rate": (f, m) => {
      const s = f.schedule;
      const large = f.paths.find((p) => p.kind === "large")!;
      return {
        title: "学習率: 1歩の大きさ",
        body: [
          `**学習率**は、1歩でどれだけ進むかを決める数です。小さすぎると学習がなかなか進まず、大きすぎると毎回谷を飛び越えて、損失が上下したり増えたりします。このモデルの本物の2パラメータの断面で、3通り歩かせてみました（1枚目、素朴な勾配降下法）:\n${walkLines(f)}`,
          `どこからが「大きすぎ」かは、谷の曲がり具合（曲率。坂の傾きがどれだけ速く変わるか）で決まります。ここではいちばん急な曲率が ${sig(f.curvature, 3)} なので、2 ÷ ${sig(f.curvature, 3)} ≈ ${sig(2 / f.curvature, 3)} を超える学習率は行き過ぎます。「大きすぎ」の ${rate(large.lr)} はそれより上です。`,
          `本物の学習では、学習率を途中で変えていきます（2枚目: ${s.recorded ? "このモデル自身のスケジュール" : "標準のスケジュール。このモデルのファイルには設定が記録されていませんでした"}）。**ウォームアップ**: 最初の${int(s.warmupSteps)}ステップで0近くから${rate(s.maxLr)}まで上げます。最初はパラメータがでたらめで、勾配が暴れやすいからです。その後は**コサイン減衰**でステップ${int(s.totalSteps)}までに${rate(s.minLr)}へ下げ、終盤は細かく調整します。最後のステップ（${int(s.step)}）の学習率は${rate(s.lrAtStep)}でした。`,
          `（学習に使っているAdamWは、勾配のふだんの大きさで歩幅をならすので、その学習率は地図の学習率とは単位が違い、比べられません。）`,
        ].join("\n\n"),
        pictures: {
          ...descentWords(f, m, "本物の損失の断面で、3つの学習率"),
          schedule: {
            title: "このモデルの学習率スケジュール",
            subtitle: `${m.name} · ${int(s.warmupSteps)}ステップのウォームアップで${rate(s.maxLr)}へ、ステップ${int(s.totalSteps)}で${rate(s.minLr)}までコサイン減衰`,
            notes: ["線: 各ステップで予定された学習率。点: 学習中に記録された学習率。"],
            xLabel: "学習ステップ",
            yLabel: "学習率",
            line: "予定（ウォームアップ＋コサイン）",
            recorded: "学習中の記録",
            warmupEnd: "ウォームアップ終了",
            lastStep: "学習の終了",
          },
        },
      };
    },

    "neural-network": (f, m) => ({
      title: "ニューラルネットワーク: 行列の積と活性化関数",
      body: [
        `ニューラルネットワークの1層は、**行列の積**（出力の1つ1つが、入力全部の重みつき和。その重みがパラメータ）と、その結果の数1つ1つにかける**活性化関数**でできています。活性化関数がないと、行列の積を何層重ねても1回の行列の積と同じになり、層を重ねる意味がなくなります。`,
        `このモデルの${f.nLayer}個のブロックには、それぞれこういう2層のネットワーク（MLP）が入っています:\nトークンのベクトル（${f.C}個の数）× ${f.C}×${f.hidden}の行列 → ${f.hidden}個の数 → **GELU** → × ${f.hidden}×${f.C}の行列 → ${f.C}個の数\n重みはブロックあたり${int(f.mlpParamsPerBlock)}個です。`,
        `教科書によく出てくる代表的な活性化関数は**シグモイド**（0から1へのS字カーブ）ですが、GPTでは**GELU**を使います。「プラスは通し、マイナスは0近くに抑える」をなめらかにした関数です。画像には両方と、このモデルの本物の数（点）を描きました。「${quote(f.sentence, 40)}」を読んだレイヤー0では、GELUに入った数の${pct(f.negativeShare)}がマイナスでした。`,
        `1トークンあたりの計算量: MLP 1つで掛け算と足し算が${int(f.mlpMacsPerToken)}回、${f.nLayer}ブロックで${int(f.allMlpMacsPerToken)}回。モデル全体では約${int(f.modelMacsPerToken)}回です（文脈が${f.blockSize}トークンいっぱいのとき）。`,
        `レイヤー0、トークン「${token(f.token)}」の${f.hidden}個の数のうち、最初の${f.pre.length}個のGELUの前と後:`,
      ].join("\n\n"),
      table: {
        header: ["#", "x", "GELU(x)"],
        rows: f.pre.map((x, i) => [String(i), fixed(x, 3), fixed(f.post[i], 3)]),
        align: ["right", "right", "right"],
      },
      pictures: {
        title: "活性化関数と、このモデルの本物の数",
        subtitle: `${m.name} · レイヤー0のMLP: ${f.C} → ${f.hidden} → GELU → ${f.C}`,
        notes: [
          "点: この文章について、レイヤー0のMLPがGELUに通した数すべて（入力 x、出力 GELU(x)）。下の棒は、入力がどのあたりの値に多かったかを表します。",
        ],
        gelu: "GELU（このモデルが使用）",
        sigmoid: "シグモイド",
        samples: "このモデルの数",
        xLabel: "入力 x",
        yLabel: "出力",
        histogram: "入力の値の出現回数",
      },
    }),

    tokens: (f) => {
      const tokenizer =
        f.kind === "charbpe"
          ? `このモデルのトークナイザーは**文字単位のBPE**（文字から始めるバイトペア符号化）です。学習用の文章によく出る${int(f.vocabSize - 257 - (f.merges ?? 0))}種類の文字をそれぞれ1トークンとし、よく隣り合う組を${int(f.merges ?? 0)}回つなげて覚えました。よく出る言葉は1トークンになり、覚えていない文字はそのバイト（1文字につき2〜4トークン）に分かれるので、読めない文章はありません。`
          : f.kind === "bpe"
            ? `このモデルのトークナイザーはバイト単位の**BPE**（バイトペア符号化）です。256種類のバイトから出発し、学習用の文章でよく隣り合っていた組を${int(f.merges ?? 0)}回つなげて覚えました。よく出る言葉は1つのトークンに、珍しい文字列は細かいかけらに分かれ、1文字の途中のバイトになることもあります（<e3><81>のように表示）。`
            : `このモデルのトークナイザーは1文字ずつ区切る方式です。学習中に見た文字それぞれが1トークンで、それ以外の文字は「不明」トークンになります（あなたの文章では${f.unknown}文字）。`;
      const vector = f.first
        ? `各IDは**埋め込み表**の1行を選びます: 「${token(f.first.token)}」（ID ${f.first.id}）→ [${f.first.vector.map((v) => fixed(v, 3)).join(", ")}, …]、学習で決まった${f.C}個の数です。ここから先、モデルはこうしたベクトルだけで計算します（\`/explain embeddings\`）。`
        : "";
      return {
        title: "トークン: モデルが読む単位",
        body: [
          `モデルは文字や単語をそのまま読むわけではありません。読むのは**トークン**、決まった語彙の中にある文字列のかけらで、それぞれに番号（ID）がついています。このモデルの語彙は${int(f.vocabSize)}トークンです。`,
          `「${quote(f.text)}」: ${int(f.chars)}文字 → ${int(f.tokens)}トークン、1トークンあたり${f.tokens > 0 ? fixed(f.chars / f.tokens, 2) : "0"}文字。どこで区切られたかは画像のとおりです。`,
          tokenizer,
          vector,
        ]
          .filter((p) => p.length > 0)
          .join("\n\n"),
        pictures: {},
      };
    },

    embeddings: (f) => ({
      title: "トークンのベクトル: 意味を向きで表す",
      body: [
        `モデルにとって、トークンはどれも${f.C}個の数の並び、つまり**ベクトル**（${f.C}次元の空間の矢印）です。学習が進むと、似た使われ方をするトークンほど似た向きを指すように、矢印が動いていきます。`,
        `画像は、${f.C}次元を、ベクトルどうしの違いがいちばん大きい2方向に押しつぶしたもの（主成分分析）です。点が近いほどベクトルが似ています。ただし平面の図は${f.C}次元の影にすぎないので、下の表は${f.C}個すべての数で測りました。`,
        tokenLookupSentence(f.lookup, "ja", (label) => token(label)),
        `「${token(f.query)}」（ID ${f.queryId}）のベクトルは [${f.vector.map((v) => fixed(v, 3)).join(", ")}, …] と始まります。**コサイン類似度**（1 = 同じ向き、0 = 無関係、−1 = 逆向き）でいちばん近いトークン:`,
      ].join("\n\n"),
      table: {
        header: ["トークン", "コサイン類似度"],
        rows: f.neighbours.map((n) => [cellToken(n.token, 16), fixed(n.cosine, 3)]),
      },
      pictures: {},
    }),

    attention: (f) => ({
      title: "アテンション: クエリ・キー・バリュー",
      body: [
        `**アテンション**は、トークンが前のトークンから情報を集めるしくみです。各トークンは自分のベクトルから3つのベクトルを作ります: **クエリ**（何を探している？）、**キー**（自分は何を持っている？）、**バリュー**（相手に渡す中身）。`,
        `最後のトークン「${token(f.query)}」について、レイヤー${f.layer}のヘッド${f.head}（全${f.nLayer * f.nHead}個のヘッドのうち、このトークンが前のトークン1つをいちばん強く見ているもの）での本物の計算です:\n1. これまでの各トークンに点数をつける: 相手のキー・自分のクエリ（内積）÷ √${f.headSize}（なぜ√${f.headSize}か: クエリもキーも${f.headSize}個の数で、内積は${f.headSize}個の積の和です。関係のない数どうしなら、その和は1つの積のおよそ√${f.headSize} ≈ ${fixed(Math.sqrt(f.headSize), 1)}倍の幅に広がります。これで割ると、ヘッドの大きさによらず点数が同じくらいの範囲に収まり、ソフトマックスが1つのトークンに重みを全部与えてしまうことを防げます）\n2. ソフトマックスで、点数を合計100%の重みに変える\n3. 重みでバリューを足し合わせたものが出力`,
        `画像は「${quote(f.text, 40)}」の全トークンについての、このヘッドの重みです（1行が1トークン${f.dropped > 0 ? `。モデルの文脈に入るのは最後の${f.tokens}トークンだけです` : ""}）。このモデルは${f.nLayer}層それぞれに${f.nHead}個のヘッドを持ち、ヘッドごとに別のものに注目できます。`,
        `重みの大きい${f.rows.length}個と、それぞれのバリューの最初の3つの数。最後の行がこのヘッドの実際の出力で、全${f.tokens}トークンについての「重み×バリュー」の合計です:`,
      ].join("\n\n"),
      table: {
        header: ["見ているトークン", "点数", "重み", "バリュー[0:3]"],
        rows: [
          ...f.rows.map((r) => [`${r.position} ${cellToken(r.token, 8)}`, fixed(r.score, 2), pct(r.weight), vec(r.value)]),
          ...(f.others.count > 0 ? [[`ほか${f.others.count}個`, "", pct(f.others.weight), ""]] : []),
        ],
        footer: [["出力", "", "100%", vec(f.output)]],
      },
      pictures: {},
    }),

    generation: (f) => ({
      title: "文章を書く: 次のトークンの予測を繰り返す",
      body: [
        `言語モデルが答えられるのは、実はたった1つの問いだけです: **次に来るトークンはどれ？** 語彙の全${int(f.vocabSize)}トークンそれぞれに確率をつけます。文章を書くときは、その中から1つ選んで後ろにつなげ、また同じ問いを繰り返します。`,
        `「${quote(f.prompt, 50)}」から始めて、このモデルが書いた続き: 「${quote(f.output, 120)}」${f.stoppedAtEnd ? "（ここでメッセージを終えることを選びました）" : ""}`,
        `いつも1位の候補を選ぶわけではなく、確率に応じてくじ引きのように選びます（温度${f.temperature}、上位${f.topK}個から、シード${f.seed}）。こうすると同じ言葉の繰り返しにはまりにくくなり、同じシードなら同じ文章になります。画像は全ステップで、最初のほうは次のとおり:`,
      ].join("\n\n"),
      table: {
        header: ["#", "上位の候補", "選択"],
        rows: f.steps
          .slice(0, 8)
          .map((s, i) => [
            String(i + 1),
            s.candidates.map((c) => `${cellToken(c.token, 6)} ${pct(c.prob)}`).join(" "),
            cellToken(s.chosen, 8),
          ]),
        align: ["right", "left", "left"],
      },
      pictures: {},
    }),

    ...lookTopicsJa,
    ...acrossTopicsJa,
    ...neuronsTopicsJa,
    parameters: (f, m) => {
      const names = { embedding: "トークン埋め込み", position: "位置", attention: "アテンション", mlp: "MLP", layernorm: "LayerNorm" };
      return {
        title: "パラメータ: このモデルはどれくらい大きい？",
        body: [
          `モデルが学んだことは、すべて**パラメータ**に入っています。このモデルは**${int(f.counts.total)}個**（32ビットの数で${bytes(f.bytes)}）: ${f.nLayer}個のブロック、${f.C}個の数からなるベクトル、ブロックごとに${f.nHead}個のアテンションヘッド、${int(f.vocabSize)}トークンの語彙、${int(f.blockSize)}トークンの文脈。`,
          `比べてみると（公開されている形から同じ式で数えました）: GPT-2 small は${big(f.gpt2, "ja")}個（このモデルの${big(f.gpt2 / f.counts.total, "ja")}倍）、GPT-3は約${big(f.gpt3, "ja")}個（${big(f.gpt3 / f.counts.total, "ja")}倍）。部品は同じで、数が多くて幅が広いだけです。画像は対数目盛りで、目盛り1つごとに10倍です。`,
          `このモデルのパラメータの内訳:`,
        ].join("\n\n"),
        table: {
          header: ["部分", "個数", "割合"],
          rows: (["embedding", "position", "attention", "mlp", "layernorm"] as const)
            .filter((k) => f.counts[k] > 0)
            .map((k) => [names[k], int(f.counts[k]), pct(f.counts[k] / f.counts.total)]),
          footer: [["合計", int(f.counts.total), "100%"]],
        },
        pictures: {
          title: "パラメータ数（対数目盛り）",
          subtitle: `${m.name}: パラメータ${int(f.counts.total)}個`,
          notes: ["GPT-2とGPT-3は、公開されている形（層の数、幅、語彙、文脈の長さ）から、このプロジェクト自身の式で数えました。"],
          heading: "パラメータ数（目盛り1つ = 10倍）",
          axis: "パラメータ数",
          thisModel: "このモデル",
          gpt2: "GPT-2 small",
          gpt3: "GPT-3",
          breakdown: "このモデルの内訳",
          parts: names,
        },
      };
    },

    compute: (f, m) => {
      const measured = f.source === "measured";
      const speed = `毎秒約${big(f.flopsPerSecond, "ja")} FLOP`;
      const run = measured
        ? `このモデルのファイルには学習時間の記録がないので、学習1ステップ（${int(f.tokensSeen)}トークンの順伝播＋逆伝播）をこのマシンで今測りました: ${duration(f.seconds, "ja")}、**${speed}**です。`
        : `このモデル: 6 × ${int(f.params)} × ${int(f.tokensSeen)}トークン ≈ **${power(f.flops)} FLOP**。CPUでの学習に${duration(f.seconds, "ja")}かかったので、**${speed}**です。`;
      return {
        title: "計算量: 学習にかかるコスト",
        body: [
          `学習のコストは**FLOP**（浮動小数点演算。掛け算や足し算1回）の回数で数えます。便利な目安は **6 × パラメータ数 × トークン数**。1トークン・1パラメータあたり、順伝播で約2回（掛け算と足し算）、逆伝播で約4回です。`,
          run,
          `GPT-3（パラメータ${big(f.gpt3Params, "ja")}個、学習トークン${big(f.gpt3Tokens, "ja")}）: 6 × ${big(f.gpt3Params, "ja")} × ${big(f.gpt3Tokens, "ja")} ≈ ${power(f.gpt3Flops)} FLOP。この速さだと約**${duration(f.gpt3Seconds, "ja")}**かかります。実際には、この種の計算がCPUよりずっと速いGPUを大量に並べて学習しました。`,
          `モデルを使うときにも計算が必要で、1トークンあたり約 2 × パラメータ数: このモデルで${big(f.perTokenFlops, "ja")} FLOP、GPT-3なら${big(2 * f.gpt3Params, "ja")} FLOP。同じ速さで計算すると:`,
        ].join("\n\n"),
        table: {
          header: ["", "FLOP", "かかる時間"],
          rows: [
            ["このモデル 1トークン", sci1(f.perTokenFlops), duration(f.perTokenFlops / f.flopsPerSecond, "ja")],
            [measured ? "学習1ステップ" : "このモデルの学習", sci1(f.flops), duration(f.flops / f.flopsPerSecond, "ja")],
            ["GPT-3 1トークン", sci1(2 * f.gpt3Params), duration((2 * f.gpt3Params) / f.flopsPerSecond, "ja")],
            ["GPT-3の学習", sci1(f.gpt3Flops), duration(f.gpt3Seconds, "ja")],
          ],
          align: ["left", "right", "right"],
        },
        pictures: {
          title: "計算量（対数目盛り）",
          subtitle: `${m.name} · ${measured ? "このマシンで測定" : "学習時の速さ"}: ${speed}`,
          notes: [
            "各項目の下は、その速さで計算したときにかかる時間です。学習 ≈ 6 × パラメータ数 × トークン数、使うとき ≈ 1トークンあたり 2 × パラメータ数。",
          ],
          heading: "浮動小数点演算の回数（目盛り1つ = 10倍）",
          axis: "FLOP",
          bars: {
            thisToken: "このモデル: 1トークン",
            thisTraining: measured ? "このモデル: 学習1ステップ" : "このモデル: その学習",
            gpt3Token: "GPT-3: 1トークン",
            gpt3Training: "GPT-3: その学習",
          },
          time: (seconds) => `その速さで${duration(seconds, "ja")}`,
        },
      };
    },
  },
};
