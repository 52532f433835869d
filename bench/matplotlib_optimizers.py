"""The optimizers handout made the usual Python way, for the benchmark's side-by-side figure:
gradient descent, momentum, RMSProp and Adam on f = ½(x² + 10y²) from (−4, 2) with numpy,
then a contour plot with the four paths, the loss curves and a table of where each ends, as a
PDF and as 150 dpi PNG pages. Run as a fresh process, as `lessons run` is, so import time counts."""
import sys
import time

start = time.perf_counter()
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402


def f(w):
    return 0.5 * (w[0] ** 2 + 10 * w[1] ** 2)


def grad(w):
    return np.array([w[0], 10 * w[1]])


def run(rule, steps=50):
    w, v, s = np.array([-4.0, 2.0]), np.zeros(2), np.zeros(2)
    path = [w.copy()]
    for t in range(1, steps + 1):
        g = grad(w)
        if rule == "gd":
            w = w - 0.15 * g
        elif rule == "momentum":
            v = 0.9 * v + 0.1 * g
            w = w - 0.15 * v
        elif rule == "rmsprop":
            s = 0.9 * s + 0.1 * g * g
            w = w - 0.3 * g / (np.sqrt(s) + 1e-8)
        else:
            v = 0.9 * v + 0.1 * g
            s = 0.999 * s + 0.001 * g * g
            w = w - 0.3 * (v / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
        path.append(w.copy())
    return np.array(path)


out = sys.argv[1] if len(sys.argv) > 1 else "matplotlib-optimizers"
rules = ["gd", "momentum", "rmsprop", "adam"]
paths = {r: run(r) for r in rules}
figures = []

fig, ax = plt.subplots(figsize=(8.27, 5))
xs, ys = np.meshgrid(np.linspace(-4.6, 4.6, 81), np.linspace(-2.5, 2.5, 81))
levels = sorted(28 / 2.0 ** np.arange(12))
ax.contourf(xs, ys, 0.5 * (xs**2 + 10 * ys**2), levels=[0] + levels + [200], cmap="Blues", alpha=0.5)
ax.contour(xs, ys, 0.5 * (xs**2 + 10 * ys**2), levels=levels, colors="grey", linewidths=0.5)
for rule, path in paths.items():
    ax.plot(path[:, 0], path[:, 1], "o-", markersize=2, label=rule)
ax.set_aspect("equal"), ax.legend(), ax.set_xlabel("x"), ax.set_ylabel("y"), ax.set_title("Four optimizers")
figures.append(fig)

fig, ax = plt.subplots(figsize=(8.27, 4))
for rule, path in paths.items():
    ax.semilogy([f(w) for w in path], label=rule)
ax.set_xlabel("step"), ax.set_ylabel("f"), ax.legend(), ax.grid(alpha=0.3)
figures.append(fig)

fig, ax = plt.subplots(figsize=(8.27, 3))
ax.table(cellText=[[r, f"{p[-1, 0]:.6g}", f"{p[-1, 1]:.6g}", f"{f(p[-1]):.6g}"] for r, p in paths.items()],
         colLabels=["optimizer", "x", "y", "f"], loc="center")
ax.axis("off"), ax.set_title("Where each optimizer ends")
figures.append(fig)

with PdfPages(out + ".pdf") as pdf:
    for k, fig in enumerate(figures):
        pdf.savefig(fig)
        fig.savefig(f"{out}-{k + 1}.png", dpi=150)
print(f"{time.perf_counter() - start:.4f}")
