/**
 * `models [list] [--space ID] [--json]`, `models use REF`, `models rename REF NAME`,
 * `models delete REF` (the catalogue's subcommands and options): the models a space may use and
 * which one answers there, read from the same store as the bot and the playground
 * (DATABASE_PATH, from the environment or .env; default data/bot.db) and the host's MODELS_DIR
 * (default data/models). The space is a Discord server's id, or "local" (the playground).
 */
import { parseArgs } from "node:util";
import { checkOption } from "../../../app/catalogue/check.ts";
import { commandSpec, type OptionValue, optionDescription, optionsOn, subcommandsOn } from "../../../app/catalogue/index.ts";
import { type CatalogueModel, deleteModel, listModels, type ModelList, renameModel, useModel } from "../../../app/model-catalogue.ts";
import { cliEnvironment, withModelStore } from "../store-models.ts";
import { UsageError } from "../usage-error.ts";
import { flagOf } from "../catalogue-args.ts";

const SPEC = commandSpec("models", "cli");
const SUBCOMMANDS = subcommandsOn(SPEC, "cli");

export const usage = `models [${SUBCOMMANDS.map((s) => s.name).join("|")}] …   (the models a space may use; models --help)`;

export async function run(argv: string[], env: Record<string, string | undefined> = cliEnvironment()): Promise<void> {
  // 1. the subcommand (default: list) and its options, from the catalogue
  const named = SUBCOMMANDS.find((s) => s.name === argv[0]);
  if (argv[0] !== undefined && !argv[0].startsWith("-") && !named)
    throw new UsageError(`models: unknown subcommand "${argv[0]}"; subcommands: ${SUBCOMMANDS.map((s) => s.name).join(", ")}`);
  const sub = named ?? SUBCOMMANDS.find((s) => s.name === SPEC.defaultSubcommand)!;
  const v = parseSubcommand(named ? argv.slice(1) : argv, sub.name);
  const space = String(v.space ?? "local");

  // 2. the store, the registry and MODELS_DIR the bot uses
  await withModelStore(env, async (deps) => {
    const ref = v.ref as string;
    switch (sub.name) {
      case "list": {
        const list = await listModels(deps, space);
        process.stdout.write(v.json === true ? `${JSON.stringify(list, null, 2)}\n` : listText(list));
        return;
      }
      case "use": {
        const { model, previous } = await useModel(deps, space, ref);
        const was = previous && previous.ref !== model.ref ? ` (instead of ${label(previous)})` : "";
        process.stdout.write(`${space} now answers with ${label(model)}${was}.\n`);
        return;
      }
      case "rename": {
        const model = await renameModel(deps, space, ref, v.name as string);
        process.stdout.write(`${model.ref} is now called "${model.userName}".\n`);
        return;
      }
      case "delete": {
        const { deleted, wasInUse, nowInUse } = await deleteModel(deps, space, ref);
        const after = wasInUse ? ` It was answering in ${space}: ${label(nowInUse)} answers now.` : "";
        process.stdout.write(`Deleted ${label(deleted)}.${after}\n`);
        return;
      }
    }
  });
}

/** `models --help`: each subcommand with its words and flags, in the catalogue's words. */
export function help(): string {
  const lines = [`usage: npm run cli -- models [${SUBCOMMANDS.map((s) => s.name).join("|")}] …`, "", SPEC.description.en, ""];
  for (const sub of SUBCOMMANDS) {
    const words = optionsOn(sub, "cli").map((o) => {
      const text = o.cliPositional
        ? o.name.toUpperCase()
        : o.type === "boolean"
          ? `--${flagOf(o)}`
          : `--${flagOf(o)} ${o.name.toUpperCase()}`;
      return o.required ? text : `[${text}]`;
    });
    lines.push(`  models ${[sub.name, ...words].join(" ")}`, `      ${sub.description.en}`);
    for (const o of optionsOn(sub, "cli"))
      lines.push(`      ${(o.cliPositional ? o.name.toUpperCase() : `--${flagOf(o)}`).padEnd(8)}  ${optionDescription(o, "en")}`);
  }
  lines.push(
    "",
    "Reads DATABASE_PATH (default data/bot.db), MODELS_DIR (default data/models) and DEFAULT_MODEL_PATH, from the environment or .env.",
  );
  return lines.join("\n");
}

/** The subcommand's flags and positional words (in the order the catalogue lists them), checked. */
function parseSubcommand(argv: string[], name: string): Record<string, OptionValue | undefined> {
  const sub = SUBCOMMANDS.find((s) => s.name === name)!;
  const options = optionsOn(sub, "cli");
  const positional = options.filter((o) => o.cliPositional);
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: Object.fromEntries(
        options.filter((o) => !o.cliPositional).map((o) => [flagOf(o), { type: o.type === "boolean" ? "boolean" : "string" } as const]),
      ),
    }) as typeof parsed;
  } catch (err) {
    throw new UsageError(`models ${name}: ${(err as Error).message.replace(/\. To specify a positional argument.*$/s, "")}`);
  }
  if (parsed.positionals.length > positional.length)
    throw new UsageError(`models ${name}: unexpected argument "${parsed.positionals[positional.length]}"`);
  const values: Record<string, OptionValue | undefined> = {};
  for (const option of options) {
    const raw = option.cliPositional ? parsed.positionals[positional.indexOf(option)] : parsed.values[flagOf(option)];
    if (raw === undefined) {
      if (option.required) throw new UsageError(`models ${name}: ${option.name.toUpperCase()} is required (${option.description.en})`);
      values[option.name] = option.default;
      continue;
    }
    values[option.name] = checkOption(option, raw);
  }
  return values;
}

/** `#2 "evening"`, `default`, `tiny-gpt2`. */
function label(m: CatalogueModel): string {
  return m.userName ? `${m.ref} "${m.userName}"` : m.ref;
}

/** One line per model; * marks the one answering. */
function listText(list: ModelList): string {
  const width = Math.max(...list.models.map((m) => label(m).length));
  const lines = list.models.map((m) => {
    const head = `${m.inUse ? "*" : " "} ${label(m).padEnd(width)}  ${m.source.padEnd(8)}`;
    if (!m.usable) return `${head}  unusable: ${m.reason}`;
    const parts = [
      `${m.parameters!.toLocaleString("en-US")} parameters`,
      m.format,
      m.valLoss === null ? "val loss unknown" : `val loss ${m.valLoss.toFixed(3)}`,
      `step ${m.step!.toLocaleString("en-US")}`,
      m.createdAt === null ? null : new Date(m.createdAt).toISOString().slice(0, 10),
      m.runId === null ? null : `run ${m.runId}${m.preset ? ` (${m.preset})` : ""}`,
    ];
    return `${head}  ${parts.filter((p) => p !== null).join(" · ")}`;
  });
  return `models of ${list.space} (* answers now):\n${lines.join("\n")}\n`;
}
