/**
 * Attention rollout as a picture: the [T, T] matrix R drawn as one head is (row = a position at
 * the output, column = an input token, the future hatched), on the heat scale of its largest
 * visible value. R = Â_{L−1} ··· Â_0 with Â_l = rownorm(½·mean_h A_l + ½·I) (src/app/attention-views.ts).
 */
import { attentionHeadLayout, type AttentionHeadInput, type AttentionHeadLayout, renderAttentionMatrix } from "./attention.ts";
import { formatInt } from "./format.ts";
import { labelsFor, type Lang } from "./lang.ts";

export interface RolloutPictureInput {
  tokens: string[];
  /** R [T, T] row-major: rollout[q * T + k] = the share of input token k in position q */
  rollout: ArrayLike<number>;
  /** how many layers were multiplied */
  layers: number;
  modelName: string;
  lang: Lang;
  /** longest input drawn in full; longer inputs show their last tokens (default 48) */
  maxTokens?: number;
}

const LABELS = {
  en: {
    title: (layers: number) => `Attention rollout · through all ${formatInt(layers)} layers`,
    legend:
      "Each row is a position at the output, each column an input token: how much of that token reached the position through all layers. Each layer counts as ½ × its heads' mean attention + ½ × the residual stream passing by (the identity), and the layers are multiplied in order. A row adds up to 1.",
  },
  ja: {
    title: (layers: number) => `アテンション・ロールアウト · 全${formatInt(layers)}層を通して`,
    legend:
      "各行は出力での位置、各列は入力のトークンです。そのトークンが全レイヤーを通ってその位置にどれだけ届いたかを表します。各レイヤーを「½ × ヘッドの平均アテンション + ½ × そのまま流れる残差（単位行列）」とし、レイヤーの順に掛け合わせています。各行の合計は1。",
  },
};

function asHead(input: RolloutPictureInput): AttentionHeadInput {
  const T = input.tokens.length;
  if (input.rollout.length !== T * T) {
    throw new RangeError(`the rollout has ${input.rollout.length} values, expected ${T}×${T} = ${T * T} for ${T} tokens`);
  }
  return {
    tokens: input.tokens,
    weights: Array.from(input.rollout),
    layer: input.layers - 1,
    head: 0,
    modelName: input.modelName,
    lang: input.lang,
    ...(input.maxTokens !== undefined && { maxTokens: input.maxTokens }),
  };
}

/** Where the cells go (attentionHeadCellCentre finds a cell in it). */
export function rolloutLayout(input: RolloutPictureInput): AttentionHeadLayout {
  return attentionHeadLayout(asHead(input), labelsFor(LABELS, input.lang).legend);
}

export function renderAttentionRollout(input: RolloutPictureInput): Promise<Buffer> {
  const text = labelsFor(LABELS, input.lang);
  return renderAttentionMatrix(asHead(input), { title: text.title(input.layers), legend: text.legend });
}
