/**
 * /model as a Reply: whose model answers (a server's own, the playground's own, or the shipped
 * one), its shape, how it was trained, where its loss curve comes from; the model card and, when
 * there is a curve, the loss picture. Its input is the space's report (src/app/guild-model.ts).
 */
import { type GuildModelReport, guildModelReport } from "../guild-model.ts";
import { LOCAL_SPACE } from "../model-identity.ts";
import type { ModelRegistry } from "../model-registry.ts";
import { lossPicture, modelCardPicture } from "../pictures.ts";
import { modelPart, parts, type Picture, type Reply, type ReplyContext } from "../reply.ts";
import { SENTENCES } from "../sentences.ts";
import { fineTuneSentences, fineTunedFrom } from "../fine-tune-sentences.ts";
import type { AsyncStore } from "../../store/async-store.ts";

/** The report of the model that answers in `space` (a guild id, or the playground's), as a Reply. */
export async function modelReply(
  source: { registry: ModelRegistry; store: Pick<AsyncStore, "models" | "runs">; space: string | null },
  rc: Pick<ReplyContext, "lang" | "heavy">,
): Promise<Reply> {
  return modelReportReply(await guildModelReport(source.registry, source.store, source.space), source.space, rc);
}

export async function modelReportReply(
  report: GuildModelReport,
  space: string | null,
  rc: Pick<ReplyContext, "lang" | "heavy">,
): Promise<Reply> {
  const s = SENTENCES[rc.lang];
  const model = modelPart(report.handle, rc.lang);
  const info = { ...report.info, name: model.name };
  const { config } = info;
  const whose =
    model.identity.kind === "trained-here"
      ? s.modelOwnHere(model)
      : report.own
        ? s.modelOwn({ model, messages: report.corpusMessages })
        : s.modelDefault({ model, where: space === LOCAL_SPACE ? "playground" : "server" });
  // a fine-tuned model names its base (recorded in its checkpoint by the training)
  const base = fineTunedFrom(report.handle.meta.extra);
  const from = base === null ? [] : [parts(fineTuneSentences(rc.lang).fineTunedFrom({ base }))];
  const shape = s.modelShape({
    preset: info.preset,
    params: info.params.total,
    layers: config.nLayer,
    heads: config.nHead,
    width: config.nEmbd,
    context: config.blockSize,
    kind: info.tokenizer.kind,
    vocabSize: info.tokenizer.vocabSize,
  });
  const training = s.modelTraining({
    step: info.step,
    totalSteps: info.totalSteps,
    tokensSeen: info.tokensSeen,
    valLoss: info.valLoss,
    trainLoss: info.trainLoss,
    createdAt: report.createdAt,
    seconds: info.trainSeconds,
  });
  const pictures: Picture[] = [{ name: "model.png", png: await rc.heavy(() => modelCardPicture(info, rc.lang)) }];
  if (report.curve.length > 0) pictures.push({ name: "loss.png", png: await rc.heavy(() => lossPicture(info, rc.lang)) });
  return {
    body: [whose, ...from, parts(shape), training, parts(s.modelCurve(report.curveSource, report.curve.length))].map((line) => ({ line })),
    notices: [],
    pictures,
  };
}
