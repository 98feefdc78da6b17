/**
 * The command catalogue is the one description of every command: what Discord registers
 * (`npm run deploy-commands -- --print`), what the console prints (`npm run cli -- commands
 * --json`) and what a running playground serves (`GET /api/commands`) must all say the same
 * options and ranges, and each must be what the catalogue says.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOption } from "../../src/app/catalogue/check.ts";
import {
  CATALOGUE,
  type CommandSpec,
  commandsOn,
  defaultsOf,
  type OptionSpec,
  optionDescription,
  optionsOn,
  subcommandsOn,
  surfaceName,
} from "../../src/app/catalogue/index.ts";
import { cliHelp, flagOf, parseCatalogueArgs } from "../../src/adapters/cli/catalogue-args.ts";
import { InputError } from "../../src/app/prompt.ts";
import { MAX_DESCRIPTION } from "../../src/adapters/discord/slash-json.ts";
import { startTestPlayground, type TestPlayground } from "../web/harness.ts";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");

/** What every surface must agree on about an option. */
interface Shape {
  name: string;
  type: string;
  required: boolean;
  min: number | null;
  max: number | null;
  maxLength: number | null;
  choices: string[] | null;
}

const fromCatalogue = (o: OptionSpec): Shape => ({
  name: o.name,
  type: o.type,
  required: o.required === true,
  min: o.min ?? null,
  max: o.max ?? null,
  maxLength: o.maxLength ?? null,
  choices: o.choices?.map((c) => c.value) ?? null,
});

const DISCORD_TYPES: Record<number, string> = { 3: "string", 4: "integer", 5: "boolean", 10: "number" };
// biome-ignore lint/suspicious/noExplicitAny: Discord's JSON as printed
const fromDiscord = (o: any): Shape => ({
  name: o.name,
  type: DISCORD_TYPES[o.type],
  required: o.required === true,
  min: o.min_value ?? null,
  max: o.max_value ?? null,
  maxLength: o.max_length ?? null,
  choices: o.choices?.map((c: { value: string }) => c.value) ?? null,
});

/** The options of a catalogue command on a surface, subcommands' options keyed "sub option". */
function expectedOptions(spec: CommandSpec, surface: "discord" | "web"): Record<string, Shape> {
  const subs = subcommandsOn(spec, surface);
  if (subs.length === 0) return Object.fromEntries(optionsOn(spec, surface).map((o) => [o.name, fromCatalogue(o)]));
  return Object.fromEntries(subs.flatMap((s) => optionsOn(s, surface).map((o) => [`${s.name} ${o.name}`, fromCatalogue(o)])));
}

let printed: unknown[];
let catalogueJson: CommandSpec[];
let served: { commands: { name: string; options: OptionSpec[] }[] };
let playground: TestPlayground;

beforeAll(async () => {
  // the scripts as a user runs them: no token, no network (an empty environment but PATH)
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
  const [deploy, cli] = await Promise.all([
    run("npm", ["run", "-s", "deploy-commands", "--", "--print"], { cwd: root, env, timeout: 120_000 }),
    run("npm", ["run", "-s", "cli", "--", "commands", "--json"], { cwd: root, env, timeout: 120_000 }),
  ]);
  printed = JSON.parse(deploy.stdout);
  catalogueJson = JSON.parse(cli.stdout);
  playground = await startTestPlayground();
  served = (await (await fetch(new URL("/api/commands?lang=en", playground.url))).json()) as typeof served;
}, 240_000);

afterAll(async () => {
  await playground?.close();
});

