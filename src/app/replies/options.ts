/** What a reply use case takes: the surface's context and the options by the catalogue's names (`top_k`; absent = the default). */
import type { OptionValue } from "../catalogue/index.ts";
import type { PendingReply, ReplyContext } from "../reply.ts";

export type ReplyOptions = Readonly<Record<string, OptionValue | undefined>>;

/** Checks the options at once (an InputError for a bad one) and returns the work. */
export type ReplyUseCase = (rc: ReplyContext, options: ReplyOptions) => PendingReply;
