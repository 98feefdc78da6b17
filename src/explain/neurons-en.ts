/** The English text of `neurons`: what the MLP neurons of the live model respond to. */
import type { NeuronsFacts, TopicText } from "./facts.ts";
import { fixed, int, quote, token } from "./format.ts";

export const neuronsItemsEn = {
  neurons: "the MLP's neurons: which fire at a token, and where each fired most in training",
};

/** A training context for running text: the token where the neuron fired in bold. */
function context(c: NonNullable<NeuronsFacts["context"]>): string {
  return `…${quote(c.before, 20)}**${quote(c.token, 12)}**${quote(c.after, 12)}…`;
}

export const neuronsTopicsEn = {
  neurons: (f: NeuronsFacts): TopicText<"neurons"> => {
    const last = f.layers[f.layers.length - 1];
    const index =
      f.index.state === "none"
        ? "No training text is known for this model (an imported one), so there is nowhere to look up where its neurons fired."
        : f.context === null
          ? f.index.state === "building"
            ? `Where each neuron fired most in the training text is still being read (${int(f.index.documents)} of ${int(f.index.total)} documents): ask again later.`
            : `Of the training text this neuron kept no context that is still there (forgotten or changed texts are not shown).`
          : `In the training text (${int(f.index.total)} documents${f.index.state === "building" ? `, ${int(f.index.documents)} read so far` : ""}), neuron ${f.context.layer}.${f.context.index} fired most (${fixed(f.context.value, 2)}) at “${context(f.context)}”. A neuron's strongest contexts are often the clearest hint of what it responds to — a word, a script, a position in a sentence — though many neurons respond to several unrelated things at once.`;
    return {
      title: "Neurons: what the MLP responds to",
      body: [
        `Each block has an **MLP** after its attention: it widens each token's vector from ${int(f.width / 4)} to ${int(f.width)} numbers, puts each through the GELU, and narrows it back. Each of those ${int(f.width)} numbers is one **neuron**: h = GELU(w · x + b), a weighted sum of the token's vector bent by the activation. It "fires" where h is large; GELU keeps negative sums near 0, so most are quiet at any one token.`,
        `At the last of the ${int(f.tokens)} tokens of “${quote(f.text, 50)}”, “${token(f.token)}”, the neurons above ${fixed(f.firingAt, 1)} are ${f.layers.map((l, i) => `${int(l.firing)}${i === 0 ? ` of ${int(f.width)}` : ""} in layer ${l.layer}`).join(", ")}. The strongest in the last layer is neuron ${last.layer}.${last.index} (h = ${fixed(last.value, 2)}).`,
        `${index} Try \`/neurons\` with your own text, \`position\` for another token and \`neuron:${last.layer}.${last.index}\` to follow one neuron along the text. The strongest neuron of each layer here:`,
      ].join("\n\n"),
      table: {
        header: ["layer", "neuron", "h", `h > ${fixed(f.firingAt, 1)}`],
        rows: f.layers.map((l) => [String(l.layer), `#${l.index}`, fixed(l.value, 2), `${int(l.firing)} / ${int(f.width)}`]),
        align: ["right", "right", "right", "right"],
      },
      pictures: {},
    };
  },
};
