"""The backprop-example training run in micrograd, for the benchmark's side-by-side figure:
the 2-2-2 network of the notes, 10000 simultaneous gradient-descent updates of w1..w8.
micrograd (PyPI 0.1.0) has no sigmoid; one is added in micrograd's own style, like its relu."""
import math
import sys
import time

from micrograd.engine import Value


def sigmoid(self):
    out = Value(1 / (1 + math.exp(-self.data)), (self,), "sigmoid")

    def _backward():
        self.grad += out.data * (1 - out.data) * out.grad

    out._backward = _backward
    return out


Value.sigmoid = sigmoid


def train(iterations, lr=0.5):
    i1, i2, t1, t2, b1, b2 = 0.05, 0.10, 0.01, 0.99, 0.35, 0.60
    w = [0, 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
    error = None
    for _ in range(iterations + 1):
        v = [Value(x) for x in w]
        h1 = (v[1] * i1 + v[2] * i2 + b1).sigmoid()
        h2 = (v[3] * i1 + v[4] * i2 + b1).sigmoid()
        o1 = (v[5] * h1 + v[6] * h2 + b2).sigmoid()
        o2 = (v[7] * h1 + v[8] * h2 + b2).sigmoid()
        error = 0.5 * (t1 - o1) ** 2 + 0.5 * (t2 - o2) ** 2
        if _ == iterations:
            break
        error.backward()
        w = [0] + [v[k].data - lr * v[k].grad for k in range(1, 9)]
    return error.data


if __name__ == "__main__":
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    start = time.perf_counter()
    error = train(iterations)
    print(f"{time.perf_counter() - start:.4f} {error:.10g}")
