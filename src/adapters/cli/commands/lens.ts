/** `lens --text TEXT [--k K] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` (flags: the catalogue's) */
import { lensOf } from "../../../app/lens.ts";
import { lensPicture } from "../../../app/look-pictures.ts";
import { formatPercent } from "../../../render/format.ts";
import { visibleToken } from "../../../render/text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("lens");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "lens");
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, "lens");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const result = lensOf(handle, v.text as string, { k: v.k as number | undefined });
  if (out) writePicture(out, await lensPicture(result, lang, handle.name));
  if (v.json) {
    const layers = result.layers.map((d) => ({
      layer: d.layer,
      positions: d.positions.map((p) => ({ top: p.top.map((c) => ({ id: c.id, token: c.token, prob: c.prob, logit: c.logit })) })),
    }));
    process.stdout.write(
      `${JSON.stringify({ model: handle.name, text: result.text, inputIds: result.inputIds, unknown: result.unknown, layers })}\n`,
    );
    return;
  }
  // text: the last position's top guess at every depth
  const last = result.inputIds.length - 1;
  process.stdout.write(`top guess after "${result.text}" at each depth (${handle.name}):\n`);
  for (const d of result.layers) {
    const guesses = d.positions[last].top.map((c) => `${visibleToken(c.token)} ${formatPercent(c.prob)}`).join("  ");
    const name = d.layer === 0 ? "embeddings" : d.layer === result.layers.length - 1 ? "output" : `after layer ${d.layer - 1}`;
    process.stdout.write(`  ${String(d.layer).padStart(2)} ${name.padEnd(16)} ${guesses}\n`);
  }
}
