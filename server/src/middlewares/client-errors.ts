import http from 'node:http';
import type { Socket } from 'node:net';
import type { Core } from '@strapi/strapi';

/**
 * How long a connection whose request Node's HTTP parser refused stays open after the answer,
 * reading and discarding what the client still sends, before it is destroyed.
 */
export const CLIENT_ERROR_LINGER_MS = 2000;

const ANSWERS: Record<string, { status: number; name: string; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, name: 'RequestHeaderFieldsTooLargeError', message: 'The request line and headers are larger than this server accepts' },
  HPE_CHUNK_EXTENSIONS_OVERFLOW: { status: 413, name: 'PayloadTooLargeError', message: 'The chunk extensions of this request body are larger than this server accepts' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, name: 'RequestTimeoutError', message: 'The request did not arrive in time' },
};

/** llhttp's reasons are fixed texts ("Invalid header value char"); anything else is not repeated. */
const REASON = /^[A-Za-z0-9 ,.'-]{1,100}$/;

/**
 * Whether the refused bytes (`rawPacket`, the chunk the parser failed in) begin with a request
 * line whose method is not HEAD: the answer to a HEAD has no body, and a client reads a body
 * after it as garbage. Anything else (a later chunk, garbage, a timeout) gets no body either.
 */
const answerMayHaveBody = (raw: unknown) => {
  if (!Buffer.isBuffer(raw)) return false;
  const text = raw.toString('latin1');
  return /^[A-Z]+ /.test(text) && !/^HEAD |\r\nHEAD /.test(text);
};

const answerOf = (error: NodeJS.ErrnoException & { reason?: unknown; rawPacket?: unknown }, maxHeaderSize: number) => {
  const known = ANSWERS[String(error.code)];
  const { status, name, message } = known ?? {
    status: 400,
    name: 'BadRequestError',
    message: `The request is not well-formed HTTP${typeof error.reason === 'string' && REASON.test(error.reason) ? `: ${error.reason}` : ''}`,
  };
  const head = `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nCache-Control: no-store\r\nConnection: close\r\n`;
  if (!answerMayHaveBody(error.rawPacket)) return `${head}Content-Length: 0\r\n\r\n`;
  const details = status === 431 ? { limit: maxHeaderSize } : {};
  const body = JSON.stringify({ data: null, error: { status, name, message, details } });
  return `${head}Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};

/**
 * Answers the requests that Node's HTTP parser refuses before Strapi sees them (request line and
 * headers over `maxHeaderSize`, malformed HTTP, request timeout) with Node's status, in Strapi's
 * JSON error shape when the request is known not to be a HEAD, and closes their connection so
 * that the client can read the answer.
 *
 * Node's own answer is a status line without a length, whose end is the end of the connection,
 * and it destroys the socket at once: when the client is still sending a body, the bytes left
 * unread make the kernel reset the connection (RST) instead of closing it, and the client loses
 * the answer (Node 24's client always reports ECONNRESET; Node 20's did one time in three
 * between two processes). Here the answer has a length, the socket is half-closed after it, and
 * what still arrives is read and dropped until the client closes or CLIENT_ERROR_LINGER_MS pass.
 *
 * It applies to the whole server (no path is known yet when the parser fails). An app or plugin
 * with a `clientError` listener of its own keeps its own: this one then steps aside.
 */
export function answerClientErrors(strapi: Core.Strapi) {
  const server = strapi.server.httpServer as http.Server;
  // Strapi passes server.http.serverOptions to http.createServer; otherwise Node's (16 KiB, or --max-http-header-size).
  const maxHeaderSize = Number(strapi.config.get('server.http.serverOptions.maxHeaderSize') ?? http.maxHeaderSize);
  // Node's parser reports each later chunk of a refused connection again: one answer per socket.
  const answered = new WeakSet<Socket>();
  let steppedAside = false;
  const onClientError = (error: NodeJS.ErrnoException, socket: Socket) => {
    if (answered.has(socket)) return;
    if (server.listenerCount('clientError') > 1) {
      if (!steppedAside) strapi.log.info("[privacy-centre] the app answers HTTP parser errors itself (a 'clientError' listener): the plugin's answer steps aside");
      steppedAside = true;
      return;
    }
    answered.add(socket);
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    // As Node does: nothing to answer on a reset connection, nor in the middle of another answer.
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(answerOf(error, maxHeaderSize));
    const timer = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    socket.resume();
  };
  server.on('clientError', onClientError);
}
