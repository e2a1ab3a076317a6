"""Fetch one page with a deadline, whole and in UTF-8, or say in one line why not.

A socket timeout bounds each read, not the whole answer: a server that sends one byte every 20 seconds never
trips it. So every page has its own deadline and the whole refresh another, checked after every read; a short
read (fewer bytes than the server announced), an HTTP error and a page that is not UTF-8 each raise a
``FetchError`` whose message is one line naming the page.
"""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request

__all__ = ["FetchError", "fetch"]

_CHUNK = 65536


class FetchError(OSError):
    """A page that did not arrive whole, in time and in UTF-8; the message is one line naming the page."""


def _read_all(response, label: str, stop: float) -> bytes:
    chunks, size = [], 0
    while True:
        if time.monotonic() > stop:
            raise FetchError(f"{label}: not complete before its deadline (stopped after {size} bytes)")
        chunk = response.read1(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)


def _checked(body: bytes, announced: str | None, label: str) -> bytes:
    if announced and announced.isdigit() and len(body) < int(announced):
        raise FetchError(f"{label}: short read, {len(body)} of {announced} bytes announced")
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body[: exc.start].count(b"\n") + 1
        raise FetchError(f"{label}: not UTF-8 (byte 0x{body[exc.start]:02x} on line {line})") from None
    return body


def fetch(url: str, label: str, timeout: float, deadline: float | None = None) -> bytes:
    """The body of ``url``, read before ``timeout`` seconds from now and before ``deadline`` (monotonic clock)."""
    label = f"page {label} ({url})"
    stop = time.monotonic() + timeout
    stop = min(stop, deadline) if deadline is not None else stop
    if stop <= time.monotonic():
        raise FetchError(f"{label}: not fetched, the refresh's total deadline has passed")
    try:
        with urllib.request.urlopen(url, timeout=max(0.5, stop - time.monotonic())) as response:
            body = _read_all(response, label, stop)
            return _checked(body, response.headers.get("Content-Length"), label)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{label}: HTTP {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise FetchError(f"{label}: short read, {len(exc.partial)} bytes then the connection closed") from None
    except TimeoutError:
        raise FetchError(f"{label}: no answer within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{label}: cannot connect ({exc.reason})") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise FetchError(f"{label}: the connection failed ({type(exc).__name__}: {exc})") from None
