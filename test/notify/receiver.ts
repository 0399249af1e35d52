import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the receiver answers: as a healthy webhook, never, or with a server error. */
export type Behaviour = 'ok' | 'hang' | '500' | '400';

export interface Receiver {
  url: string;
  /** Every request received, parsed, in order (including those it never answered). */
  requests: { method: string; headers: IncomingHttpHeaders; body: unknown }[];
  behaviour: Behaviour;
  close(): Promise<void>;
}

/** A webhook endpoint on 127.0.0.1, as Slack, Teams or any receiver would be. */
export async function startReceiver(behaviour: Behaviour = 'ok'): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { requests: [], behaviour };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Kept as text: a test may check it was not JSON.
      }
      receiver.requests.push({ method: req.method ?? '', headers: req.headers, body });
      if (receiver.behaviour === 'hang') return;
      if (receiver.behaviour === '500') res.writeHead(500).end('internal error');
      else if (receiver.behaviour === '400') res.writeHead(400).end('invalid_payload');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook/T000/B000/secret-token`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
