/**
 * The explanations in English. Each topic is a function of the live model's numbers; the
 * Japanese texts (ja.ts) cover the same ground but are written on their own, not translated.
 */
import type { DescentFacts, DescentKind, DescentPictureWords, ExplainTexts, ModelFacts } from "./facts.ts";
import { tokenLookupSentence } from "./token-lookup.ts";
import { TOPICS } from "./topics.ts";
import { big, bytes, cellToken, cut, duration, vec, fixed, int, pct, power, quote, rate, sci1, sig, token } from "./format.ts";
import { lookItemsEn, lookTopicsEn } from "./look-en.ts";
import { acrossItemsEn, acrossTopicsEn } from "./across-en.ts";
import { neuronsItemsEn, neuronsTopicsEn } from "./neurons-en.ts";

const OWNER: Record<"server" | "playground", string> = {
  server: "this server's own model, trained on this server's messages",
  playground: "the playground's own model, trained on the texts given here",
};

const modelLine = (m: ModelFacts) =>
  m.trainedBy === null ? `Model: **${quote(m.name, 40)}**` : `Model: **${quote(m.name, 40)}**, ${OWNER[m.trainedBy]}.`;

const KIND: Record<DescentKind, string> = { small: "small", good: "good", large: "too large" };

function descentWords(f: DescentFacts, m: ModelFacts, title: string): DescentPictureWords {
  return {
    title,
    subtitle: `${m.name} · 2 of its ${int(f.params)} parameters vary, all others fixed · plain gradient descent, ${f.steps} steps`,
    notes: [
      `The loss of “${cut(f.sentence, 40)}” for each value of the two scale factors (the rest of the model unchanged). Contour lines join points of equal loss, like height lines on a hiking map.`,
    ],
    mapHeading: "The loss landscape (a 2-D slice)",
    xLabel: `scale factor of channel ${f.channels[0]} (ln_f)`,
    yLabel: `channel ${f.channels[1]}`,
    pathLabel: (kind, lr) => `${KIND[kind]} rate ${lr}`,
    start: f.startIsModel ? "start = the model now" : "start",
    model: "the model now",
    minimum: "lowest point",
    chartHeading: "Loss after each step",
    chartX: "step",
    chartY: "loss",
    low: "low loss",
    high: "high",
  };
}

function walkLines(f: DescentFacts): string {
  const describe: Record<DescentKind, string> = {
    small: "safe but slow",
    good: "straight down into the valley",
    large: "overshoots and bounces from one side to the other",
  };
  return f.paths
    .map((p) => {
      const end = p.losses[p.losses.length - 1];
      const rise = p.firstRise !== null && p.kind !== "good" ? ` (the loss went up at step ${p.firstRise})` : "";
      return `• rate **${rate(p.lr)}** (${KIND[p.kind]}): loss ${fixed(p.losses[0], 3)} → ${fixed(end, 3)}, ${describe[p.kind]}${rise}`;
    })
    .join("\n");
}

function sliceIntro(f: DescentFacts): string {
  const start = f.startIsModel
    ? "All three start from the model's current values (white dot)."
    : "The model's own values already sit near the bottom of this slice (grey square), so the walks start from a point up the side (white dot).";
  return start;
}

