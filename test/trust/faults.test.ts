/** Discord faults against the fake: REST 429 and 500 answers, a dropped gateway connection, an expired interaction. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../discord/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe("Discord faults", () => {
  it("a 429 with Retry-After and then a 500 on the reply: the bot retries and still answers", async () => {
    const isEdit = (r: { method: string; path: string }) => r.method === "PATCH" && r.path.includes("/messages/@original");
    h.fake.injectFault({ match: isEdit, status: 429, retryAfterSeconds: 0.3 });
    h.fake.injectFault({ match: isEdit, status: 500 });
    const reply = await h.fake.interact({ command: "tokens", options: { text: "hello" } }).reply(30_000);
    expect(reply.files.length).toBe(1);
    const edits = h.fake.requests.filter(isEdit);
    expect(edits.map((r) => r.status)).toEqual(expect.arrayContaining([429, 500, 200]));
  });

  it("the gateway connection drops: the bot resumes and keeps answering", async () => {
    for (const client of (h.fake.gateway as unknown as { wss: { clients: Set<{ terminate(): void }> } }).wss.clients) client.terminate();
    const reply = await h.fake.interact({ command: "tokens", options: { text: "after the drop" } }).reply(30_000);
    expect(reply.files.length).toBe(1);
  });

  it("an interaction whose token has expired is logged, not crashed on", async () => {
    const expired = h.fake.interact({ command: "tokens", options: { text: "late" } });
    h.fake.injectFault({ match: (r) => r.path.includes(`/interactions/${expired.id}/`), status: 404, times: 5 });
    // a line about this very interaction (not any warning an earlier test left)
    const aboutIt = () => h.logs.filter((l) => (l.level === "error" || l.level === "warn") && l.context?.interaction === expired.id);
    const deadline = Date.now() + 10_000;
    while (aboutIt().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(aboutIt().map((l) => l.message)).toContain("/tokens failed");
    // still alive
    const next = await h.fake.interact({ command: "tokens", options: { text: "still here" } }).reply(30_000);
    expect(next.files.length).toBe(1);
  });
});
