/** The English texts of the topics that look inside the model: lens, attribution, ablation. */
import type { AblationFacts, AttributionFacts, LensFacts, TopicText } from "./facts.ts";
import { cellToken, fixed, int, pct, quote, token } from "./format.ts";

const depthName = (d: number, last: number) => (d === 0 ? "embeddings" : d === last ? "output" : `after layer ${d - 1}`);
const signed = (v: number) => (v >= 0 ? `+${fixed(v, 2)}` : fixed(v, 2));

export const lookItemsEn = {
  lens: "the logit lens: what each layer would predict if it were the last",
  attribution: "which words caused the prediction: gradient × input and occlusion",
  ablation: "switch attention heads off and see what breaks",
};

export const lookTopicsEn = {
  lens: (f: LensFacts): TopicText<"lens"> => {
    const last = f.depths.length - 1;
    const out = f.depths[last];
    return {
      title: "The logit lens: what each layer would guess",
      body: [
        `The model adds each block's work to one running vector per token, the **residual stream**. Only the last one is read by the output head, but nothing stops us reading the stream earlier: put it through the same final LayerNorm and output head, and it says which token the model would predict if it stopped there. That is the **logit lens**.`,
        `On “${quote(f.text, 50)}” (${int(f.tokens)} tokens, ${f.nLayer} layers) the output guesses ${token(out.token)} (${pct(out.prob)}) as the next token. At the embeddings, before any attention, that token had ${pct(f.outputTokenAtStart)}. ${f.settledAt === 0 ? "It was the top guess from the embeddings on: this is a token the current word alone suggests." : `It becomes the top guess from depth ${f.settledAt} (${depthName(f.settledAt, last)}) and stays there: the layers before changed the model's mind.`}`,
        `The last row of the picture is exactly /predict. The top guess for the last token at each depth:`,
      ].join("\n\n"),
      table: {
        header: ["depth", "", "top guess", "p"],
        rows: f.depths.map((d) => [String(d.layer), depthName(d.layer, last), cellToken(d.token, 12), pct(d.prob)]),
        align: ["right", "left", "left", "right"],
      },
      pictures: {},
    };
  },

  attribution: (f: AttributionFacts): TopicText<"attribution"> => ({
    title: "Why this token? Two ways to ask",
    body: [
      `After “${quote(f.text, 50)}” the model predicts ${token(f.target.token)} (${pct(f.target.prob)}). Which input tokens pushed it there? Two methods, both in units of log-probability:`,
      `**Gradient × input** asks: if this token's vector were a little longer, how much would log p go up? Back-propagation gives the exact slope for every token at once, from one backward pass. It is *local*: a straight-line guess about a small change.\n**Occlusion** asks: what if the token were not there at all? It runs the model once per token with that token removed and measures how much log p drops. It is *global* but costs a forward pass per token, and removing a token also moves every later one up a place.`,
      `Here gradient × input ranks ${token(f.gradientTop.token)} (position ${f.gradientTop.position}) first, occlusion ${token(f.occlusionTop.token)} (position ${f.occlusionTop.position}). ${f.disagree > 0 ? `On ${f.disagree} of ${f.tokens} tokens they even disagree on the direction: the slope near the text says one thing, taking the token away says another — the model is not a straight line.` : "They agree on the direction of every token here; the sizes still differ, because a slope is not a removal."} The strongest tokens:`,
    ].join("\n\n"),
    table: {
      header: ["#", "token", "grad×input", "occlusion"],
      rows: f.rows.map((r) => [String(r.position), cellToken(r.token, 12), signed(r.gradient), signed(r.occlusion)]),
      align: ["right", "left", "right", "right"],
    },
    pictures: {},
  }),

  ablation: (f: AblationFacts): TopicText<"ablation"> => ({
    title: "Ablation: switch a head off and see what breaks",
    body: [
      `Each of the ${f.nLayer} layers has ${f.nHead} attention heads. To learn what one does, switch it off: its output is zeroed before the layer's projection, and everything else runs as usual. This is an experiment on the model itself, not a guess about it.`,
      `After “${quote(f.text, 50)}” the model predicts ${token(f.top.token)} (${pct(f.top.prob)}). We switched each of the ${f.nLayer * f.nHead} heads off alone and measured how log p of that token changed. The head it leans on most is **layer ${f.decisive.layer}, head ${f.decisive.head}** (${signed(f.decisive.delta)}): without it ${token(f.top.token)} has ${pct(f.probWithout)}${f.topChanged ? `, and the top guess becomes ${token(f.newTop.token)} (${pct(f.newTop.prob)})` : ", still the top guess: no single head decides it alone"}.`,
      `${f.quiet} head${f.quiet === 1 ? "" : "s"} barely matter here (change under 0.05).${f.helpful.delta > 0 ? ` Removing layer ${f.helpful.layer}, head ${f.helpful.head} even makes the token likelier (${signed(f.helpful.delta)}): that head was arguing for something else.` : ""} A head that matters for this text may do nothing for another; try your own sentence. The picture has the whole grid.`,
    ].join("\n\n"),
    pictures: {},
  }),
};