export const en: ExplainTexts = {
  lang: "en",
  modelLine,
  defaults: {
    sentence: "It rained yesterday, but today it is sunny.",
    prompt: "It rained yesterday, but",
    queries: [" rain", "rain", " sunny", " today", " the", "the"],
  },
  path: {
    title: `How a language model works, in ${TOPICS.length} steps`,
    intro:
      "Each topic shows the idea on this bot's own model, with its real numbers and pictures. Read them in order, or jump to whatever you're curious about: `/explain <topic>`.",
    items: {
      learning: "learning is a search for good parameters",
      loss: "the loss: how surprised the model is by real text",
      "bits-per-byte": "bits per byte: the loss on a scale that compares any two models",
      derivative: "derivatives: nudging one number vs back-propagation",
      "gradient-descent": "walking downhill on the loss landscape",
      "learning-rate": "how big each step is: too small, good, too large; warmup and decay",
      "neural-network": "matrix products and activation functions",
      tokens: "the pieces of text a model actually reads",
      embeddings: "tokens as vectors: similar use, similar direction",
      attention: "Query, Key and Value: how tokens look back at each other",
      generation: "writing = predicting the next token, again and again",
      ...lookItemsEn,
      ...acrossItemsEn,
      ...neuronsItemsEn,
      parameters: "how big is this model, next to GPT-2 and GPT-3?",
      compute: "what training costs, in operations and in years",
    },
    footer: "Most topics take your own text too, e.g. `loss` scores your sentence and `attention` shows what your last word looks at.",
  },
  topics: {
    learning: (f) => {
      const curve =
        f.firstLoss !== null && f.lastLoss !== null
          ? `Blind guessing among ${int(f.vocabSize)} tokens scores ln ${int(f.vocabSize)} = ${fixed(f.guessLoss, 2)}. This model started at ${fixed(f.firstLoss, 2)} and after ${int(f.step)} steps was down to ${fixed(f.lastLoss, 2)}. The picture shows the way down.${f.valLoss !== null ? ` On text kept out of training it scores ${fixed(f.valLoss, 2)}${f.valLoss - f.lastLoss < 0.3 ? ", about the same, so it learned patterns rather than memorising" : ": higher, because part of what it learned only fits its training text"}.` : ""}`
          : `Blind guessing among ${int(f.vocabSize)} tokens scores ln ${int(f.vocabSize)} = ${fixed(f.guessLoss, 2)}. This model's file has no record of its training curve, so there is nothing to draw.`;
      const batch = f.batchSize !== null ? `${f.batchSize} pieces of ${f.blockSize} tokens` : `pieces of up to ${f.blockSize} tokens`;
      const read =
        f.tokensSeen !== null
          ? `Altogether it read ${int(f.tokensSeen)} tokens${f.trainSeconds !== null ? ` in ${duration(f.trainSeconds, "en")}` : ""}. `
          : "";
      return {
        title: "Learning = searching for good parameters",
        body: [
          `A language model is one big formula full of adjustable numbers, its **parameters**: ${int(f.params)} of them here. They start out random, so at first the model guesses the next token blindly. **Learning** is the search for values of all these numbers that make the guesses good.`,
          `"Good" is measured by the **loss** (\`/explain loss\`): the lower, the better the guesses. ${curve}`,
          `One training step:\n1. **forward pass**: take a batch of text (${batch}) and predict every next token\n2. **loss**: compare the predictions with the real next tokens\n3. **backward pass**: work out, for every parameter, which way lowers the loss (the **gradient**)\n4. **update**: move every parameter a little that way (AdamW, learning rate up to ${rate(f.maxLr)})\nThen repeat with the next batch.`,
          `${read}Measured right now, its loss on “${quote(f.sentence)}” is ${fixed(f.sentenceLoss, 3)}.`,
        ].join("\n\n"),
        pictures: {},
      };
    },

    loss: (f, m) => {
      const best = f.rows.reduce((a, b) => (b.prob > a.prob ? b : a));
      const worst = f.rows.reduce((a, b) => (b.prob < a.prob ? b : a));
      return {
        title: "The loss: how surprised the model is",
        body: [
          `To grade a model, hide the next token and ask: what probability p did the model give the token that really came? Then take **−log p**, the surprise: 0 when it was sure and right (p = 100%), 0.69 at p = 50%, 4.6 at p = 1%. The average surprise over all tokens is the **loss** (cross-entropy), the number training pushes down.`,
          `“${quote(f.sentence)}”, token by token (the model sees only what comes before each one):\n• least surprising: “${token(best.token)}” (p = ${pct(best.prob)})\n• most surprising: “${token(worst.token)}” (p = ${pct(worst.prob)})\nTotal surprise ${fixed(f.sum, 2)} over ${f.rows.length} tokens → loss = ${fixed(f.sum, 2)} ÷ ${f.rows.length} = **${fixed(f.mean, 3)}**. Blind guessing among ${int(f.vocabSize)} tokens would give ${fixed(f.guessLoss, 2)}.${f.dropped > 0 ? ` (The last ${f.dropped} tokens did not fit in the model's context and were left out.)` : ""}`,
          `p = probability of the real token, "guess" = the model's own favourite ("=" when that was the real token):`,
        ].join("\n\n"),
        table: {
          header: ["token", "p", "-log p", "guess"],
          rows: f.rows.map((r) => [
            cellToken(r.token, 10),
            pct(r.prob),
            fixed(r.loss, 2),
            r.guess === r.token ? "=" : cellToken(r.guess, 10),
          ]),
          align: ["left", "right", "right", "left"],
          footer: [["mean", "", fixed(f.mean, 3), ""]],
        },
        pictures: {
          title: "The loss of a sentence, token by token",
          subtitle: `${m.name} · loss ${fixed(f.mean, 3)} = the average bar length`,
          notes: [
            "Long bar = surprised: the model gave this token a low probability. The dashed line is the average, which is the loss. Blue: less surprising than average; orange: more; pink: more than twice the average. A green favourite was right.",
          ],
          token: "next token",
          prob: "p",
          loss: "surprise (−log p)",
          guess: "model's favourite",
          mean: (v) => `loss (average) = ${v}`,
          more: (n) => `… and ${n} more tokens`,
        },
      };
    },

    "bits-per-byte": (f, m) => ({
      title: "Bits per byte: one scale for every model",
      body: [
        `The loss (\`/explain loss\`) is an average per **token**, in **nats** (it uses the natural logarithm). But models cut text differently: this one reads “${quote(f.sentence, 50)}” as ${f.tokens} tokens; a model with smaller tokens needs more of them, each easier to guess, and gets a lower loss without predicting any better. To compare models, and zip programs, count per **byte** of text and in **bits**:`,
        `**bits per byte = loss × tokens ÷ (bytes × ln 2)**\nloss × tokens is the total surprise in nats; dividing by ln 2 = ${fixed(Math.LN2, 3)} turns nats into bits; dividing by the bytes spreads it over the text's UTF-8 bytes (1 for a Latin letter, 3 for a kana or kanji).`,
        `Measured now: ${fixed(f.lossPerToken, 3)} × ${f.tokens} ÷ (${int(f.bytes)} × ${fixed(Math.LN2, 3)}) = **${fixed(f.bitsPerByte, 3)} bits per byte**. Blind guessing among ${int(f.vocabSize)} tokens would need ${fixed(f.guessBitsPerByte, 2)}; the bytes as they are take 8.${f.dropped > 0 ? ` (The last ${f.dropped} tokens did not fit in the context.)` : ""} A model that gives a text probability P could store it in −log₂ P bits (arithmetic coding), so this is also how small the model could compress the text.`,
        f.heldOut
          ? "On texts it never trained on, over every window (`npm run cli -- eval`), next to gzip and xz on the same files:"
          : "No held-out figures are recorded for this model; `npm run cli -- eval --model FILE --text-file FILE` measures them on any text.",
      ].join("\n\n"),
      ...(f.heldOut && {
        table: {
          header: ["text", "bytes", "loss/tok", "bits/byte", "gzip", "xz"],
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
        title: "From the loss to bits per byte",
        subtitle: `${m.name} · ${fixed(f.lossPerToken, 3)} nats per token × ${f.tokens} tokens ÷ (${int(f.bytes)} bytes × ln 2) = ${fixed(f.bitsPerByte, 3)} bits per byte`,
        notes: [
          `Each bar is one token's surprise −ln p in nats; their sum, ${fixed(f.sum, 2)}, divided by ln 2 is the bits the model needs for the whole sentence, ${fixed(f.sum / Math.LN2, 1)}; divided by its ${int(f.bytes)} bytes: ${fixed(f.bitsPerByte, 3)} bits per byte.`,
        ],
        token: "next token",
        prob: "p",
        loss: "surprise (−ln p)",
        guess: "model's favourite",
        mean: (v) => `loss (average) = ${v}`,
        more: (n) => `… and ${n} more tokens`,
      },
    }),

    derivative: (f, m) => {
      const part = { query: "Query", key: "Key", value: "Value" }[f.part];
      const vanish = f.smallestStepVanishes
        ? " At h = 1e-10, w + h is not even a different float32 number from w, so the estimate is 0."
        : "";
      return {
        title: "Derivatives: nudging one number vs back-propagation",
        body: [
          `To know which way to move a parameter, we need its **derivative**: how much the loss changes when that one number changes a tiny bit.`,
          `Take one real parameter of this model: \`${f.paramName}[${f.row}, ${f.col}]\` (layer ${f.layer}, part of the ${part} weights), value ${sig(f.value, 4)}. On “${quote(f.sentence, 40)}” the loss is ${fixed(f.loss, 4)}.\n• **numerical differentiation**: nudge it by h and measure again: (L(w+h) − L(w)) / h, or the more accurate central form (L(w+h) − L(w−h)) / 2h\n• **back-propagation** gives **${sig(f.backprop, 5)}** straight away`,
          `As h shrinks, the estimates close in on that value; then they fall apart. The model computes with float32 numbers (about 7 significant digits), and for a tiny h the change in the loss drowns in rounding.${vanish}`,
          `Why training uses back-propagation: this model has ${int(f.params)} parameters. Numerically, that is ${int(2 * f.params)} forward passes, about ${duration(f.numericalSeconds, "en")} (one takes ${duration(f.forwardSeconds, "en")}). One backward pass gives all ${int(f.params)} derivatives at once, in ${duration(f.backwardSeconds, "en")}.`,
          `The estimates for each h:`,
        ].join("\n\n"),
        table: {
          header: ["h", "forward", "central"],
          rows: f.rows.map((r) => [sci1(r.h), sig(r.forward, 4), sig(r.central, 4)]),
          footer: [["backprop", sig(f.backprop, 4), ""]],
        },
        pictures: {
          title: "The derivative of the loss for one weight",
          subtitle: `${m.name} · ${f.paramName}[${f.row}, ${f.col}] · back-propagation: ${sig(f.backprop, 5)}`,
          notes: [
            "Left: the loss as this one weight changes, everything else fixed; the derivative is the slope of the dashed tangent. Right: how far the finite-difference estimates are from the back-propagated slope. Too big an h measures a curve, not a slope; too small an h measures rounding noise.",
          ],
          sliceHeading: "The loss as one weight moves",
          sliceX: "value of the weight",
          sliceY: "loss",
          curve: "loss",
          tangent: "slope from back-propagation",
          point: "now",
          errorHeading: "Error of the estimate, by step h",
          errorX: "step h",
          errorY: "relative error",
          forward: "(L(w+h) − L(w)) / h",
          central: "(L(w+h) − L(w−h)) / 2h",
        },
      };
    },

    "gradient-descent": (f, m) => ({
      title: "Gradient descent: walking downhill on the loss",
      body: [
        `Think of the loss as a landscape: every possible setting of the parameters is a place, and the loss is its height. Training looks for a low valley. This model has ${int(f.params)} parameters, far too many directions to draw, so we freeze all but two: the scale factors of channels ${f.channels[0]} and ${f.channels[1]} in the last LayerNorm, right before the output. The map shows the real loss on “${quote(f.sentence, 40)}” for each pair of values; dark = low.`,
        `**Gradient descent**: where you stand, find the steepest way down (the gradient, from back-propagation), take a step of learning rate × gradient, repeat. ${sliceIntro(f)} ${f.steps} steps each:\n${walkLines(f)}`,
        `The lowest point of this slice has loss ${fixed(f.minLoss, 3)} (gold cross); the model itself is at ${fixed(f.modelLoss, 3)}. Real training does the same in all ${int(f.params)} directions at once. Rates this big only suit this gently curving slice; how to choose them: \`/explain learning-rate\`.`,
      ].join("\n\n"),
      pictures: descentWords(f, m, "Gradient descent on a real slice of the loss"),
    }),

    "learning-rate": (f, m) => {
      const s = f.schedule;
      const large = f.paths.find((p) => p.kind === "large")!;
      return {
        title: "The learning rate: how big each step is",
        body: [
          `The **learning rate** decides how far each step goes. Too small and training crawls; too large and each step jumps over the valley, so the loss bounces or even grows. Three walks on a real 2-parameter slice of this model (first picture, plain gradient descent):\n${walkLines(f)}`,
          `How large is too large depends on how sharply the valley curves, that is, how fast its slope changes. Here the sharpest curvature is ${sig(f.curvature, 3)}, so rates above 2 ÷ ${sig(f.curvature, 3)} ≈ ${sig(2 / f.curvature, 3)} overshoot. The "too large" rate ${rate(large.lr)} is beyond that.`,
          `Real training changes the rate as it goes (second picture: ${s.recorded ? "this model's own schedule" : "the default schedule; this model's file did not record its settings"}). **Warmup**: over the first ${int(s.warmupSteps)} steps it climbs from almost 0 to ${rate(s.maxLr)}, because the random start gives wild gradients. Then a **cosine decay** brings it down to ${rate(s.minLr)} by step ${int(s.totalSteps)}, for fine steps at the end. Its last step (${int(s.step)}) used ${rate(s.lrAtStep)}.`,
          `(Training uses AdamW, which scales every step by the gradient's usual size, so its rates are not comparable with the ones on the map.)`,
        ].join("\n\n"),
        pictures: {
          ...descentWords(f, m, "Three learning rates on a real slice of the loss"),
          schedule: {
            title: "This model's learning-rate schedule",
            subtitle: `${m.name} · warmup ${int(s.warmupSteps)} steps to ${rate(s.maxLr)}, cosine decay to ${rate(s.minLr)} at step ${int(s.totalSteps)}`,
            notes: ["Line: the rate planned for every step. Dots: the rate the training run recorded."],
            xLabel: "training step",
            yLabel: "learning rate",
            line: "planned (warmup + cosine)",
            recorded: "recorded during training",
            warmupEnd: "end of warmup",
            lastStep: "training stopped",
          },
        },
      };
    },

    "neural-network": (f, m) => ({
      title: "A neural network: matrix products and activations",
      body: [
        `A layer of a neural network is a **matrix product** (each output is a weighted sum of all the inputs, the weights being parameters), followed by an **activation function** applied to each number on its own. Without that function, stacked matrix products would collapse into a single one, and depth would buy nothing.`,
        `Each of this model's ${f.nLayer} blocks contains such a two-layer network (the MLP):\ntoken vector (${f.C} numbers) × ${f.C}×${f.hidden} matrix → ${f.hidden} numbers → **GELU** → × ${f.hidden}×${f.C} matrix → ${f.C} numbers\nThat is ${int(f.mlpParamsPerBlock)} weights per block.`,
        `The classic activation of textbook networks is the **sigmoid**, an S-curve from 0 to 1; GPT models use **GELU**, a smooth "let positives through, hold negatives near 0". The picture shows both, with this model's real numbers as dots: in layer 0, for “${quote(f.sentence, 40)}”, ${pct(f.negativeShare)} of the inputs to GELU were negative.`,
        `Cost per token: ${int(f.mlpMacsPerToken)} multiply-adds in one MLP, ${int(f.allMlpMacsPerToken)} in all ${f.nLayer}; the whole model about ${int(f.modelMacsPerToken)} (with a full context of ${f.blockSize} tokens).`,
        `Layer 0, token “${token(f.token)}”: the first ${f.pre.length} of its ${f.hidden} numbers before and after GELU:`,
      ].join("\n\n"),
      table: {
        header: ["#", "x", "GELU(x)"],
        rows: f.pre.map((x, i) => [String(i), fixed(x, 3), fixed(f.post[i], 3)]),
        align: ["right", "right", "right"],
      },
      pictures: {
        title: "Activation functions, and this model's real numbers",
        subtitle: `${m.name} · layer 0 MLP: ${f.C} → ${f.hidden} → GELU → ${f.C}`,
        notes: [
          "Dots: every number layer 0's MLP put through GELU for the text (input x, output GELU(x)). The bars below show where the inputs fell.",
        ],
        gelu: "GELU (used by this model)",
        sigmoid: "sigmoid",
        samples: "this model's numbers",
        xLabel: "input x",
        yLabel: "output",
        histogram: "how often each input value occurred",
      },
    }),

    tokens: (f) => {
      const tokenizer =
        f.kind === "charbpe"
          ? `Its tokenizer is a **character BPE** (byte-pair encoding over characters): it started from the ${int(f.vocabSize - 257 - (f.merges ?? 0))} characters most frequent in its training text, each one token, and learned ${int(f.merges ?? 0)} merges of pairs that often stood side by side. Frequent words become one token; a character it never learned falls back to its bytes (2–4 tokens for one character), so no text is ever unknown.`
          : f.kind === "bpe"
            ? `Its tokenizer is byte-level **BPE** (byte-pair encoding): it started from the 256 possible bytes and learned ${int(f.merges ?? 0)} merges of pairs that often stood side by side in its training text. Frequent words and word pieces become one token; rare text falls apart into smaller pieces, down to single bytes of one character (shown like <e3><81>).`
            : `Its tokenizer works character by character: one token for each character it saw in training; anything else becomes an "unknown" token (${f.unknown} in your text).`;
      const vector = f.first
        ? `Each id picks one row of the **embedding table**: “${token(f.first.token)}” (id ${f.first.id}) → [${f.first.vector.map((v) => fixed(v, 3)).join(", ")}, …], ${f.C} numbers learned in training. From here on the model works only with such vectors (\`/explain embeddings\`).`
        : "";
      return {
        title: "Tokens: the pieces a model reads",
        body: [
          `A model does not read letters or words. It reads **tokens**: pieces of text from a fixed vocabulary, each with a number, its id. This model's vocabulary has ${int(f.vocabSize)} tokens.`,
          `“${quote(f.text)}”: ${int(f.chars)} characters → ${int(f.tokens)} tokens, ${f.tokens > 0 ? fixed(f.chars / f.tokens, 2) : "0"} characters per token. The picture shows where the cuts fall.`,
          tokenizer,
          vector,
        ]
          .filter((p) => p.length > 0)
          .join("\n\n"),
        pictures: {},
      };
    },

    embeddings: (f) => ({
      title: "Token vectors: meaning as directions",
      body: [
        `To the model, every token is a list of ${f.C} numbers: a **vector**, an arrow in a ${f.C}-dimensional space. Training moves these arrows so that tokens used in similar ways point in similar directions.`,
        `The picture squeezes the ${f.C} dimensions into the 2 along which the vectors differ most (PCA). Dots close together = similar vectors; but a flat picture of ${f.C} dimensions is only a shadow, so the list below is measured on all ${f.C} numbers.`,
        tokenLookupSentence(f.lookup, "en", (label) => token(label)),
        `“${token(f.query)}” (id ${f.queryId}) starts [${f.vector.map((v) => fixed(v, 3)).join(", ")}, …]. Its nearest tokens by **cosine similarity** (1 = same direction, 0 = unrelated, −1 = opposite):`,
      ].join("\n\n"),
      table: {
        header: ["token", "cosine"],
        rows: f.neighbours.map((n) => [cellToken(n.token, 16), fixed(n.cosine, 3)]),
      },
      pictures: {},
    }),

    attention: (f) => ({
      title: "Attention: Query, Key and Value",
      body: [
        `**Attention** is how a token gathers information from the tokens before it. From its own vector, each token makes three: a **Query** (what am I looking for?), a **Key** (what do I have?) and a **Value** (what do I pass on?).`,
        `Here is the real computation for the last token, “${token(f.query)}”, in layer ${f.layer}, head ${f.head} (of its ${f.nLayer * f.nHead} heads, the one where this token looks hardest at a single earlier token):\n1. score every token so far: its Key · my Query ÷ √${f.headSize} (why √${f.headSize}: a Query and a Key have ${f.headSize} numbers each, and a sum of ${f.headSize} products of unrelated numbers spreads about √${f.headSize} ≈ ${fixed(Math.sqrt(f.headSize), 1)} times wider than one product; dividing by it keeps the scores in the same range whatever the head's size, so softmax does not hand one token all the weight)\n2. softmax turns the scores into weights that add up to 100%\n3. the output is the weighted sum of their Values`,
        `The picture shows these weights for every token of “${quote(f.text, 40)}” in this head (one row per token)${f.dropped > 0 ? `; only the last ${f.tokens} tokens fit in the model's context` : ""}. This model has ${f.nHead} heads in each of its ${f.nLayer} layers, each free to look for something different.`,
        `The ${f.rows.length} largest weights, with the first 3 numbers of each Value; the last line is the head's actual output, Σ weight × Value over all ${f.tokens} tokens:`,
      ].join("\n\n"),
      table: {
        header: ["looked-at token", "score", "weight", "Value[0:3]"],
        rows: [
          ...f.rows.map((r) => [`${r.position} ${cellToken(r.token, 8)}`, fixed(r.score, 2), pct(r.weight), vec(r.value)]),
          ...(f.others.count > 0 ? [[`+${f.others.count} more`, "", pct(f.others.weight), ""]] : []),
        ],
        footer: [["output", "", "100%", vec(f.output)]],
      },
      pictures: {},
    }),

    generation: (f) => ({
      title: "Writing: the next token, again and again",
      body: [
        `A language model can only answer one question: **which token comes next?** It gives every token in its vocabulary (${int(f.vocabSize)}) a probability. To write, the bot picks one, adds it to the text and asks again, over and over.`,
        `Starting from “${quote(f.prompt, 50)}”, this model wrote: “${quote(f.output, 120)}”${f.stoppedAtEnd ? " and then chose to end the message" : ""}.`,
        `It does not always take the top candidate: it draws one at random by probability (temperature ${f.temperature}, among the top ${f.topK}, seed ${f.seed}). That keeps it from getting stuck repeating itself; the same seed gives the same text. The picture shows every step; the first ones:`,
      ].join("\n\n"),
      table: {
        header: ["#", "top candidates", "picked"],
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

    ...lookTopicsEn,
    ...acrossTopicsEn,
    ...neuronsTopicsEn,
    parameters: (f, m) => {
      const names = { embedding: "token embeddings", position: "positions", attention: "attention", mlp: "MLP", layernorm: "LayerNorm" };
      return {
        title: "Parameters: how big is this model?",
        body: [
          `Everything a model has learned is stored in its **parameters**. This one has **${int(f.counts.total)}** (${bytes(f.bytes)} as 32-bit numbers): ${f.nLayer} blocks, vectors of ${f.C} numbers, ${f.nHead} attention heads per block, a vocabulary of ${int(f.vocabSize)} tokens and a context of ${int(f.blockSize)} tokens.`,
          `For scale, counted with the same formula from their published shapes: GPT-2 small has ${big(f.gpt2, "en")} parameters (${big(f.gpt2 / f.counts.total, "en")} times as many as this model) and GPT-3 about ${big(f.gpt3, "en")} (${big(f.gpt3 / f.counts.total, "en")} times as many). Same building blocks: just more of them, and wider. The picture uses a log scale, where each grid line is 10× the last.`,
          `Where this model's parameters sit:`,
        ].join("\n\n"),
        table: {
          header: ["part", "count", "share"],
          rows: (["embedding", "position", "attention", "mlp", "layernorm"] as const)
            .filter((k) => f.counts[k] > 0)
            .map((k) => [names[k], int(f.counts[k]), pct(f.counts[k] / f.counts.total)]),
          footer: [["total", int(f.counts.total), "100%"]],
        },
        pictures: {
          title: "Parameter counts on a log scale",
          subtitle: `${m.name}: ${int(f.counts.total)} parameters`,
          notes: [
            "GPT-2 and GPT-3 counted from their published shapes (layers, width, vocabulary, context) with this project's own formula.",
          ],
          heading: "Parameters (each grid line = 10×)",
          axis: "parameters",
          thisModel: "this model",
          gpt2: "GPT-2 small",
          gpt3: "GPT-3",
          breakdown: "This model, by part",
          parts: names,
        },
      };
    },

    compute: (f, m) => {
      const measured = f.source === "measured";
      const speed = `${big(f.flopsPerSecond, "en")} FLOP per second`;
      const run = measured
        ? `This model's file has no record of its training time, so one training step (forward + backward over ${int(f.tokensSeen)} tokens) was timed on this machine just now: ${duration(f.seconds, "en")}, about **${speed}**.`
        : `This model: 6 × ${int(f.params)} × ${int(f.tokensSeen)} tokens ≈ **${power(f.flops)} FLOP**. Its training took ${duration(f.seconds, "en")} on a CPU: about **${speed}**.`;
      return {
        title: "Compute: what training costs",
        body: [
          `Training cost is counted in **FLOP**, floating-point operations (one multiplication or addition). A handy rule: training takes about **6 × parameters × tokens**. Per token and per parameter, the forward pass needs about 2 operations (a multiply and an add) and the backward pass about 4.`,
          run,
          `GPT-3 (${big(f.gpt3Params, "en")} parameters, ${big(f.gpt3Tokens, "en")} tokens): 6 × ${big(f.gpt3Params, "en")} × ${big(f.gpt3Tokens, "en")} ≈ ${power(f.gpt3Flops)} FLOP. At that speed it would take about **${duration(f.gpt3Seconds, "en")}**. It was trained on a large cluster of GPUs instead, each of them far faster than a CPU at this kind of arithmetic.`,
          `Using a model costs compute too, about 2 × parameters per token: ${big(f.perTokenFlops, "en")} FLOP here, ${big(2 * f.gpt3Params, "en")} for GPT-3. At the same speed:`,
        ].join("\n\n"),
        table: {
          header: ["", "FLOP", "time"],
          rows: [
            ["1 token, this model", sci1(f.perTokenFlops), duration(f.perTokenFlops / f.flopsPerSecond, "en")],
            [measured ? "1 training step" : "its training", sci1(f.flops), duration(f.flops / f.flopsPerSecond, "en")],
            ["1 token, GPT-3", sci1(2 * f.gpt3Params), duration((2 * f.gpt3Params) / f.flopsPerSecond, "en")],
            ["GPT-3's training", sci1(f.gpt3Flops), duration(f.gpt3Seconds, "en")],
          ],
          align: ["left", "right", "right"],
        },
        pictures: {
          title: "Compute on a log scale",
          subtitle: `${m.name} · ${speed} ${measured ? "measured on this machine" : "during its training"}`,
          notes: [
            "Under each label: how long it takes at that speed. Training ≈ 6 × parameters × tokens; using the model ≈ 2 × parameters per token.",
          ],
          heading: "Floating-point operations (each grid line = 10×)",
          axis: "FLOP",
          bars: {
            thisToken: "this model: 1 token",
            thisTraining: measured ? "this model: 1 training step" : "this model: its training",
            gpt3Token: "GPT-3: 1 token",
            gpt3Training: "GPT-3: its training",
          },
          time: (seconds) => `${duration(seconds, "en")} at that speed`,
        },
      };
    },
  },
};
