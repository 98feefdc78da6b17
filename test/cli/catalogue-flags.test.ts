/**
 * The console's flags all come from the catalogue: train and fetch-model too, and the import
 * flags (--heads, --gpt2-tokenizer) with every --model, parsed like any other option.
 */
import { describe, expect, it } from "vitest";
import { cliDefaults, cliOptions, cliUsage, parseCatalogueArgs } from "../../src/adapters/cli/catalogue-args.ts";
import { modelFromOption } from "../../src/adapters/cli/model-option.ts";
import { UsageError } from "../../src/adapters/cli/usage-error.ts";
import { commandsOn, surfaceName } from "../../src/app/catalogue/index.ts";
import { InputError } from "../../src/app/prompt.ts";

describe("the console's flags from the catalogue", () => {
  it("every command that takes --model also takes --heads and --gpt2-tokenizer", () => {
    const names = commandsOn("cli").map((c) => surfaceName(c, "cli"));
    const withModel = names.filter((name) => cliOptions(name).some((o) => o.name === "model"));
    expect(withModel.length).toBeGreaterThan(5);
    for (const name of withModel) {
      expect(cliUsage(name), name).toContain("[--heads N]");
      expect(cliUsage(name), name).toContain("[--gpt2-tokenizer DIR]");
    }
    expect(parseCatalogueArgs(["--heads", "4", "--gpt2-tokenizer=/tmp"], "info")).toMatchObject({ heads: 4, gpt2_tokenizer: "/tmp" });
    expect(() => parseCatalogueArgs(["--heads", "0"], "info")).toThrow(InputError);
  });

  it("a missing --gpt2-tokenizer folder is a usage mistake naming it", async () => {
    await expect(modelFromOption({ model: "x.pt", gpt2_tokenizer: "/no/such/folder" })).rejects.toThrow(
      new UsageError("--gpt2-tokenizer folder not found: /no/such/folder"),
    );
  });

  it("train: the console's own entry, its ranges the catalogue's sentences, its defaults the catalogue's", () => {
    expect(cliDefaults("train")).toMatchObject({
      preset: "baby",
      tokenizer: "bpe",
      vocab_size: 2048,
      seed: 1337,
      out: "model.safetensors",
    });
    expect(parseCatalogueArgs(["--corpus", "c.txt", "--vocab-size", "300", "--eval-interval", "5"], "train")).toMatchObject({
      corpus: "c.txt",
      vocab_size: 300,
      eval_interval: 5,
    });
    expect(() => parseCatalogueArgs(["--corpus", "c.txt", "--iters", "0"], "train")).toThrow(
      /iters must be a whole number from 1 to 1000000/,
    );
    expect(() => parseCatalogueArgs(["--corpus", "c.txt", "--tokenizer", "words"], "train")).toThrow(UsageError);
  });

  it("fetch-model: the model's name is the first word, --dir and --hub flags", () => {
    expect(parseCatalogueArgs(["gpt2", "--dir", "d", "--hub", "http://127.0.0.1:1"], "fetch-model")).toEqual({
      name: "gpt2",
      dir: "d",
      hub: "http://127.0.0.1:1",
    });
    expect(() => parseCatalogueArgs([], "fetch-model")).toThrow(/NAME is required/);
  });
});
