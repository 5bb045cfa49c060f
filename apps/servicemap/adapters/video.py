"""Hall video recorders (NVR / DVR / IPC) as the map sees them (MAP-1.7.5, 6.9).

The map does not transcode: each `VideoChannel.stream_url` is a browser-playable live stream that the
hall's access gateway or recorder serves — here MJPEG over HTTP (multipart/x-mixed-replace), which a
plain <img> plays. `NvrSimulator` is such a recorder on a real socket (SimulatorServer):

    GET /channels                        → {"channels": [{"number", "name", "online"}]}
    GET /channels/<n>/stream.mjpeg       → multipart/x-mixed-replace JPEG frames (channel and clock drawn)
    POST /control {"offline": [2]}       → channel 2 answers 503 (a camera that is down)
    GET /health                          → {"ok": true}
"""
from __future__ import annotations

import io
import json
import threading
import time
from datetime import datetime

BOUNDARY = "frame"


def _frame(number: int, index: int) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 180), (18, 52, 92))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 150, 320, 180], fill=(200, 22, 29))
    draw.text((12, 12), f"CH{number:02d}  LIVE", fill=(255, 255, 255))
    draw.text((12, 158), datetime.now().strftime("%Y-%m-%d %H:%M:%S") + f"  #{index}", fill=(255, 255, 255))
    x = 20 + (index * 12) % 260
    draw.ellipse([x, 70, x + 40, 110], fill=(245, 166, 35))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


class NvrSimulator:
    """A network video recorder with `channels` channels, each streaming `frames` frames then closing."""

    def __init__(self, channels: int = 4, frames: int = 50, interval: float = 0.2):
        self.channels, self.frames, self.interval = channels, frames, interval
        self.offline: set[int] = set()
        self.streams_served = 0
        self._lock = threading.Lock()

    def _json(self, start_response, status: str, body: dict):
        data = json.dumps(body, ensure_ascii=False).encode()
        start_response(status, [("Content-Type", "application/json; charset=utf-8"),
                                ("Content-Length", str(len(data)))])
        return [data]

    def _stream(self, number: int):
        for index in range(self.frames):
            jpeg = _frame(number, index)
            yield (f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n\r\n").encode()
            yield jpeg + b"\r\n"
            time.sleep(self.interval)

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/").rstrip("/")
        parts = path.strip("/").split("/")
        if method == "GET" and path == "/health":
            return self._json(start_response, "200 OK", {"ok": True})
        if method == "GET" and path == "/channels":
            return self._json(start_response, "200 OK", {"channels": [
                {"number": n, "name": f"通道{n}", "online": n not in self.offline} for n in range(1, self.channels + 1)]})
        if method == "POST" and path == "/control":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = json.loads(environ["wsgi.input"].read(length) or b"{}")
            self.offline = set(body.get("offline", []))
            return self._json(start_response, "200 OK", {"offline": sorted(self.offline)})
        if method == "GET" and len(parts) == 3 and parts[0] == "channels" and parts[2] == "stream.mjpeg" \
                and parts[1].isdigit() and 1 <= int(parts[1]) <= self.channels:
            number = int(parts[1])
            if number in self.offline:
                return self._json(start_response, "503 Service Unavailable", {"error": "channel offline"})
            with self._lock:
                self.streams_served += 1
            start_response("200 OK", [("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}"),
                                      ("Cache-Control", "no-store")])
            return self._stream(number)
        return self._json(start_response, "404 Not Found", {"error": "not found"})
