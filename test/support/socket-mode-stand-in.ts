// A local stand-in for Slack's Socket Mode: the bot gets its URL from apps.connections.open (answered by the
// Web API stand-in), connects here, and receives envelopes; its acks (with any response payload) come back.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

export interface Ack {
  envelope_id: string;
  payload?: Record<string, unknown>;
}

export class SocketModeStandIn {
  private readonly server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  private socket: WebSocket | undefined;
  private readonly acks: Ack[] = [];
  private readonly waiters = new Set<() => void>();
  private connectedResolve: (() => void) | undefined;
  readonly connected = new Promise<void>((resolve) => {
    this.connectedResolve = resolve;
  });
  private envelopes = 0;

  constructor() {
    this.server.on("connection", (socket) => {
      this.socket = socket;
      socket.on("message", (data) => {
        this.acks.push(JSON.parse(String(data)) as Ack);
        for (const wake of this.waiters) wake();
      });
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A0TEST" } }));
      this.connectedResolve?.();
    });
  }

  async url(): Promise<string> {
    if (!this.server.address()) await once(this.server, "listening");
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/link`;
  }

  /** Sends an envelope and resolves with the bot's ack of it. */
  async send(
    type: "slash_commands" | "events_api",
    payload: Record<string, unknown>,
    timeoutMs = 10_000,
  ): Promise<Ack> {
    if (!this.socket) throw new Error("the bot is not connected");
    this.envelopes += 1;
    const envelopeId = `env-${this.envelopes}`;
    this.socket.send(
      JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: type === "slash_commands" }),
    );
    return new Promise((resolve, reject) => {
      const check = () => {
        const ack = this.acks.find((a) => a.envelope_id === envelopeId);
        if (!ack) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(ack);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no ack for ${envelopeId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async stop(): Promise<void> {
    for (const client of this.server.clients) client.terminate();
    this.server.close();
  }
}
