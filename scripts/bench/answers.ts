/**
 * Time to answer each "look inside" command for a text of the model's whole context (64 tokens
 * on the shipped `baby` model): the reply use case a surface calls (checks, forward and backward
 * passes, picture, PNG encode), as /lens, /why, /ablate, /attention view:rollout|next, /sources
 * (over the shipped corpus) and /neurons (with the shipped model's neuron index) answer.
 */
import { readCorpus, SHIPPED_CORPUS_DIR, splitDocuments } from "../../src/app/corpus.ts";
import type { ModelHandle } from "../../src/app/model-handle.ts";
import { neuronIndexerFor } from "../../src/app/neuron-indexer.ts";
import { attentionReply } from "../../src/app/replies/attention.ts";
import { ablateReply, lensReply, whyReply } from "../../src/app/replies/look.ts";
import { neuronsReply } from "../../src/app/replies/neurons.ts";
import type { ReplyOptions } from "../../src/app/replies/options.ts";
import { sourcesReply } from "../../src/app/replies/sources.ts";
import { type PendingReply, type ReplyContext, runNow } from "../../src/app/reply.ts";
import { corpusScope } from "../../src/app/sources.ts";
import { LOCAL_SPACE, SHIPPED_MODEL } from "../../src/app/model-identity.ts";
import { asyncSqliteStore } from "../../src/store/async-store.ts";
import { openStore } from "../../src/store/index.ts";
import { fmt, spread } from "./stats.ts";

/** Under this, an answer counts as answered at once (the goal). */
const GOAL_MS = 1000;

/** The commands timed: those whose name starts with this (all when it is undefined). */
let wanted: string | undefined;

async function timeAnswer(name: string, answer: () => PendingReply, runs = 5): Promise<void> {
  if (wanted !== undefined && !name.startsWith(wanted)) return;
  await answer()(); // warm-up: fonts, JIT, caches
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await answer()();
    times.push(performance.now() - t0);
  }
  const s = spread(times);
  console.log(`${name.padEnd(36)} ${fmt(s, 0)} ms ${s.median < GOAL_MS ? "(under 1 s)" : "(OVER 1 s)"}`);
}

export async function benchAnswers(loaded: ModelHandle, text: string, T: number, only?: string): Promise<void> {
  // the shipped model as the surfaces name it: its neuron index is the prebuilt one
  const handle: ModelHandle = { ...loaded, identity: SHIPPED_MODEL };
  wanted = only;
  console.log(`\n## time to answer, ${T} tokens (reply use case + picture: median (min, max) of 5)`);
  const store = asyncSqliteStore(openStore(":memory:"));
  const indexer = neuronIndexerFor(store);
  const documents = splitDocuments(readCorpus(SHIPPED_CORPUS_DIR));
  const rc: ReplyContext = {
    handle,
    lang: "en",
    heavy: runNow,
    redactor: null,
    sources: corpusScope(documents),
    neuronIndex: (h) => indexer.status(LOCAL_SPACE, h),
  };
  const o = (more: ReplyOptions = {}): ReplyOptions => ({ text, ...more });
  await timeAnswer("/lens", () => lensReply(rc, o()));
  await timeAnswer("/why", () => whyReply(rc, o()));
  await timeAnswer("/ablate heads:1.0", () => ablateReply(rc, o({ heads: "1.0" })));
  await timeAnswer("/ablate (every head alone)", () => ablateReply(rc, o()));
  await timeAnswer("/attention view:rollout", () => attentionReply(rc, o({ view: "rollout" })));
  await timeAnswer("/attention view:next", () => attentionReply(rc, o({ view: "next" })));
  await timeAnswer(`/sources (${documents.length} corpus documents)`, () => sourcesReply(rc, o()));
  const { state } = await indexer.status(LOCAL_SPACE, handle);
  await timeAnswer(`/neurons (index: ${state})`, () => neuronsReply(rc, o({ neuron: "3.0" })));
}
