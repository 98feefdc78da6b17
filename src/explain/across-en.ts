/** The English texts of `rollout` (attention across the layers) and `sources` (where a text was learned). */
import type { RolloutFacts, SourcesFacts, TopicText } from "./facts.ts";
import { cellToken, int, pct, quote, token } from "./format.ts";

export const acrossItemsEn = {
  rollout: "attention across all layers: the rollout, and what chose the predicted token",
  sources: "where it was learned: the stored messages that share the longest stretch with what it writes",
};

/** A stored excerpt for running text: the shared stretch in bold, “…” where the message goes on. */
function excerpt(b: NonNullable<SourcesFacts["best"]>): string {
  return `${quote(b.before, 40)}**${quote(b.shared, 40)}**${quote(b.after, 40)}`;
}

export const acrossTopicsEn = {
  rollout: (f: RolloutFacts): TopicText<"rollout"> => {
    const lastLayer = f.layers[f.layers.length - 1];
    return {
      title: "Attention across the layers: rollout",
      body: [
        `\`/attention\` shows each head of each layer on its own. But a token's vector at the output has been through every layer, and each layer *adds* its attention's result to the **residual stream** instead of replacing it. **Attention rollout** follows that: count each layer as Â = ½·A + ½·I (A: its heads' mean attention, I: the identity, for the stream passing by; each row sums to 1) and multiply the layers in order, R = Â${f.nLayer - 1} ··· Â0. Row q of R says how much of each input token reached position q.`,
        `On “${quote(f.text, 50)}” (${int(f.tokens)} tokens, ${f.nLayer} layers × ${f.nHead} heads) the model predicts ${token(f.predicted.token)} (${pct(f.predicted.prob)}). To choose it, the last token's query in the last layer looks most at ${token(lastLayer.top[0].token)} (${pct(lastLayer.top[0].weight)}); through all layers the rollout credits ${token(f.rollout[0].token)} most (${pct(f.rollout[0].weight)})${f.agree ? ": the same token" : ", another token: earlier layers had already mixed it into the positions the last layer reads"}. The last token keeps ${pct(f.selfShare)} of itself.`,
        `Rollout is an estimate: it ignores what the values and the MLPs do with what attention moves, and the ½ is a convention, not a measured share. \`/why\` measures the effect on the prediction itself. Try \`/attention view:next\` and \`view:rollout\` on your own text. Per layer, the tokens the last token looked at most:`,
      ].join("\n\n"),
      table: {
        header: ["", "token", "weight", "token", "weight"],
        rows: [
          ...f.layers.map((l) => [`layer ${l.layer}`, ...l.top.flatMap((t) => [cellToken(t.token, 12), pct(t.weight)])]),
          ["rollout", ...f.rollout.slice(0, 2).flatMap((t) => [cellToken(t.token, 12), pct(t.weight)])],
        ],
        align: ["left", "left", "right", "left", "right"],
      },
      pictures: {},
    };
  },

  sources: (f: SourcesFacts): TopicText<"sources"> => {
    const among = {
      playground: `Among the ${int(f.messages)} text${f.messages === 1 ? "" : "s"} trained here`,
      server: `Among the ${int(f.messages)} stored message${f.messages === 1 ? "" : "s"} of this server`,
      corpus: `Among the ${int(f.messages)} document${f.messages === 1 ? "" : "s"} of the training corpus`,
    }[f.where ?? "server"];
    const share = `${int(f.found)} share${f.found === 1 ? "s" : ""}`;
    const found =
      f.where === null
        ? "Nothing is stored here (direct messages and the console keep no messages), so there is nothing to search. On a server whose admins ran `/train`, or in the playground after a training, this looks through the texts the model learned from."
        : f.best === null
          ? `${among}, none shares ${f.minShared} or more characters in a row with it.`
          : `${among}, ${share} ${f.minShared} or more characters in a row with it. The longest stretch is **${int(f.best.length)} characters**${f.best.mine ? ", in a message of yours" : ""}: “${excerpt(f.best)}”.${f.best.length >= f.minRun ? ` That is ${f.minRun} characters or more: a copy, which the bot cuts from what it writes.` : ""}`;
    return {
      title: "Where did it learn that?",
      body: [
        `A model keeps no texts: it keeps parameters, nudged by every text it read. Still, it can repeat a stretch it read often, word for word. \`/sources\` looks for the stored training messages that share the longest stretch with a text: for each message, the longest run of characters standing in both.`,
        `After “${quote(f.prompt, 40)}” this model wrote “${quote(f.text, 100)}”${f.cut ? " (a part was cut as a copy of a stored message)" : ""}. ${found}`,
        `How: a **suffix automaton** of the text, a small machine that recognises exactly its substrings, reads each message once, so the search costs one pass over their characters. What it never shows: who wrote a message (only your own are marked yours), messages forgotten with \`/forget-me\`, deleted, or past the retention period, other servers' messages, and more than ${f.excerptChars} characters of one message. A long stretch suggests the model memorised that message; a short one is usually common wording. The picture shows how it wrote the text, token by token.`,
      ].join("\n\n"),
      pictures: {},
    };
  },
};
