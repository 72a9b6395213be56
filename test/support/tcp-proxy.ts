import { type Server, type Socket, connect, createServer } from "node:net";

/**
 * A TCP proxy on 127.0.0.1 between a server under test and the local PostgreSQL, to stage the
 * network failures an in-process test cannot: `cut()` resets every connection and refuses new
 * ones (the database is gone: ECONNRESET, ECONNREFUSED); `blackhole()` keeps every socket open
 * and drops every byte both ways (a partition: nobody learns the other side is gone, not even
 * when PostgreSQL closes its end); `heal()` forwards again.
 */
export type TcpProxy = {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url: string;
  cut(): Promise<void>;
  blackhole(): void;
  heal(): Promise<void>;
  close(): Promise<void>;
};

type Mode = "forward" | "blackhole" | "cut";

export async function startTcpProxy(databaseUrl: string): Promise<TcpProxy> {
  const target = new URL(databaseUrl);
  const targetPort = Number(target.port || 5432);
  const targetHost = target.hostname;
  let mode: Mode = "forward";
  const pairs = new Set<[Socket, Socket]>();

  const onConnection = (client: Socket) => {
    if (mode === "cut") return void client.resetAndDestroy();
    const upstream = connect(targetPort, targetHost);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const relay = (from: Socket, to: Socket) => {
      from.on("data", (chunk) => {
        if (mode === "forward") to.write(chunk);
      });
      from.on("error", () => undefined);
      // A close is news from the other side: in a blackhole nobody hears it.
      from.on("close", () => {
        if (mode !== "blackhole" || from === client) to.destroy();
        if (client.destroyed && upstream.destroyed) pairs.delete(pair);
      });
    };
    relay(client, upstream);
    relay(upstream, client);
  };

  let server: Server = createServer(onConnection);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve((server.address() as { port: number }).port));
    });
  const port = await listen(0);
  const stopListening = () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
  const resetAll = () => {
    for (const [client, upstream] of pairs) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };

  const url = new URL(databaseUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return {
    url: url.toString(),
    async cut() {
      mode = "cut";
      resetAll();
      await stopListening();
    },
    blackhole() {
      mode = "blackhole";
    },
    async heal() {
      mode = "forward";
      if (!server.listening) {
        server = createServer(onConnection);
        await listen(port);
      }
    },
    async close() {
      mode = "cut";
      resetAll();
      await stopListening();
    },
  };
}
