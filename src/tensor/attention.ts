/**
 * Causal multi-head self-attention on the fused output of c_attn.
 *
 * Shapes: qkv [B,T,3C] — at each position the query q = [0,C), key k = [C,2C),
 * value v = [2C,3C); head h owns channels [h·HS, (h+1)·HS) of each, HS = C/NH.
 * preatt and att [B,NH,T,T] — row t holds query t's scores over key positions t2;
 * only t2 ≤ t is allowed (causal), masked entries are exactly 0 in both.
 * out [B,T,C] — the heads' outputs side by side, channels h·HS..(h+1)·HS for head h.
 *
 * For one batch b, head h and query position t:
 *   1. preatt[t2] = q_t · k_t2 / √HS                  for t2 ≤ t
 *   2. att[t2]    = softmax over t2 ≤ t of preatt    (subtracting the row max first)
 *   3. out_t      = Σ_t2 att[t2] · v_t2               (a weighted average of the values)
 */
import type { FloatArray } from "./types.ts";

/** out[B,T,C], preatt[B,NH,T,T], att[B,NH,T,T] from qkv[B,T,3C] */
export function attentionForward(
  out: FloatArray,
  preatt: FloatArray,
  att: FloatArray,
  qkv: FloatArray,
  B: number,
  T: number,
  C: number,
  NH: number,
): void {
  const HS = C / NH;
  const C3 = 3 * C;
  const scale = 1 / Math.sqrt(HS);
  // the current head's output in doubles [HS]
  const headSums = new Float64Array(HS);

  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < NH; h++) {
        const queryOffset = (b * T + t) * C3 + h * HS;
        const rowOffset = ((b * NH + h) * T + t) * T; // row t of att[b,h]

        // 1. scaled dot products with every visible key, tracking the row max
        let max = -Infinity;
        for (let t2 = 0; t2 <= t; t2++) {
          const keyOffset = (b * T + t2) * C3 + C + h * HS;
          let dot = 0;
          for (let i = 0; i < HS; i++) dot += qkv[queryOffset + i] * qkv[keyOffset + i];
          const score = dot * scale;
          preatt[rowOffset + t2] = score;
          if (score > max) max = score;
        }

        // 2. softmax over the visible keys; the future stays exactly 0
        let expSum = 0;
        for (let t2 = 0; t2 <= t; t2++) {
          const e = Math.exp(preatt[rowOffset + t2] - max);
          att[rowOffset + t2] = e;
          expSum += e;
        }
        const invExpSum = 1 / expSum;
        for (let t2 = 0; t2 <= t; t2++) att[rowOffset + t2] *= invExpSum;
        for (let t2 = t + 1; t2 < T; t2++) {
          preatt[rowOffset + t2] = 0;
          att[rowOffset + t2] = 0;
        }

        // 3. weighted sum of the visible values
        headSums.fill(0);
        for (let t2 = 0; t2 <= t; t2++) {
          const valueOffset = (b * T + t2) * C3 + 2 * C + h * HS;
          const weight = att[rowOffset + t2];
          for (let i = 0; i < HS; i++) headSums[i] += weight * qkv[valueOffset + i];
        }
        const outOffset = (b * T + t) * C + h * HS;
        for (let i = 0; i < HS; i++) out[outOffset + i] = headSums[i];
      }
    }
  }
}

/**
 * Gradients, the forward's steps in reverse, for one (b, h, t):
 *   3. datt[t2]     = v_t2 · dout_t               dv_t2 += att[t2] · dout_t
 *   2. dpreatt[t2]  = att[t2] · (datt[t2] − Σ_t3 att[t3]·datt[t3])     (softmax's Jacobian)
 *   1. dq_t        += Σ_t2 dpreatt[t2] · k_t2 / √HS      dk_t2 += dpreatt[t2] · q_t / √HS
 * Shapes: dqkv, qkv [B,T,3C]; dout [B,T,C]; att, datt, dpreatt [B,NH,T,T].
 * dqkv is written (see ./kernels.ts): it starts at 0 and the sums above add up in it. datt and
 * dpreatt are scratch, written on and below the diagonal (steps 2 and 1 read them back).
 */
export function attentionBackward(
  dqkv: FloatArray,
  dpreatt: FloatArray,
  datt: FloatArray,
  dout: FloatArray,
  qkv: FloatArray,
  att: FloatArray,
  B: number,
  T: number,
  C: number,
  NH: number,
): void {
  const HS = C / NH;
  const C3 = 3 * C;
  const scale = 1 / Math.sqrt(HS);
  // the current query's gradient in doubles [HS]
  const querySums = new Float64Array(HS);

  dqkv.fill(0, 0, B * T * C3);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      for (let h = 0; h < NH; h++) {
        const queryOffset = (b * T + t) * C3 + h * HS;
        const doutOffset = (b * T + t) * C + h * HS;
        const rowOffset = ((b * NH + h) * T + t) * T;

        // 3. back through the weighted sum of values
        for (let t2 = 0; t2 <= t; t2++) {
          const valueOffset = (b * T + t2) * C3 + 2 * C + h * HS;
          const weight = att[rowOffset + t2];
          let dot = 0;
          for (let i = 0; i < HS; i++) {
            const d = dout[doutOffset + i];
            dot += qkv[valueOffset + i] * d;
            dqkv[valueOffset + i] += weight * d;
          }
          datt[rowOffset + t2] = dot;
        }

        // 2. back through the softmax: its Jacobian is diag(att) − att·attᵀ
        let weightedDatt = 0;
        for (let t2 = 0; t2 <= t; t2++) weightedDatt += att[rowOffset + t2] * datt[rowOffset + t2];
        for (let t2 = 0; t2 <= t; t2++) {
          dpreatt[rowOffset + t2] = att[rowOffset + t2] * (datt[rowOffset + t2] - weightedDatt);
        }

        // 1. back through the scaled dot products q·k
        querySums.fill(0);
        for (let t2 = 0; t2 <= t; t2++) {
          const keyOffset = (b * T + t2) * C3 + C + h * HS;
          const dscore = dpreatt[rowOffset + t2] * scale;
          for (let i = 0; i < HS; i++) {
            querySums[i] += dscore * qkv[keyOffset + i];
            dqkv[keyOffset + i] += dscore * qkv[queryOffset + i];
          }
        }
        for (let i = 0; i < HS; i++) dqkv[queryOffset + i] += querySums[i];
      }
    }
  }
}
