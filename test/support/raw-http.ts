import { type Socket, connect } from "node:net";

/**
 * HTTP/1.1 over a bare socket, for what fetch cannot do: keep a request unfinished (its body half
 * sent) so the connection stays busy, then send a second request on the same connection.
 */
export type RawResponse = { status: number; headers: Record<string, string>; body: string };

export type HeldRequest = {
  /** Sends the rest of the body and then `next` on the same connection; resolves with both answers. */
  finishThen(next: { method: string; path: string; headers?: Record<string, string>; body?: unknown }): Promise<RawResponse[]>;
};

function requestBytes(host: string, method: string, path: string, headers: Record<string, string>, body: string): string {
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (body) lines.push("content-type: application/json", `content-length: ${Buffer.byteLength(body)}`);
  return `${lines.join("\r\n")}\r\n\r\n${body}`;
}

/** Parses whole responses (each with a content-length) out of what the socket received so far. */
function parseResponses(buffer: string): { responses: RawResponse[]; rest: string } {
  const responses: RawResponse[] = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf("\r\n\r\n");
    if (end < 0) break;
    const [statusLine, ...headerLines] = rest.slice(0, end).split("\r\n");
    const headers = Object.fromEntries(
      headerLines.map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]),
    );
    const length = Number(headers["content-length"] ?? 0);
    if (rest.length < end + 4 + length) break;
    responses.push({ status: Number(statusLine.split(" ")[1]), headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return { responses, rest };
}

export async function holdRequest(
  baseUrl: string,
  request: { method: string; path: string; headers?: Record<string, string>; body: unknown },
): Promise<HeldRequest> {
  const url = new URL(baseUrl);
  const socket: Socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let received = "";
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("data", (chunk) => (received += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const bytes = requestBytes(url.host, request.method, request.path, request.headers ?? {}, JSON.stringify(request.body));
  const split = bytes.length - 10;
  socket.write(bytes.slice(0, split));
  return {
    async finishThen(next) {
      const nextBody = next.body === undefined ? "" : JSON.stringify(next.body);
      socket.write(bytes.slice(split) + requestBytes(url.host, next.method, next.path, next.headers ?? {}, nextBody));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((r) => (timer = setTimeout(r, 15_000)))]);
      clearTimeout(timer);
      socket.destroy();
      return parseResponses(received).responses;
    },
  };
}
