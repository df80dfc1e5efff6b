"""A TCP relay, run as its own process: ``python -m tests.scaleout.relay LISTEN_HOST:PORT=TARGET_HOST:PORT ...``.

The test's PostgreSQL listens on 127.0.0.1 only, which a host in another network namespace cannot reach; this
relay listens on the LAN's address in the root namespace and passes each connection on, byte for byte, as a
database server on another machine would be reached. It prints "ready" once every address listens.
"""

from __future__ import annotations

import asyncio
import sys


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


def _handler(target: tuple[str, int]):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*target)
        except OSError:
            writer.close()
            return
        await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))

    return handle


def _address(text: str) -> tuple[str, int]:
    host, port = text.rsplit(":", 1)
    return host, int(port)


async def main(routes: list[str]) -> None:
    servers = []
    for route in routes:
        listen, target = route.split("=")
        servers.append(await asyncio.start_server(_handler(_address(target)), *_address(listen)))
    print("ready", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
