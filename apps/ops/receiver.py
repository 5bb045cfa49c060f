"""The Syslog receiver (OPS-11.3): a UDP server that parses each datagram and hands it to
`event_ingest`. Run it with `manage.py ops_syslog_receiver` (docs/ops.md).

Datagrams are handled one at a time in the server thread: ingestion is a few indexed queries, and
serial handling keeps correlation counts exact without locks. A datagram that is not syslog, or
whose ingestion fails, is counted and logged; the receiver keeps running.
"""
from __future__ import annotations

import logging
import socket
import socketserver
import threading

from django.db import close_old_connections

from apps.ops.syslog import SyslogError, parse_syslog

logger = logging.getLogger(__name__)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        from apps.ops.services.events import event_ingest

        data, _sock = self.request
        server: SyslogReceiver = self.server  # type: ignore[assignment]
        close_old_connections()
        try:
            message = parse_syslog(data, peer_ip=self.client_address[0])
            event_ingest(message=message)
            server.stats["received"] += 1
        except SyslogError as exc:
            server.stats["rejected"] += 1
            logger.info("Syslog datagram from %s rejected: %s", self.client_address[0], exc)
        except Exception:  # noqa: BLE001 — one bad record must not stop the receiver
            server.stats["failed"] += 1
            logger.exception("Syslog datagram from %s not stored", self.client_address[0])


class SyslogReceiver(socketserver.UDPServer):
    """UDP syslog server; `port=0` picks a free port (see `.port`)."""

    allow_reuse_address = True
    max_packet_size = 65_535

    def __init__(self, host: str = "0.0.0.0", port: int = 5514):
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        super().__init__((host, port), _Handler)
        self.stats = {"received": 0, "rejected": 0, "failed": 0}

    def server_bind(self):
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)   # dual stack
        super().server_bind()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def start_in_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True,
                                  name="ops-syslog-receiver")
        thread.start()
        return thread