describe("one catalogue, three surfaces", () => {
  it("cli commands --json prints the catalogue itself", () => {
    expect(catalogueJson).toEqual(JSON.parse(JSON.stringify(CATALOGUE)));
  });

  it("deploy-commands --print registers exactly the catalogue's Discord commands, with its options and ranges", () => {
    // biome-ignore lint/suspicious/noExplicitAny: Discord's JSON as printed
    const byName = new Map((printed as any[]).map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(
      commandsOn("discord", catalogueJson)
        .map((c) => c.name)
        .sort(),
    );
    for (const spec of commandsOn("discord", catalogueJson)) {
      const json = byName.get(spec.name);
      expect(json.description).toBe(spec.description.en);
      expect(json.description_localizations.ja).toBe(spec.description.ja);
      const subs = subcommandsOn(spec, "discord");
      const options: Record<string, Shape> = {};
      for (const o of json.options ?? []) {
        if (o.type === 1) for (const so of o.options ?? []) options[`${o.name} ${so.name}`] = fromDiscord(so);
        else options[o.name] = fromDiscord(o);
      }
      expect(options, `/${spec.name}`).toEqual(expectedOptions(spec, "discord"));
      expect(subs.length > 0).toBe((json.options ?? []).some((o: { type: number }) => o.type === 1));
    }
  });

  it("GET /api/commands serves the catalogue's playground commands, with its options and ranges", () => {
    expect(served.commands.map((c) => c.name)).toEqual(commandsOn("web", catalogueJson).map((c) => c.name));
    for (const spec of commandsOn("web", catalogueJson)) {
      const command = served.commands.find((c) => c.name === spec.name)!;
      const subs = subcommandsOn(spec, "web");
      const options = Object.fromEntries(command.options.filter((o) => o.name !== "action").map((o) => [o.name, fromCatalogue(o)]));
      // subcommands' options once each (`ref` of use, rename, delete), required by the subcommand's use case, not the line
      const expected = Object.fromEntries(
        Object.entries(expectedOptions(spec, "web")).map(([key, shape]) => [
          key.split(" ").at(-1)!,
          { ...shape, required: subs.length > 0 ? false : shape.required },
        ]),
      );
      expect(options, `/${spec.name}`).toEqual(expected);
      // a command with subcommands takes them as its first option, `action`
      if (subs.length > 0) expect(command.options[0].choices?.map((c) => c.value)).toEqual(subs.map((s) => s.name));
      // descriptions carry the catalogue's range and default, as Discord's do
      for (const o of command.options.filter((o) => o.name !== "action")) {
        const source = [...optionsOn(spec, "web"), ...subs.flatMap((s) => optionsOn(s, "web"))].find((c) => c.name === o.name)!;
        expect(o.description.en).toBe(optionDescription(source, "en"));
        expect(o.description.ja).toBe(optionDescription(source, "ja"));
      }
    }
  });

  it("an option both Discord and the playground show has the same range on both", () => {
    // biome-ignore lint/suspicious/noExplicitAny: Discord's JSON as printed
    const discord = new Map((printed as any[]).map((c) => [c.name, c]));
    let compared = 0;
    for (const command of served.commands) {
      const json = discord.get(command.name);
      if (!json) continue;
      // biome-ignore lint/suspicious/noExplicitAny: Discord's JSON as printed
      const discordOptions: any[] = (json.options ?? []).flatMap((o: any) =>
        o.type === 1 ? (o.options ?? []).map((so: Record<string, unknown>) => ({ ...so, inSubcommand: true })) : [o],
      );
      for (const option of command.options) {
        const twin = discordOptions.find((o) => o.name === option.name);
        if (!twin) continue;
        // the playground's line takes a subcommand's options without it: each is required by its use case
        const shape = twin.inSubcommand ? { ...fromDiscord(twin), required: false } : fromDiscord(twin);
        expect(shape, `/${command.name} ${option.name}`).toEqual(fromCatalogue(option));
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThan(10);
  });
});

describe("the console's flags", () => {
  it("every console command's --help lists each option with the catalogue's range, and refuses a value past it", () => {
    let checked = 0;
    for (const spec of commandsOn("cli")) {
      const name = surfaceName(spec, "cli");
      const help = cliHelp(name);
      for (const o of optionsOn(spec, "cli")) {
        expect(help, `${name} ${o.name}`).toContain(o.cliPositional ? o.name.toUpperCase() : `--${flagOf(o)}`);
        if (o.max === undefined || o.cliPositional) continue;
        if (o.min !== undefined) expect(help, `${name} ${o.name}`).toContain(`${o.min}–${o.max}`);
        // the required flags with a value they accept, then this one past its maximum
        const required = optionsOn(spec, "cli").filter((r) => r.required && !r.cliPositional && r !== o);
        const argv = [
          ...required.flatMap((r) => [`--${flagOf(r)}`, r.choices?.[0].value ?? String(r.min ?? "x")]),
          `--${flagOf(o)}=${o.max + 1}`,
        ];
        let refused: unknown;
        try {
          parseCatalogueArgs(argv, name);
        } catch (err) {
          refused = err;
        }
        expect(refused, `${name} ${flagOf(o)} ${o.max + 1}`).toBeInstanceOf(InputError);
        expect((refused as InputError).values).toMatchObject({ option: o.name, max: o.max });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe("the catalogue itself", () => {
  it("every description fits Discord's 100 characters, with its range and default", () => {
    for (const spec of CATALOGUE) {
      const options = [...(spec.options ?? []), ...(spec.subcommands ?? []).flatMap((s) => s.options)];
      for (const o of options)
        for (const lang of ["en", "ja"] as const) expect([...optionDescription(o, lang)].length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    }
  });

  it("every default is a value its own option accepts", () => {
    for (const spec of CATALOGUE) {
      const owners = [spec, ...(spec.subcommands ?? [])];
      for (const owner of owners) {
        for (const o of owner.options ?? [])
          if (o.default !== undefined) expect(checkOption(o, o.default), `${spec.name} ${o.name}`).toBe(o.default);
      }
    }
    expect(defaultsOf("predict")).toMatchObject({ k: expect.any(Number), temperature: expect.any(Number) });
  });

  it("checks a value against its option: in range passes, outside names the option, the value and the range", () => {
    const k = CATALOGUE.find((c) => c.name === "predict")!.options!.find((o) => o.name === "k")!;
    expect(checkOption(k, String(k.max))).toBe(k.max);
    expect(checkOption(k, k.min)).toBe(k.min);
    for (const bad of [k.max! + 1, k.min! - 1, 2.5, "ten", ""]) {
      try {
        checkOption(k, bad);
        throw new Error(`k accepted ${bad}`);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).values).toMatchObject({ option: "k", min: k.min, max: k.max, kind: "integer" });
        expect((err as InputError).message).toBe(`k must be a whole number from ${k.min} to ${k.max} (you gave ${String(bad)}).`);
      }
    }
  });
});
