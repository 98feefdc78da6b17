/**
 * A bot that learns from messages must not hand someone's message back word for word. This
 * finds, in a generated text, any run of MIN_RUN or more characters that stands in a stored
 * message, and cuts it out.
 *
 * How: every stored message is cut into pieces of HALF = MIN_RUN/2 characters at positions
 * 0, HALF, 2·HALF, … . A copied run of MIN_RUN characters always contains one whole aligned
 * piece, so checking each HALF-character window of the generated text against that set finds
 * every candidate; a candidate is then grown and confirmed against the message itself.
 */
export const MIN_RUN = 40;
const HALF = MIN_RUN / 2;

export class VerbatimIndex {
  private readonly pieces = new Map<string, number[]>(); // piece → indices of the messages holding it

  constructor(private readonly messages: readonly string[]) {
    messages.forEach((text, index) => {
      const chars = [...text];
      for (let at = 0; at + HALF <= chars.length; at += HALF) {
        const piece = chars.slice(at, at + HALF).join("");
        const list = this.pieces.get(piece);
        if (list) list.push(index);
        else this.pieces.set(piece, [index]);
      }
    });
  }

  /** The [start, end) character ranges (in code points) of `text` copied from a stored message. */
  copiedRuns(text: string): [number, number][] {
    const chars = [...text];
    const runs: [number, number][] = [];
    for (let i = 0; i + HALF <= chars.length; i++) {
      const holders = this.pieces.get(chars.slice(i, i + HALF).join(""));
      if (!holders) continue;
      // grow the window around i as long as some holder still contains it; keep it if long enough
      for (const index of holders) {
        const message = this.messages[index];
        let start = i;
        let end = i + HALF;
        while (start > 0 && message.includes(chars.slice(start - 1, end).join(""))) start--;
        while (end < chars.length && message.includes(chars.slice(start, end + 1).join(""))) end++;
        if (end - start >= MIN_RUN) runs.push([start, end]);
      }
    }
    return mergeRuns(runs);
  }

  /** The text with every copied run replaced by "[…]"; `cut` says whether anything was. */
  redact(text: string): { text: string; cut: boolean } {
    const runs = this.copiedRuns(text);
    if (runs.length === 0) return { text, cut: false };
    const chars = [...text];
    let out = "";
    let at = 0;
    for (const [start, end] of runs) {
      out += `${chars.slice(at, start).join("")}[…]`;
      at = end;
    }
    return { text: out + chars.slice(at).join(""), cut: true };
  }
}

function mergeRuns(runs: [number, number][]): [number, number][] {
  const sorted = [...runs].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const run of sorted) {
    const last = merged[merged.length - 1];
    if (last && run[0] <= last[1]) last[1] = Math.max(last[1], run[1]);
    else merged.push([run[0], run[1]]);
  }
  return merged;
}

export interface MessageSource {
  /** revision: moves on with every insert, edit and delete of the guild's messages */
  messages: { revision(guildId: string): Promise<number>; texts(guildId: string): Promise<string[]> };
}

/** One index per store and guild, rebuilt when the guild's messages changed (added, edited, deleted). */
const cache = new WeakMap<MessageSource, Map<string, { revision: number; index: VerbatimIndex }>>();

/** The guild's stored messages as a VerbatimIndex (null in DMs: nothing of theirs is stored). */
export async function verbatimIndexFor(store: MessageSource, guildId: string | null): Promise<VerbatimIndex | null> {
  if (guildId === null) return null;
  const revision = await store.messages.revision(guildId);
  let guilds = cache.get(store);
  if (!guilds) {
    guilds = new Map();
    cache.set(store, guilds);
  }
  const cached = guilds.get(guildId);
  if (cached && cached.revision === revision) return cached.index;
  // read after the revision: a change meanwhile moves the revision on, so this index is rebuilt next time
  const index = new VerbatimIndex(await store.messages.texts(guildId));
  const newest = guilds.get(guildId);
  if (!newest || newest.revision <= revision) guilds.set(guildId, { revision, index });
  return index;
}
