"""CPython asyncio (or uvloop) TLS echo server: the shared kit's py/echo_server.py with
ssl=SSLContext (OpenSSL, through the ssl module). The TLS peer of asyncio.bench/bin/compare-tls.
Binds 127.0.0.1 only, prints READY when listening, exits by itself after --max-seconds.

  python3 tls_echo_server.py --loop asyncio|uvloop --mode proto|streams --port 25000 \
      --cert cert.pem --key key.pem
"""
import argparse
import asyncio
import os
import socket
import ssl
import sys


class EchoProtocol(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def connection_lost(self, exc):
        self.transport = None

    def data_received(self, data):
        self.transport.write(data)


async def echo_streams(reader, writer):
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while True:
            data = await reader.read(1000000)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


async def main(args):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(args.cert, args.key)
    loop = asyncio.get_running_loop()
    if args.mode == "proto":
        server = await loop.create_server(EchoProtocol, "127.0.0.1", args.port, ssl=context,
                                          reuse_address=True, backlog=1024)
    else:
        server = await asyncio.start_server(echo_streams, "127.0.0.1", args.port, ssl=context,
                                            reuse_address=True, backlog=1024)
    impl = type(loop).__module__ + "." + type(loop).__name__
    print(f"READY {args.loop}-tls-{args.mode} pid={os.getpid()} port={args.port} loop={impl} "
          f"python={sys.version.split()[0]} {ssl.OPENSSL_VERSION}", flush=True)
    async with server:
        try:
            await asyncio.wait_for(server.serve_forever(), args.max_seconds)
        except asyncio.TimeoutError:
            print("max-seconds reached, exiting", flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    ap.add_argument("--mode", choices=["proto", "streams"], default="proto")
    ap.add_argument("--port", type=int, default=25000)
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--max-seconds", type=float, default=900.0)
    args = ap.parse_args()
    if args.loop == "uvloop":
        import uvloop
        uvloop.install()
    try:
        asyncio.run(main(args))
    except KeyboardInterrupt:
        pass
