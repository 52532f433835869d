"""Latency of `lessons serve` for a parameter change, as the form's script makes it.

    python3 bench/serve_latency.py PORT LESSONS...

Prints, for 1, 4 and 16 concurrent clients, the median and 99th percentile of
GET /lessons/backprop-example/report?lr=X (each X new, so no page comes from the cache), then
each lesson's first page at its defaults (also uncached): "defaults NAME SECONDS".
Standard library only: it runs with any python3.
"""
import http.client
import statistics
import sys
import threading
import time

port = int(sys.argv[1])
lessons = sys.argv[2:]
serial = iter(range(1, 10**9))
serial_lock = threading.Lock()


def fetch(path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status}")
    return elapsed


def change():
    with serial_lock:
        n = next(serial)
    # A learning rate never asked before: 0.5 + n·10⁻⁶.
    return fetch(f"/lessons/backprop-example/report?lr={0.5 + n * 1e-6:.6f}")


for clients in (1, 4, 16):
    per_client = max(8, 96 // clients)
    times, lock = [], threading.Lock()

    def client():
        for _ in range(per_client):
            t = change()
            with lock:
                times.append(t)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    print(f"clients {clients} {statistics.median(times):.4f} {p99:.4f} {len(times)}")

for lesson in lessons:
    print(f"defaults {lesson} {fetch('/lessons/' + lesson + '/report'):.4f}")
