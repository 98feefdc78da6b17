/**
 * `commands [--json]`: every command of the catalogue (the bot's, the playground's and the
 * console's), with its options, ranges, defaults and bilingual texts. `--json` prints the
 * catalogue itself; without it, one line per command and the surfaces it is on.
 */
import { CATALOGUE } from "../../../app/catalogue/index.ts";
import { cliUsage, parseCatalogueArgs } from "../catalogue-args.ts";

export const usage = cliUsage("commands");

export async function run(argv: string[]): Promise<void> {
  const v = parseCatalogueArgs(argv, "commands");
  if (v.json) {
    process.stdout.write(`${JSON.stringify(CATALOGUE, null, 2)}\n`);
    return;
  }
  const width = Math.max(...CATALOGUE.map((c) => c.name.length));
  process.stdout.write(CATALOGUE.map((c) => `/${c.name.padEnd(width)}  [${c.on.join(", ")}]  ${c.description.en}\n`).join(""));
}
