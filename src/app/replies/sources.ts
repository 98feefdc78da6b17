/**
 * /sources as a Reply (src/app/sources.ts): the stored training messages of this space that
 * share the longest stretches with a text, each as a short excerpt with the shared stretch in
 * bold, whether it is the asker's own, and when it was written — never by whom.
 */
import { identityOf } from "../model-identity.ts";
import { checkText } from "../prompt.ts";
import { redactText } from "../redaction.ts";
import { line, modelPart, type Part, type PendingReply, quote, quoteTail, rank, type ReplyContext, text, time } from "../reply.ts";
import { EXCERPT_CHARS, findSources, loadSources, MIN_SHARED_CHARS, type SourceMatch, type SourcesResult } from "../sources.ts";
import { formatInt } from "../number-format.ts";
import type { ReplyOptions } from "./options.ts";

/** One match: its place, whose (only "yours" is ever said), when, how long the stretch, and the excerpt. */
function matchLine(rc: ReplyContext, m: SourceMatch, kind: SourcesResult["kind"], place: number): Part[] {
  const ja = rc.lang === "ja";
  const shared = ja ? `${formatInt(m.length, "ja")}文字が共通` : `${formatInt(m.length, "en")} characters shared`;
  // a corpus document has no author and no time: its number
  if (kind === "corpus") return [rank(place), ...line` ${ja ? `文書 ${m.id}` : `document ${m.id}`} · ${shared}: `, ...excerptParts(m)];
  const who =
    kind === "playground"
      ? ja
        ? "ここで学習した文章"
        : "a text trained here"
      : m.mine
        ? ja
          ? "あなたのメッセージ"
          : "your message"
        : ja
          ? "メッセージ（投稿者は非表示）"
          : "a message (author hidden)";
  return [rank(place), ...line` ${who} · ${time(m.createdAt)} · ${shared}: `, ...excerptParts(m)];
}

/** The excerpt: what surrounds the stretch as quotes, the stretch as the strong quote, “…” where the message goes on. */
function excerptParts(m: SourceMatch): Part[] {
  const e = m.excerpt;
  return [...(e.cutBefore ? [text("…")] : []), quote(e.before), quote(e.shared, true), quote(e.after), ...(e.cutAfter ? [text("…")] : [])];
}

/** Options: text. */
export function sourcesReply(rc: ReplyContext, o: ReplyOptions): PendingReply {
  const input = checkText(o.text, false);
  return async () => {
    const ja = rc.lang === "ja";
    const scope = rc.sources;
    if (!scope) {
      const none = ja
        ? "ここには検索できる学習用のメッセージが保存されていません（DM とコンソールでは何も保存しません）。"
        : "Nothing is stored here to search (direct messages and the console store no messages).";
      return { body: [{ line: [text(none)] }], notices: [], pictures: [] };
    }
    const loaded = await loadSources(scope);
    const result = await rc.heavy(() => findSources(loaded, input));
    // the text itself may copy a stored message: quoted under the same rule
    const shown = quote(redactText(quoteTail(input), rc.redactor).text);
    const where = {
      playground: ja ? "ここで学習した文章" : "The texts trained here",
      server: ja ? "このサーバーの保存メッセージ" : "The stored messages of this server",
      corpus: ja ? "学習コーパスの文書" : "The documents of the training corpus",
    }[result.kind];
    const searched = formatInt(result.searched, rc.lang);
    const header = ja
      ? line`${where}のうち、「${shown}」といちばん長く共通する部分があるもの（${searched}件${result.capped ? "、新しい順" : ""}を検索）:`
      : line`${where} that share the longest stretches with “${shown}” (${searched} searched${result.capped ? ", the newest" : ""}):`;
    const body: { line: Part[] }[] = [{ line: header }];
    if (result.matches.length === 0) {
      body.push({
        line: [
          text(
            ja
              ? `${MIN_SHARED_CHARS}文字以上共通するものはありません。`
              : `None shares ${MIN_SHARED_CHARS} or more characters in a row with it.`,
          ),
        ],
      });
    }
    result.matches.forEach((m, i) => body.push({ line: matchLine(rc, m, result.kind, i + 1) }));
    // a model that did not learn from this space: the matches are not where it learned anything
    const kind = identityOf(rc.handle).kind;
    if (result.kind !== "corpus" && kind !== "server" && kind !== "trained-here") {
      const model = modelPart(rc.handle, rc.lang);
      body.push({
        line: ja
          ? line`答えているのは${model}で、これらのメッセージでは学習していません。共通部分は偶然か、よくある言い回しです。`
          : line`The model answering here, ${model}, was not trained on these messages: a shared stretch is chance or common wording.`,
      });
    }
    // the console's corpus: public training texts, no authors, no retention
    if (result.kind === "corpus") return { body, notices: [], pictures: [] };
    const footer = ja
      ? `投稿者は表示しません（あなた自身のものだけ「あなたの」と示します）。1件につき最大${EXCERPT_CHARS}文字まで。忘れたメッセージ・保存期間を過ぎたものは検索しません。`
      : `Authors are never shown (only your own messages are marked yours); at most ${EXCERPT_CHARS} characters of a message; forgotten and expired messages are never searched.`;
    return { body, notices: [], footer: [text(footer)], pictures: [] };
  };
}
