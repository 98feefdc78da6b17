/**
 * `/sources text`: the stored training messages of *this* space (a Discord server's messages
 * that /train read, or the texts trained on in the playground) that share the longest stretches
 * with a text, e.g. a reply the model wrote.
 *
 * What may be shown, and what never is:
 *   - only the space's own stored messages (every store query filters on its id);
 *   - a forgotten message (/forget-me), a deleted one, the old text of an edited one: the store
 *     no longer holds them; a message past the space's retention period is left out here even
 *     before the periodic sweep deletes it;
 *   - no author: a match says only whether it is the asker's own message;
 *   - the verbatim rule (src/app/verbatim.ts): of any one message at most MIN_RUN − 1 code points
 *     are shown — the shared stretch, cut to that when longer, with what surrounds it.
 *
 * How: a suffix automaton of the text (src/app/shared-stretch.ts), every message read through
 * it once: O(text + all messages) per query, over at most MAX_SOURCE_MESSAGES messages.
 */
import type { AsyncStore } from "../store/async-store.ts";
import { retentionDays } from "./guild-policy.ts";
import { LOCAL_SPACE } from "./model-identity.ts";
import { TextAutomaton } from "./shared-stretch.ts";
import { MIN_RUN } from "./verbatim.ts";

/** The newest messages searched (a guild keeps what /train read: up to 20,000 per run). */
export const MAX_SOURCE_MESSAGES = 50_000;
/** Matches shown. */
export const SOURCES_SHOWN = 5;
/** Shorter shared stretches are a common word or two, not a source. */
export const MIN_SHARED_CHARS = 4;
/** The most of one message a reply shows: one less than a copy the verbatim rule cuts. */
export const EXCERPT_CHARS = MIN_RUN - 1;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface SourceMessage {
  id: string;
  authorId: string;
  text: string;
  /** ms since the epoch */
  createdAt: number;
}

/** Where /sources looks, and who asks. */
export interface SourceScope {
  /** a Discord server's stored messages, the texts trained on in the playground, or the documents of a training corpus (the console) */
  kind: "server" | "playground" | "corpus";
  /** the Discord user asking (null in the playground: its texts are the person's at the computer) */
  askerId: string | null;
  /** the stored messages that may be shown, newest first, at most MAX_SOURCE_MESSAGES (read when asked) */
  messages(): Promise<SourceMessage[]>;
}

/** A scope's messages once read: what findSources searches (synchronously, e.g. inside an explanation). */
export interface LoadedSources extends Omit<SourceScope, "messages"> {
  messages: readonly SourceMessage[];
}

export async function loadSources(scope: SourceScope): Promise<LoadedSources> {
  return { kind: scope.kind, askerId: scope.askerId, messages: await scope.messages() };
}

/** The scope of a space: its stored messages, without those past its retention period. */
export function sourceScopeFor(
  store: Pick<AsyncStore, "messages" | "settings">,
  space: string,
  askerId: string | null,
  now: () => number = Date.now,
): SourceScope {
  return {
    kind: space === LOCAL_SPACE ? "playground" : "server",
    askerId,
    async messages() {
      const days = await retentionDays(store, space);
      const since = days === null ? Number.MIN_SAFE_INTEGER : now() - days * DAY_MS;
      return store.messages.writtenSince(space, since, MAX_SOURCE_MESSAGES);
    },
  };
}

/** The documents of a training corpus (the console's `sources --corpus`): no authors, no times; id = the document's number from 1. */
export function corpusScope(documents: readonly string[]): SourceScope {
  return {
    kind: "corpus",
    askerId: null,
    messages: async () =>
      documents.slice(0, MAX_SOURCE_MESSAGES).map((text, i) => ({ id: String(i + 1), authorId: "", text, createdAt: 0 })),
  };
}

/** What a reply shows of one message: at most EXCERPT_CHARS code points around the shared stretch. */
export interface Excerpt {
  before: string;
  /** the shared stretch (its first EXCERPT_CHARS code points when longer) */
  shared: string;
  after: string;
  /** the message goes on before / after what is shown */
  cutBefore: boolean;
  cutAfter: boolean;
}

export interface SourceMatch {
  /** the stored message's id (never shown) */
  id: string;
  /** the message is the asker's own (the only thing said about its author) */
  mine: boolean;
  createdAt: number;
  /** code points of the longest stretch shared with the text */
  length: number;
  /** where the stretch starts in the text (code points) */
  textStart: number;
  excerpt: Excerpt;
}

export interface SourcesResult {
  kind: SourceScope["kind"];
  /** messages searched */
  searched: number;
  /** the space holds more than MAX_SOURCE_MESSAGES: the newest were searched */
  capped: boolean;
  /** messages sharing MIN_SHARED_CHARS or more characters in a row (the first `shown` are matches) */
  found: number;
  matches: SourceMatch[];
}

/** Line breaks of a stored text shown on one line. */
const oneLine = (s: string) => s.replace(/\r?\n/g, "↵");

/**
 * The window of `chars` around [start, start + length) that the verbatim rule allows:
 * 1. a stretch of EXCERPT_CHARS or more is cut to its first EXCERPT_CHARS;
 * 2. else the room left is shared out before and after it, what one side cannot use going to the other.
 */
export function excerptOf(chars: readonly string[], start: number, length: number): Excerpt {
  const end = start + length;
  if (length >= EXCERPT_CHARS) {
    return {
      before: "",
      shared: oneLine(chars.slice(start, start + EXCERPT_CHARS).join("")),
      after: "",
      cutBefore: start > 0,
      cutAfter: true,
    };
  }
  const room = EXCERPT_CHARS - length;
  const after = Math.min(chars.length - end, room - Math.min(start, Math.floor(room / 2)));
  const before = Math.min(start, room - after);
  return {
    before: oneLine(chars.slice(start - before, start).join("")),
    shared: oneLine(chars.slice(start, end).join("")),
    after: oneLine(chars.slice(end, end + after).join("")),
    cutBefore: start - before > 0,
    cutAfter: end + after < chars.length,
  };
}

/** The messages of the scope sharing the longest stretches with `text`, longest first (then newest). */
export function findSources(scope: LoadedSources, text: string, shown = SOURCES_SHOWN): SourcesResult {
  const automaton = new TextAutomaton(text);
  const { messages } = scope;
  const found: { message: SourceMessage; length: number; messageStart: number; textStart: number }[] = [];
  for (const message of messages) {
    const stretch = automaton.longestShared(message.text);
    if (stretch.length >= MIN_SHARED_CHARS) found.push({ message, ...stretch });
  }
  found.sort((a, b) => b.length - a.length || b.message.createdAt - a.message.createdAt || (a.message.id < b.message.id ? -1 : 1));
  return {
    kind: scope.kind,
    searched: messages.length,
    capped: messages.length >= MAX_SOURCE_MESSAGES,
    found: found.length,
    matches: found.slice(0, shown).map((f) => ({
      id: f.message.id,
      mine: scope.askerId !== null && f.message.authorId === scope.askerId,
      createdAt: f.message.createdAt,
      length: f.length,
      textStart: f.textStart,
      excerpt: excerptOf([...f.message.text], f.messageStart, f.length),
    })),
  };
}
