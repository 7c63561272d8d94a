"""An HTTP server on 127.0.0.1 that records every request and answers as a SPARQL endpoint would."""

from __future__ import annotations

import http.server
import threading

BODY = b'{"head":{"vars":["z"]},"results":{"bindings":[{"z":{"type":"literal","value":"REMOTE-SECRET"}}]}}'


class Recorder:
    """``url`` is the server's root; ``hits`` the URLs asked for since the last ``clear()``."""

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
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def clear(self) -> None:
        self.hits.clear()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
