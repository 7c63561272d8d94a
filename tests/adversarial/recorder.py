"""An HTTP server on 127.0.0.1 that records every request and answers as a SPARQL endpoint would."""

from __future__ import annotations

import http.server
import threading

#: the value every answer binds to ?z: finding it in a response means the SERVICE call got through
SECRET = "REMOTE-SECRET"
BODY = b'{"head":{"vars":["z"]},"results":{"bindings":[{"z":{"type":"literal","value":"%s"}}]}}' % SECRET.encode()


class _Server(http.server.ThreadingHTTPServer):
    connections = 0

    def verify_request(self, request, client_address) -> bool:  # every accepted connection, even one never completed
        self.connections += 1
        return True


class Recorder:
    """``url`` is the server's root; ``hits`` the URLs asked for since the last ``clear()``; ``connections`` every
    connection accepted since it started, even one that never sent a request."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                hits.append(f"http://127.0.0.1:{self.server.server_address[1]}{self.path}")
                self.rfile.read(int(self.headers.get("content-length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(BODY)))
                self.end_headers()
                self.wfile.write(BODY)

            do_GET = do_POST = _answer

            def log_message(self, *args) -> None:
                pass

        self.hits = hits
        self.server = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def connections(self) -> int:
        return self.server.connections

    def clear(self) -> None:
        self.hits.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
