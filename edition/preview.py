"""The live preview: the EPUB writer's chapters as pages on 127.0.0.1, reloaded in the browser on each save."""

from __future__ import annotations

import json
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import click
from lxml import etree

from .config import EditionSettings
from .errors import EditionError
from .load import Edition
from .write.assets import STYLES

CONTENTS = "nav.xhtml"
STATUS_WAIT = 25.0  # seconds a status request waits for a change before answering with no change
XHTML_TYPE = "application/xhtml+xml; charset=utf-8"
RELOAD_SCRIPT = b"""(function () {
  "use strict";
  var version = null, serial = null;
  function show(problems) {
    var box = document.getElementById("edition-preview-problems");
    if (!problems.length) { if (box) { box.remove(); } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "edition-preview-problems";
      box.setAttribute("role", "status");
      box.setAttribute("style", "position:fixed;left:0;right:0;bottom:0;max-height:40%;overflow:auto;margin:0;"
        + "padding:0.5em 1em;background:#fff3f0;color:#700;border-top:2px solid #a00;"
        + "font:0.8rem/1.4 monospace;white-space:pre-wrap;z-index:1000");
      document.body.appendChild(box);
    }
    box.textContent = problems.join("\\n");
  }
  function poll() {
    fetch("/_preview/status" + (serial === null ? "" : "?after=" + serial), {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (status) {
        if (version !== null && status.version !== version) { location.reload(); return; }
        version = status.version;
        serial = status.serial;
        show(status.problems);
        poll();
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
_SCRIPT_TAG = b'<script src="/_preview/reload.js"></script>'


def render_pages(edition: Edition, settings: EditionSettings, layout_folder: Path) -> dict[str, bytes]:
    """The preview's pages by name: the EPUB's chapters (but the cover), and its contents page.

    The print pages (index locators, keys of the textual notes, "see p. 12") are those of the last build's
    layout in ``layout_folder``, if there is one; the chapters are the EPUB writer's, links resolved.
    """
    from .build import book_and_indexes, last_layout
    from .index import assign_pages
    from .words import words_for
    from .write.epub.content import book_chapters
    from .write.epub.links import resolve_links
    from .write.epub.navigation import navigation
    from .write.epub.xhtml import OPS, XHTML, serialize
    from .write.layout import Layout

    book, indexes = book_and_indexes(edition, settings)
    layout = last_layout(layout_folder / f"{book.metadata.id}.layout.json") or Layout([], 0, 0)
    if layout.locators:
        indexes, _ = assign_pages(indexes, layout.locators)
    words = words_for(settings.language.matter)
    chapters = book_chapters(book, indexes, layout, settings.apparatus, words)
    resolve_links(book, chapters, layout)
    pages = {chapter.name: chapter.serialize() for chapter in chapters[1:]}  # the cover is an image of the title
    contents = etree.fromstring(navigation(book.metadata, chapters, [], words))
    for landmarks in contents.xpath("//x:nav[@epub:type='landmarks']", namespaces={"x": XHTML, "epub": OPS}):
        landmarks.getparent().remove(landmarks)  # hidden, and it names the cover
    pages[CONTENTS] = serialize(contents)
    return {name: page.replace(b"</head>", _SCRIPT_TAG + b"</head>", 1) for name, page in pages.items()}


class Preview:
    """The pages as last rendered, their version, and the errors of the last save, shared with the server."""

    def __init__(self):
        self.version = 0  # of the pages: the browser reloads when it changes
        self.serial = 0  # of anything the browser shows: the pages or the errors
        self.problems: list[str] = []
        self._pages: dict[str, bytes] = {}
        self._closed = False
        self._changed = threading.Condition()

    def publish(self, pages: dict[str, bytes]) -> bool:
        """New pages; a new version only if they differ from the pages served."""
        with self._changed:
            if pages == self._pages:
                return False
            self._pages = pages
            self.version += 1
            self.serial += 1
            self._changed.notify_all()
            return True

    def report(self, problems: list[str]) -> None:
        with self._changed:
            if problems != self.problems:
                self.problems = problems
                self.serial += 1
                self._changed.notify_all()

    def page(self, name: str) -> bytes | None:
        with self._changed:
            return self._pages.get(name)

    def status(self, after: int | None = None, wait: float = STATUS_WAIT) -> dict:
        """The version, serial and errors; with ``after``, once the serial differs from it (or ``wait`` passed)."""
        with self._changed:
            if after is not None:
                self._changed.wait_for(lambda: self.serial != after or self._closed, wait)
            return {"version": self.version, "serial": self.serial, "problems": self.problems}

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()


class PreviewHandler(BaseHTTPRequestHandler):
    """Answers with the preview's pages, its stylesheet, the reload script and the status; nothing else."""

    preview: Preview
    server_version = "edition-preview"

    def do_GET(self) -> None:
        self.answer(with_body=True)

    def do_HEAD(self) -> None:
        self.answer(with_body=False)

    def answer(self, with_body: bool) -> None:
        host = (self.headers.get("Host") or "127.0.0.1").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):  # a page elsewhere reaching this server by a name of its own
            return self.refuse(HTTPStatus.FORBIDDEN, "the preview answers only to 127.0.0.1 and localhost")
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if ".." in path.split("/") or "\\" in path or "\0" in path:
            return self.refuse(HTTPStatus.FORBIDDEN, "no path outside the preview")
        name = path.lstrip("/") or CONTENTS
        if name == "_preview/status":
            after = parse_qs(parts.query).get("after", [None])[0]
            if after is not None and not after.isdigit():
                return self.refuse(HTTPStatus.BAD_REQUEST, "after must be a number")
            status = self.preview.status(int(after) if after is not None else None)
            return self.send(json.dumps(status).encode(), "application/json", with_body)
        if name == "_preview/reload.js":
            return self.send(RELOAD_SCRIPT, "text/javascript; charset=utf-8", with_body)
        if name == "styles/epub.css":
            return self.send((STYLES / "epub.css").read_bytes(), "text/css; charset=utf-8", with_body)
        page = self.preview.page(name)
        if page is None:
            return self.refuse(HTTPStatus.NOT_FOUND, f"no page {name} in the preview")
        self.send(page, XHTML_TYPE, with_body)

    def send(self, body: bytes, content_type: str, with_body: bool, status: HTTPStatus = HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def refuse(self, status: HTTPStatus, reason: str) -> None:
        self.send(f"{status.value} {status.phrase}: {reason}\n".encode(), "text/plain; charset=utf-8",
                  self.command != "HEAD", status)

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal is the editor's diagnostics'


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A browser that goes away mid-answer (a reload, a closed tab) is no error; anything else is said in one
        line, never as the standard library's traceback."""
        error = sys.exc_info()[1]
        if not isinstance(error, ConnectionError):
            click.echo(f"edition: internal error in the preview: {type(error).__name__}: {error}", err=True)


class PreviewServer:
    """The preview served by the standard library's threading HTTP server, on 127.0.0.1 only, in a thread."""

    def __init__(self, preview: Preview, port: int = 0):
        self.preview = preview
        handler = type("Handler", (PreviewHandler,), {"preview": preview})
        try:
            self.httpd = _Server(("127.0.0.1", port), handler)
        except OSError as error:
            raise EditionError(f"cannot serve the preview on 127.0.0.1:{port} ({error.strerror or error}); "
                               "choose another --port") from None
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="edition-preview", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.preview.close()
        self.httpd.shutdown()
        self.httpd.server_close()
