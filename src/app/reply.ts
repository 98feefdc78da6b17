/**
 * The one shape every command's answer takes before a surface formats it.
 *
 * A use case in src/app/replies/ checks the options, runs the work through the heavy queue, cuts
 * what copies a stored message, and returns a Reply. The Discord bot, the web playground and the
 * console then only *format* it (src/adapters/{discord,web,cli}/reply-format.ts): none of them
 * calls the heavy queue, the redaction or a sentence table for a command's answer.
 *
 *   Reply
 *   ├─ body      blocks, in order: a line (parts side by side), a table (rows of parts, whose
 *   │            columns a terminal aligns) or code (monospace lines shown as they are: an
 *   │            /explain table). An empty line is a gap between paragraphs. A surface with a
 *   │            size limit (Discord) splits a long reply between blocks, never inside a line
 *   ├─ notices   what the reader should know about the answer: unknown characters, dropped
 *   │            tokens, a cut copy of a stored message (each already a sentence)
 *   ├─ footer    the settings line that comes last (model, seed, …), kept when the body is cut
 *   └─ pictures  PNG files with their names
 *
 * A part says what it *is*, so each medium can show it its way:
 *   text   a sentence in the reader's language (from src/app/sentences.ts); the sentence table's
 *          one mark is **bold**, which Discord and the page show bold and a terminal drops (an
 *          /explain message also holds `code` and its table's ``` block, shown as they are)
 *   quote  a user's or the model's text, shown literally (never markup, mentions inert);
 *          `strong` for the prompt a continuation follows
 *   token  a token label as the pictures show it (spaces as ␣, pieces as 猫 1/3)
 *   prob   a probability in [0, 1]: a percentage, and a bar where the medium draws one
 *   rank   a 1-based place in a list
 *   model  the model that answered: its identity and its name in the reader's language
 *   time   a moment (ms since the epoch): Discord shows it in each reader's zone, others in UTC
 *   channel  a Discord channel by its id: Discord shows it as a link, others as #id
 *
 * Lines are built from the sentence tables with the `line` template tag:
 *   line`Most likely next tokens after “${quote(text)}” (${model}):`
 * gives [text, quote, text, model, text] — the sentence stays readable as one sentence.
 */
import type { Lang } from "../lang.ts";
import type { HeavyQueue } from "./heavy-queue.ts";
import type { ModelHandle } from "./model-handle.ts";
import { type ModelIdentity, identityOf, modelName } from "./model-identity.ts";
import type { IndexStatus } from "./neuron-indexer.ts";
import type { Redactor } from "./redaction.ts";
import type { SourceScope } from "./sources.ts";

export type Part =
  | { kind: "text"; text: string }
  | { kind: "quote"; text: string; strong?: boolean }
  | { kind: "token"; text: string }
  | { kind: "prob"; value: number }
  | { kind: "rank"; value: number }
  | { kind: "model"; identity: ModelIdentity; name: string }
  | { kind: "time"; ms: number }
  | { kind: "channel"; id: string };

export type Block = { line: Part[] } | { table: Part[][] } | { code: string[] };

export type NoticeKind = "unknown-chars" | "dropped-tokens" | "verbatim-cut" | "generation-end" | "index-building";

export interface Notice {
  kind: NoticeKind;
  /** the sentence, in the reader's language */
  text: string;
}

export interface Picture {
  name: string;
  png: Uint8Array;
  /** drawn with many small panels and labels (all heads of all layers): a surface that shrinks pictures to fit shows this one at its own size */
  fine?: boolean;
}

export interface Reply {
  body: Block[];
  notices: Notice[];
  footer?: Part[];
  pictures: Picture[];
}

/** What every reply use case is given by its surface. */
export interface ReplyContext {
  handle: ModelHandle;
  lang: Lang;
  /** the surface's queue of heavy work (the console runs jobs at once: runNow) */
  heavy: HeavyQueue | (<T>(job: () => Promise<T> | T) => Promise<T>);
  /** the stored messages no reply may hand back word for word (null: nothing stored) */
  redactor: Redactor | null;
  /** the number of the space's own stored model, if it has one (asked only by replies that say whose model it is) */
  storedModelId?: () => Promise<number | null>;
  /** the neuron index of a model in this space: what /neurons can show of its training text (absent: none) */
  neuronIndex?: (handle: ModelHandle) => Promise<IndexStatus>;
  /** the space's stored training messages /sources may search, and who asks (absent: nothing stored, as in DMs and the console) */
  sources?: SourceScope | null;
}

/**
 * A reply whose options were checked when it was made (bad ones threw an InputError at once,
 * before a Discord deferral), and whose work runs when it is called.
 */
export type PendingReply = () => Promise<Reply>;

/** Runs a job at once: the heavy queue of a surface that serves one person (the console). */
export const runNow = <T>(job: () => Promise<T> | T): Promise<T> => Promise.resolve().then(job);

export const text = (t: string): Part => ({ kind: "text", text: t });
export const quote = (t: string, strong = false): Part => ({ kind: "quote", text: t, ...(strong && { strong }) });
export const token = (t: string): Part => ({ kind: "token", text: t });
export const prob = (value: number): Part => ({ kind: "prob", value });
export const rank = (value: number): Part => ({ kind: "rank", value });
export const time = (ms: number): Part => ({ kind: "time", ms });
export const channel = (id: string): Part => ({ kind: "channel", id });

/** The model part of the handle that answers, named in `lang`. */
export function modelPart(handle: ModelHandle, lang: Lang): Part & { kind: "model" } {
  const identity = identityOf(handle);
  return { kind: "model", identity, name: modelName(identity, lang) };
}

/** A piece of a `line` template: a part as it is, anything else as text. */
export type Piece = Part | string | number;

/** The `line` template tag: literals and plain values become text parts, parts stay parts. */
export function line(strings: TemplateStringsArray, ...values: Piece[]): Part[] {
  return parts(...strings.flatMap((s, i) => (i < values.length ? [s, values[i]] : [s])));
}

/** Pieces as parts: plain values as text, neighbouring texts joined, empty ones left out. */
export function parts(...pieces: Piece[]): Part[] {
  const out: Part[] = [];
  for (const p of pieces) {
    const part = typeof p === "object" ? p : text(String(p));
    if (part.kind === "text" && part.text === "") continue;
    const last = out[out.length - 1];
    if (part.kind === "text" && last?.kind === "text") out[out.length - 1] = text(last.text + part.text);
    else out.push(part);
  }
  return out;
}

/** How much of a user's text a reply quotes: its end, since that is what the model continues. */
export const QUOTE_CHARS = 60;

/** A text on one line (line breaks as ↵), its last QUOTE_CHARS code points, "…" before them when longer. */
export function quoteTail(input: string): string {
  const chars = [...input.replace(/\r?\n/g, "↵")];
  return `${chars.length > QUOTE_CHARS ? "…" : ""}${chars.slice(-QUOTE_CHARS).join("")}`;
}

/** Every part of a reply in reading order (for tests and for formatters that need them all). */
export function allParts(reply: Reply): Part[] {
  const blocks = reply.body.flatMap((b) => ("line" in b ? b.line : "table" in b ? b.table.flat() : b.code.map(text)));
  return [...blocks, ...(reply.footer ?? [])];
}

/** "2026-12-02 03:40 UTC": a time as media without time zones of their readers show it. */
export function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
