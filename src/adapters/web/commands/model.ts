/** /model: the model that answers here — its architecture card and the loss curve of its training. */
import { guildModelReport } from "../../../app/guild-model.ts";
import { lossPicture, modelCardPicture } from "../../../app/pictures.ts";
import { type WebCommand, webSpec } from "../command-spec.ts";
import { texts } from "../texts.ts";
import { identityOf } from "../../../app/model-identity.ts";

export const model: WebCommand = {
  spec: webSpec("model"),
  async run(_o, ctx) {
    const t = texts(ctx.lang);
    const report = await guildModelReport(ctx.registry, ctx.store, ctx.space);
    const info = { ...report.info, name: t.modelName(identityOf(report.handle)) };
    const { config } = info;
    const text = t.modelLine({
      model: info.name,
      own: report.own,
      params: info.params.total,
      layers: config.nLayer,
      heads: config.nHead,
      width: config.nEmbd,
      context: config.blockSize,
      step: info.step,
      valLoss: info.valLoss,
    });
    const images = [{ name: "model.png", png: await ctx.heavy(() => modelCardPicture(info, ctx.lang)) }];
    if (report.curve.length > 0) images.push({ name: "loss.png", png: await ctx.heavy(() => lossPicture(info, ctx.lang)) });
    return { text, images };
  },
};
