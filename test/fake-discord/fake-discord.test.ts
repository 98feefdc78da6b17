/** The fake itself: multipart parsing, auth, history paging, the interaction rules. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, parseMultipart } from "./index.ts";
import { multipartBoundary } from "./multipart.ts";

let fake: FakeDiscord;

beforeAll(async () => {
  fake = await FakeDiscord.start();
});

afterAll(async () => {
  await fake.stop();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${fake.apiUrl}/v10${path}`, {
    ...init,
    headers: { authorization: `Bot ${fake.token}`, "content-type": "application/json", ...init.headers },
  });

describe("multipart", () => {
  it("splits payload_json and files, keeping the bytes", async () => {
    const form = new FormData();
    form.append("payload_json", JSON.stringify({ content: "with a file" }));
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 13, 10]);
    form.append("files[0]", new Blob([bytes], { type: "image/png" }), "picture.png");
    const request = new Request("http://x/", { method: "POST", body: form });
    const body = Buffer.from(await request.arrayBuffer());
    const parts = parseMultipart(body, multipartBoundary(request.headers.get("content-type")!)!);
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ["payload_json", undefined, undefined],
      ["files[0]", "picture.png", "image/png"],
    ]);
    expect(JSON.parse(parts[0].data.toString())).toEqual({ content: "with a file" });
    expect([...parts[1].data]).toEqual([...bytes]);
  });

  it("records a multipart channel message with its files", async () => {
    const form = new FormData();
    form.append("payload_json", JSON.stringify({ content: "look", allowed_mentions: { parse: [] } }));
    form.append("files[0]", new Blob([new Uint8Array([1, 2, 3])]), "a.bin");
    const response = await fetch(`${fake.apiUrl}/v10/channels/${fake.channelId}/messages`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bot ${fake.token}` },
    });
    expect(response.status).toBe(200);
    const message = (await response.json()) as { attachments: { filename: string; size: number }[] };
    expect(message.attachments).toMatchObject([{ filename: "a.bin", size: 3 }]);
    const recorded = fake.requests.at(-1)!;
    expect(recorded.body).toEqual({ content: "look", allowed_mentions: { parse: [] } });
    expect([...recorded.files[0].data]).toEqual([1, 2, 3]);
  });
});

describe("REST", () => {
  it("refuses a missing or rejected token with 401", async () => {
    expect((await fetch(`${fake.apiUrl}/v10/users/@me`)).status).toBe(401);
    fake.rejectedTokens.add("a.b.c");
    expect((await api("/users/@me", { headers: { authorization: "Bot a.b.c" } })).status).toBe(401);
    expect(await (await api("/users/@me")).json()).toMatchObject({ id: fake.applicationId, bot: true });
  });

  it("answers unknown routes with a 404 naming the route", async () => {
    const response = await api("/guilds/1/bans");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toContain("no route GET /guilds/1/bans");
  });

  it("pages a channel's history newest first with before and limit", async () => {
    const channel = fake.guilds[0].channels[0].id;
    const seeded = fake.seedHistory(
      channel,
      Array.from({ length: 120 }, (_, i) => ({ content: `message ${i}` })),
    );
    const page1 = (await (await api(`/channels/${channel}/messages?limit=50`)).json()) as { id: string; content: string }[];
    expect(page1).toHaveLength(50);
    const newest = fake.history(channel).at(-1)!;
    expect(page1[0].id).toBe(newest.id);
    const all: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = (await (await api(`/channels/${channel}/messages?limit=100${before ? `&before=${before}` : ""}`)).json()) as {
        id: string;
        content: string;
      }[];
      if (page.length === 0) break;
      all.push(...page.map((m) => m.content));
      before = page.at(-1)!.id;
    }
    expect(all.filter((c) => c.startsWith("message ")).reverse()).toEqual(seeded.map((m) => m.content));
    expect((await api(`/channels/${channel}/messages?limit=101`)).status).toBe(400);
  });

  it("refuses history to a bot without Read Message History", async () => {
    const channel = fake.channelId;
    fake.denyBotInChannel(channel, 1n << 16n);
    try {
      expect((await api(`/channels/${channel}/messages`)).status).toBe(403);
    } finally {
      fake.denyBotInChannel(channel, 0n);
    }
  });
});
