"""Start the page: bind the socket, print the address with its token, run uvicorn until Ctrl+C."""

from __future__ import annotations

import os
import socket
import threading
from typing import Any, Callable

from .app import Settings, config_line, create_app
from .messages import message


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port), bound before the address is printed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def page_url(host: str, port: int, token: str, lang: str = "zh") -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1"
    return f"http://{shown}:{port}/?token={token}" + ("&lang=en" if lang == "en" else "")


def make_server(settings: Settings, sock: socket.socket, queue: Any = None) -> Any:
    import uvicorn

    config = uvicorn.Config(create_app(settings, queue), log_level="warning", access_log=False, lifespan="on",
                            server_header=False, date_header=False, timeout_graceful_shutdown=3)
    return uvicorn.Server(config)


def serve(settings: Settings, host: str, port: int, open_browser: bool = False, echo: Callable[[str], None] = print) -> None:
    """Run until interrupted."""
    sock = bind(host, port)
    url = page_url(host, sock.getsockname()[1], settings.token, settings.lang)
    server = make_server(settings, sock)
    echo(message("started", settings.lang))
    echo(f"  {url}")
    echo(message("baseline_hint", settings.lang, path=settings.baseline))
    echo(config_line(os.path.abspath(settings.config) if settings.config else None, settings.lang))
    if host not in ("127.0.0.1", "localhost", "::1"):
        echo(message("public_host", settings.lang, host=host))
    echo(message("stop_hint", settings.lang))
    if open_browser:
        import webbrowser

        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])


def start_in_thread(settings: Settings, host: str = "127.0.0.1", port: int = 0, queue: Any = None) -> tuple[Any, threading.Thread, str]:
    """Start the server in a background thread (tests, scripts); returns (server, thread, page url).

    ``queue`` (a :class:`~.jobs.JobQueue`) replaces the one made from ``settings``; it is not closed with the server."""
    import time

    sock = bind(host, port)
    url = page_url(host, sock.getsockname()[1], settings.token, settings.lang)
    server = make_server(settings, sock, queue)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(500):
        if server.started:
            break
        time.sleep(0.01)
    return server, thread, url
