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
