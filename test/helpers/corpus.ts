/** A small two-language corpus with many repeats: enough to learn something in a few steps. */
export function smallCorpus(): string[] {
  const docs: string[] = [];
  for (let i = 0; i < 120; i++) {
    docs.push(`It rained yesterday, but today it is sunny. Message ${i % 7}.`);
    docs.push(`昨日は雨だったけど、今日は晴れだった。${i % 5}`);
    docs.push("The model predicts the next token, again and again.");
  }
  return docs;
}
