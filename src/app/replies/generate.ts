/**
 * /generate and /trace as Replies: the prompt (strong) and what the model wrote, both quotes;
 * the note when the model ended its message or a copy of a stored text was cut; the settings
 * footer; for /trace, the picture of every step. The text and the picture have gone through
 * the redaction (src/app/redaction.ts) before anything leaves this file.
 */
import {
  checkGenerateOptions,
  GENERATE_DEFAULTS,
  type GeneratedText,
  type GenerateTextOptions,
  generateText,
  randomSeed,
} from "../generate-text.ts";
import { withDefaults } from "../options.ts";
import { DEFAULT_TRACE_TOKENS, tracePicture } from "../pictures.ts";
import { checkText } from "../prompt.ts";
import { redactGeneration, type ShownGeneration } from "../redaction.ts";
import { modelPart, type Notice, type PendingReply, quote, type Reply, type ReplyContext } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { promptNotices } from "./notices.ts";
import type { ReplyOptions } from "./options.ts";

/** Options as the catalogue names them: prompt, tokens, temperature, top_k, top_p, seed (absent: a random one). */
export function generateReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const prompt = checkText(o.prompt, true);
  const options = checkGenerateOptions(
    withDefaults(GENERATE_DEFAULTS, {
      maxTokens: o.tokens as number | undefined,
      temperature: o.temperature as number | undefined,
      topK: o.top_k as number | undefined,
      topP: o.top_p as number | undefined,
      seed: (o.seed as number | undefined) ?? randomSeed(),
    }),
  );
  return async () => {
    // never hand a stored message back word for word
    const shown = await rc.heavy(async () => redactGeneration(rc.handle, await continueText(rc, prompt, options), rc.redactor));
    const s = SENTENCES[rc.lang];
    const footer = s.generateFooter({
      model: modelPart(rc.handle, rc.lang),
      tokens: shown.ids.length,
      temperature: options.temperature,
      topK: options.topK,
      topP: options.topP,
      seed: options.seed,
    });
    return { ...generationBody(rc, shown), footer, pictures: [] };
  };
}

/** Options as the catalogue names them: prompt, tokens (fewer than /generate's), temperature, seed. */
export function traceReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const prompt = checkText(o.prompt, true);
  const options: GenerateTextOptions = checkGenerateOptions(
    withDefaults(GENERATE_DEFAULTS, {
      maxTokens: (o.tokens as number | undefined) ?? DEFAULT_TRACE_TOKENS,
      temperature: o.temperature as number | undefined,
      seed: (o.seed as number | undefined) ?? randomSeed(),
    }),
    "trace",
  );
  return async () => {
    const model = modelPart(rc.handle, rc.lang);
    const { shown, png } = await rc.heavy(async () => {
      // the text and the picture, redacted in one place
      const shown = redactGeneration(rc.handle, await continueText(rc, prompt, options), rc.redactor);
      return { shown, png: await tracePicture({ ...rc.handle, name: model.name }, shown, rc.lang) };
    });
    const footer = SENTENCES[rc.lang].traceFooter({ model, steps: shown.steps.length, seed: options.seed });
    return { ...generationBody(rc, shown), footer, pictures: [{ name: "trace.png", png }] };
  };
}

/** The continuation: from the model's host thread when it has one (its passes off the event loop), else from the model here. */
function continueText(rc: ReplyContext, prompt: string, options: GenerateTextOptions): Promise<GeneratedText> {
  return rc.handle.host ? rc.handle.host.generateText(prompt, options) : Promise.resolve(generateText(rc.handle, prompt, options));
}

/** The prompt and the continuation, and the notes about how it ended and what was cut. */
function generationBody(rc: ReplyContext, shown: ShownGeneration): Pick<Reply, "body" | "notices"> {
  const s = SENTENCES[rc.lang];
  const notices: Notice[] = [];
  if (shown.text.length === 0) notices.push({ kind: "generation-end", text: s.generateNothing });
  else if (shown.stoppedBy === "stopToken") notices.push({ kind: "generation-end", text: s.generateEnded });
  if (shown.cut) notices.push({ kind: "verbatim-cut", text: s.verbatimCut });
  notices.push(...promptNotices(rc.lang, shown));
  return { body: [{ line: [quote(shown.prompt, true), quote(shown.text)] }], notices };
}
