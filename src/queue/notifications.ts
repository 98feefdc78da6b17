/**
 * One LISTEN connection per process for the queue's channels (schema.ts CHANNELS), with
 * handlers by channel. A lost connection is reopened (every second until it works); handlers
 * given to onReconnect then run, so their owners read again what they may have missed.
 *
 *   const n = await Notifications.open(url, onError);
 *   const off = n.on(CHANNELS.progress, (payload) => …);   // payload: the parsed JSON
 *   await n.close();
 */
import pg from "pg";
import { CHANNELS, type Channel } from "./schema.ts";

type Handler = (payload: Record<string, unknown>) => void;

export class Notifications {
  private client: pg.Client | null = null;
  private closed = false;
  private readonly handlers = new Map<Channel, Set<Handler>>();
  private readonly reconnectHandlers = new Set<() => void>();

  private constructor(
    private readonly url: string,
    private readonly onError: (message: string, error?: unknown) => void,
  ) {}

  static async open(url: string, onError: (message: string, error?: unknown) => void): Promise<Notifications> {
    const n = new Notifications(url, onError);
    await n.connect();
    return n;
  }

  on(channel: Channel, handler: Handler): () => void {
    const set = this.handlers.get(channel) ?? new Set<Handler>();
    this.handlers.set(channel, set);
    set.add(handler);
    return () => set.delete(handler);
  }

  onReconnect(handler: () => void): () => void {
    this.reconnectHandlers.add(handler);
    return () => this.reconnectHandlers.delete(handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  /** 1. connect  2. LISTEN on every channel  3. dispatch each notification to its channel's handlers */
  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on("error", (err) => this.lost(client, err));
    client.on("end", () => this.lost(client));
    await client.connect();
    for (const channel of Object.values(CHANNELS)) await client.query(`LISTEN ${channel}`);
    client.on("notification", (msg) => {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(msg.payload ?? "{}") as Record<string, unknown>;
      } catch (err) {
        this.onError(`a notification on ${msg.channel} is not JSON: ${msg.payload}`, err);
        return;
      }
      for (const handler of [...(this.handlers.get(msg.channel as Channel) ?? [])]) {
        try {
          handler(payload);
        } catch (err) {
          this.onError(`a handler of ${msg.channel} failed`, err);
        }
      }
    });
    this.client = client;
  }

  private lost(client: pg.Client, err?: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    this.onError(`the LISTEN connection was lost${err ? ` (${err.message})` : ""}; reconnecting`, err);
    client.end().catch(() => undefined);
    const retry = () => {
      if (this.closed) return;
      this.connect().then(
        () => {
          for (const handler of [...this.reconnectHandlers]) handler();
        },
        () => setTimeout(retry, 1000).unref(),
      );
    };
    setTimeout(retry, 1000).unref();
  }
}
