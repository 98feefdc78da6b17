/**
 * The longest stretch a message shares with a text, for every message of a guild in one pass
 * over their characters: a suffix automaton of the text (the smallest machine that accepts
 * exactly the text's substrings), then each message read through it.
 *
 *   build    O(n) states and transitions for the text's n code points (at most 2n states)
 *   scan     one message of m code points in O(m): at each character, follow its transition
 *            while one exists (the match grows by one), else fall back along suffix links to the
 *            longest suffix of the match that can grow, exactly as Aho–Corasick falls back.
 *
 * A state's `firstEnd` is where its substrings first end in the text, so the stretch found in a
 * message is placed in the text too. Characters are code points: a kanji or an emoji is one.
 */

interface State {
  /** the longest substring this state stands for has this many code points */
  length: number;
  /** the state of the longest proper suffix that is another state (−1 for the start) */
  link: number;
  next: Map<string, number>;
  /** the text's index (code points) of the last character of this state's first occurrence */
  firstEnd: number;
}

export interface SharedStretch {
  /** code points in the stretch (0: the message shares no character with the text) */
  length: number;
  /** where it starts in the message and in the text (code points) */
  messageStart: number;
  textStart: number;
}

export class TextAutomaton {
  private readonly states: State[] = [{ length: 0, link: -1, next: new Map(), firstEnd: -1 }];

  /** Builds the automaton of `text` (online, one code point at a time). */
  constructor(text: string) {
    let last = 0;
    let end = 0;
    for (const ch of text) {
      last = this.extend(last, ch, end);
      end++;
    }
  }

  /** 1. a new state for the text so far; 2. transitions into it from the suffixes lacking `ch`; 3. its suffix link (splitting a state when lengths do not line up). */
  private extend(last: number, ch: string, end: number): number {
    const s = this.states;
    const cur = s.length;
    s.push({ length: s[last].length + 1, link: -1, next: new Map(), firstEnd: end });
    let p = last;
    while (p !== -1 && !s[p].next.has(ch)) {
      s[p].next.set(ch, cur);
      p = s[p].link;
    }
    if (p === -1) s[cur].link = 0;
    else {
      const q = s[p].next.get(ch)!;
      if (s[p].length + 1 === s[q].length) s[cur].link = q;
      else {
        const clone = s.length;
        s.push({ length: s[p].length + 1, link: s[q].link, next: new Map(s[q].next), firstEnd: s[q].firstEnd });
        while (p !== -1 && s[p].next.get(ch) === q) {
          s[p].next.set(ch, clone);
          p = s[p].link;
        }
        s[q].link = clone;
        s[cur].link = clone;
      }
    }
    return cur;
  }

  /** How many states the automaton has (≤ 2n for n code points). */
  get size(): number {
    return this.states.length;
  }

  /** The longest stretch of `message` that stands in the text (the first one on ties). */
  longestShared(message: string): SharedStretch {
    const s = this.states;
    let state = 0;
    let length = 0;
    let best: SharedStretch = { length: 0, messageStart: 0, textStart: 0 };
    let at = 0;
    for (const ch of message) {
      // fall back until the match can grow by ch (or nothing matches)
      while (state !== 0 && !s[state].next.has(ch)) {
        state = s[state].link;
        length = s[state].length;
      }
      const next = s[state].next.get(ch);
      if (next === undefined) {
        state = 0;
        length = 0;
      } else {
        state = next;
        length++;
      }
      if (length > best.length) {
        // the match is the text's substring of `length` ending where this state first ends
        best = { length, messageStart: at - length + 1, textStart: s[state].firstEnd - length + 1 };
      }
      at++;
    }
    return best;
  }
}
