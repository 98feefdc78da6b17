/** `ablate --text TEXT [--ablate L.H[,L.H…]] [--k K] [--model FILE] [--json] [--out FILE.png] [--lang ja|en]` */
import { ablateNext, headsText } from "../../../app/ablate.ts";
import { ablationPicture } from "../../../app/look-pictures.ts";
import { formatPercent } from "../../../render/format.ts";
import { visibleToken } from "../../../render/text.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";
import { langOption } from "../lang.ts";
import { modelFromOption } from "../model-option.ts";
import { requirePngPath, writePicture } from "../picture-file.ts";

export const usage = cliUsage("ablate");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "ablate");
  const out = v.out === undefined ? undefined : requirePngPath(v.out as string, "ablate");
  const lang = langOption(v.lang as string | undefined);
  const handle = await modelFromOption(v.model as string | undefined);
  const result = ablateNext(handle, v.text as string, { heads: v.heads as string | undefined, k: v.k as number | undefined });
  if (out) writePicture(out, await ablationPicture(result, lang, handle.name));
  if (v.json) {
    const { text, inputIds, unknown, heads, chosenFromGrid, before, beforeTokensAfter, after, top, grid } = result;
    process.stdout.write(
      `${JSON.stringify({ model: handle.name, text, inputIds, unknown, heads, chosenFromGrid, before, beforeTokensAfter, after, top, grid }, null, 2)}\n`,
    );
    return;
  }
  process.stdout.write(
    `heads off: ${headsText(result.heads)}${result.chosenFromGrid ? " (the most decisive single head)" : ""} (${handle.name})\n`,
  );
  result.before.forEach((c, i) => {
    process.stdout.write(
      `  ${visibleToken(c.token).padEnd(14)} ${formatPercent(c.prob).padStart(7)} → ${formatPercent(result.beforeTokensAfter[i].prob).padStart(7)}\n`,
    );
  });
  process.stdout.write(`change in log p("${visibleToken(result.top.token)}") with each head alone off (rows = layers):\n`);
  for (const row of result.grid) process.stdout.write(`  ${row.map((d) => d.toFixed(3).padStart(8)).join("")}\n`);
}
