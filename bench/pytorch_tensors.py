"""The tensor engine's benchmark work done by PyTorch on the CPU in float64, for the side-by-side
figures: a 64×64 dense layer (matmul + bias + ReLU) forward and backward, a cross-entropy over
64×10 logits forward and backward, and one full-batch Adam epoch of decision-boundary's 2–3–2
network on 200 points; conv2d forward and backward on 1×1×28×28 with 6 filters 5×5, and on
8×3×32×32 with 16 filters 3×3 and padding 1. Each is the median of many repetitions, timed in process; one thread."""
import time

import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)
g = torch.Generator().manual_seed(1)


def rand(*shape):
    return torch.rand(*shape, generator=g) * 2 - 1


def median(repetitions, body):
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


x, w, b = rand(64, 64), rand(64, 64).requires_grad_(), rand(64).requires_grad_()


def dense():
    w.grad = b.grad = None
    (x @ w + b).relu().sum().backward()


logits, targets = rand(64, 10).requires_grad_(), torch.arange(64) % 10


def cross_entropy():
    logits.grad = None
    torch.nn.functional.cross_entropy(logits, targets).backward()


points, labels = rand(200, 2), torch.arange(200) % 2
parameters = [rand(2, 3).requires_grad_(), rand(3).requires_grad_(), rand(3, 2).requires_grad_(), rand(2).requires_grad_()]
adam = torch.optim.Adam(parameters, lr=0.05)


def epoch():
    adam.zero_grad()
    hidden = (points @ parameters[0] + parameters[1]).tanh()
    torch.nn.functional.cross_entropy(hidden @ parameters[2] + parameters[3], labels).backward()
    adam.step()


# The input's gradient too, as the engine computes it (a layer inside a network needs it).
digit, lenet_filters = rand(1, 1, 28, 28).requires_grad_(), rand(6, 1, 5, 5).requires_grad_()


def conv():
    digit.grad = lenet_filters.grad = None
    torch.nn.functional.conv2d(digit, lenet_filters).sum().backward()


batch, batch_filters = rand(8, 3, 32, 32).requires_grad_(), rand(16, 3, 3, 3).requires_grad_()


def conv_batch():
    batch.grad = batch_filters.grad = None
    torch.nn.functional.conv2d(batch, batch_filters, padding=1).sum().backward()


for name, body, repetitions in [("dense", dense, 2000), ("softmax", cross_entropy, 5000), ("epoch", epoch, 3000),
                                ("conv", conv, 2000), ("conv-batch", conv_batch, 300)]:
    body()  # warm up
    print(f"{name} {median(repetitions, body) * 1e6:.1f}")
