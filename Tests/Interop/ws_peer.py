#!/usr/bin/env python3
"""An independent WebSocket peer (the `websockets` package) for klient's interop tests.

server mode: echo server; prints "LISTENING <port>" once it accepts connections.
    Text and binary messages are echoed with their type. Commands (text):
      cmd:ping        - send a ping, wait for its pong, then send "pong-received"
      cmd:fragmented  - send a text message in 3 fragments, then a binary one in 2
      cmd:close       - close with code 4001 reason "server-initiated"
    On a client-initiated close it prints "CLOSED <code> <reason>".
client mode: drives a klient WebSocket echo server through the same script and
    prints "OK <step>" per step; exits 1 with "FAIL <step>: <why>" on a mismatch.
"""
import argparse, asyncio, ssl, sys

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

SUBPROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"]


def pattern(n: int) -> bytes:
    """Bytes (i*31+7) mod 256 for i in 0..<n, the same pattern the Swift tests use."""
    period = bytes((i * 31 + 7) & 0xFF for i in range(256))
    return period * (n // 256) + period[: n % 256]


async def handler(ws):
    try:
        async for msg in ws:
            if msg == "cmd:ping":
                waiter = await ws.ping(b"klient")
                await waiter
                await ws.send("pong-received")
            elif msg == "cmd:fragmented":
                await ws.send(["frag", "ment", "ed \u2713"])
                await ws.send([b"\x00\x01", b"\x02\x03"])
            elif msg == "cmd:close":
                await ws.close(4001, "server-initiated")
                return
            else:
                await ws.send(msg)
    except ConnectionClosed:
        pass
    rcvd = ws.protocol.close_rcvd
    if rcvd is not None:
        print(f"CLOSED {rcvd.code} {rcvd.reason}", flush=True)


async def run_server(args):
    ctx = None
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
    async with serve(handler, "127.0.0.1", 0, subprotocols=SUBPROTOCOLS, max_size=None,
                     ssl=ctx, ping_interval=None, open_timeout=120, close_timeout=60) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"LISTENING {port}", flush=True)
        await asyncio.get_running_loop().create_future()


def fail(step, why):
    print(f"FAIL {step}: {why}", flush=True)
    sys.exit(1)


async def run_client(args):
    ctx = None
    if args.ca:
        ctx = ssl.create_default_context(cafile=args.ca)
    # Generous timeouts: the peer may be a debug build sharing 2 cores with the whole test suite.
    kw = dict(subprotocols=SUBPROTOCOLS, max_size=None, ssl=ctx, ping_interval=None, proxy=None,
              open_timeout=120, close_timeout=60)
    async with connect(args.url, **kw) as ws:
        if ws.subprotocol != args.expect_subprotocol:
            fail("subprotocol", f"got {ws.subprotocol!r}, want {args.expect_subprotocol!r}")
        print("OK subprotocol", flush=True)
        steps = [("text", "hello \u2713"), ("binary", bytes(range(256)))]
        for name, payload in steps:
            await ws.send(payload)
            got = await ws.recv()
            if got != payload:
                fail(name, f"echo differs ({type(got).__name__}, {len(got)} bytes)")
            print(f"OK {name}", flush=True)
        await ws.send(["a", "b", "c\u00e9"])
        if (got := await ws.recv()) != "abc\u00e9":
            fail("fragmented-send", repr(got))
        print("OK fragmented-send", flush=True)
        for name, size in [("1MiB", 1 << 20), ("16MiB", 16 << 20)]:
            data = pattern(size)
            await ws.send(data)
            got = await ws.recv()
            if got != data:
                fail(name, f"echo of {size} bytes differs (got {len(got)})")
            print(f"OK {name}", flush=True)
        pong = await ws.ping(b"are-you-there")
        await asyncio.wait_for(pong, 60)
        print("OK ping", flush=True)
        await ws.send("cmd:ping")
        if (got := await ws.recv()) != "pong-received":
            fail("server-ping", repr(got))
        print("OK server-ping", flush=True)
        await ws.send("cmd:fragmented")
        if (got := await ws.recv()) != "fragmented \u2713":
            fail("fragmented-recv", repr(got))
        if (got := await ws.recv()) != b"\x00\x01\x02\x03":
            fail("fragmented-recv", repr(got))
        print("OK fragmented-recv", flush=True)
        await ws.close(1000, "client-done")
        if ws.protocol.close_rcvd is None or ws.protocol.close_rcvd.code != 1000:
            fail("client-close", f"server answered {ws.protocol.close_rcvd}")
        print("OK client-close", flush=True)
    async with connect(args.url, **kw) as ws:
        await ws.send("cmd:close")
        try:
            await ws.recv()
            fail("server-close", "expected the server to close")
        except ConnectionClosed:
            pass
        rcvd = ws.protocol.close_rcvd
        if rcvd is None or rcvd.code != 4001 or rcvd.reason != "server-initiated":
            fail("server-close", f"got {rcvd}")
        print("OK server-close", flush=True)
    print("DONE", flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="mode", required=True)
    s = sub.add_parser("server"); s.add_argument("--cert"); s.add_argument("--key")
    c = sub.add_parser("client"); c.add_argument("url"); c.add_argument("--ca")
    c.add_argument("--expect-subprotocol", default="v5.channel.k8s.io")
    args = p.parse_args()
    asyncio.run(run_server(args) if args.mode == "server" else run_client(args))


if __name__ == "__main__":
    main()
