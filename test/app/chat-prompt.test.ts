/**
 * The chat prompt in the corpus' question-and-answer form, the script share that measures a
 * reply's language, and a reply that ends at its first new line (an answer of the corpus is one line).
 */
import { describe, expect, it } from "vitest";
import { chatPromptIds, generateChatReply } from "../../src/app/chat.ts";
import {
  conversationAsDocument,
  japaneseShare,
  promptAfterEndOfText,
  promptAsOneDocument,
  promptAsQuestion,
  questionAndAnswerOpening,
} from "../../src/app/chat-prompt.ts";
import { handleFromCheckpoint } from "../../src/app/model-handle.ts";
import { presetConfig } from "../../src/model/config.ts";
import { GPT } from "../../src/model/gpt.ts";
import { loadCheckpointBytes, saveCheckpointBytes } from "../../src/model/checkpoint.ts";
import { seededRandom } from "../../src/tensor/random.ts";
import { trainCharBpeTokenizer } from "../../src/tokenizer/char-bpe.ts";
import { scriptedHandle } from "../discord/tiny-model.ts";

/** A random baby-preset model (context 64) over a character BPE that knows both scripts and the Q/A marks. */
function charBpeHandle() {
  const tokenizer = trainCharBpeTokenizer("Q：猫は何ですか？\nA：動物です。\n\nQ: What is a cat?\nA: An animal.", 400);
  const model = new GPT(presetConfig("baby", tokenizer.vocabSize)).init(seededRandom(2));
  const bytes = saveCheckpointBytes(model.config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step: 0 });
  return handleFromCheckpoint(loadCheckpointBytes(bytes, "tiny charbpe"), "tiny charbpe");
}

describe("the chat prompt", () => {
  it("asks the last message as the corpus writes a question, in the message's script", () => {
    expect(questionAndAnswerOpening("猫は何ですか？")).toBe("Q：猫は何ですか？\nA：");
    expect(questionAndAnswerOpening("  What is\na cat? ")).toBe("Q: What is a cat?\nA:");
    // mostly Latin letters with one kanji: English marks
    expect(questionAndAnswerOpening("Debian の FAQ")).toBe("Q: Debian の FAQ\nA:");
  });

  it("is end-of-text, the earlier messages as one document's sentences, then the question", () => {
    const handle = charBpeHandle();
    const t = handle.tokenizer;
    const ids = promptAsQuestion(handle, ["こんにちは。", "hi there", "猫は何ですか？"]);
    expect(ids[0]).toBe(t.eotId);
    expect(ids.slice(1)).not.toContain(t.eotId);
    expect(t.decode(ids)).toBe("こんにちは。hi there\nQ：猫は何ですか？\nA：");
    expect(chatPromptIds(handle, ["What is a cat?"])).toEqual(promptAsQuestion(handle, ["What is a cat?"]));
    // the earlier form kept for the measurement: every message after its own end-of-text
    const before = promptAfterEndOfText(handle, ["a", "b"]);
    expect(before.filter((id) => id === t.eotId)).toHaveLength(3);
  });

  it("is one document, ending on the message and not on a lone space, where the model cannot read the Q/A marks", () => {
    // a server's model trained on chat without "Q:"/"A:": those letters would be byte tokens it never saw
    const tokenizer = trainCharBpeTokenizer("the cat sat on the mat\n\nthe dog ran after the cat", 320);
    const model = new GPT(presetConfig("tiny", tokenizer.vocabSize)).init(seededRandom(2));
    const bytes = saveCheckpointBytes(model.config, model.params as Float32Array, { tokenizer: tokenizer.toJSON(), step: 0 });
    const handle = handleFromCheckpoint(loadCheckpointBytes(bytes, "server model"), "server model");
    const ids = promptAsQuestion(handle, ["the dog", "the cat sat"]);
    expect(ids).toEqual(promptAsOneDocument(handle, ["the dog", "the cat sat"]));
    expect(tokenizer.decode(ids)).toBe("the dog the cat sat");
    // the model that knows the marks still gets the question form
    const knowing = charBpeHandle();
    expect(knowing.tokenizer.decode(promptAsQuestion(knowing, ["What is a cat?"]))).toBe("Q: What is a cat?\nA:");
  });

  it("keeps the newest tokens that fit the context", () => {
    const handle = charBpeHandle();
    const T = handle.model.config.blockSize;
    const ids = promptAsQuestion(handle, ["猫".repeat(3 * T), "What is a cat?"]);
    expect(ids).toHaveLength(T);
    expect(handle.tokenizer.decode(ids).endsWith("\nQ: What is a cat?\nA:")).toBe(true);
  });

  it("joins sentences without a space after Japanese, with one after Latin text", () => {
    expect(conversationAsDocument(["今日は晴れ。", "  It is  sunny. ", "", "そうだね"])).toBe("今日は晴れ。It is sunny. そうだね");
  });
});

describe("the script share of a reply", () => {
  it("counts kana and kanji against Latin letters, ignoring digits, spaces and marks", () => {
    expect(japaneseShare("猫です")).toBe(1);
    expect(japaneseShare("a cat!")).toBe(0);
    expect(japaneseShare("猫 cat")).toBeCloseTo(1 / 4);
    expect(japaneseShare("123 ！？ …")).toBeNull();
  });
});

describe("a chat reply", () => {
  it("ends at its first new line after some text, and is trimmed", async () => {
    const reply = await generateChatReply(scriptedHandle(" hello there\nQ next"), [0], { seed: 1 });
    expect(reply.text).toBe("hello there");
    expect(reply.steps.length).toBeGreaterThan(0);
  });
});
