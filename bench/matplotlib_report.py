"""A comparable handout made the usual Python way, for the benchmark's side-by-side figure:
the 2-2-2 network trained with numpy, then three matplotlib figures (the network, the error
curve, a table of weights) in a PDF and as 150 dpi PNG pages. Run as a fresh process, as
`lessons run` is, so import time counts."""
import sys
import time

start = time.perf_counter()
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402


def sigma(x):
    return 1 / (1 + np.exp(-x))


def train(iterations=10000, lr=0.5):
    i, t, b1, b2 = np.array([0.05, 0.10]), np.array([0.01, 0.99]), 0.35, 0.60
    W1, W2 = np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([[0.40, 0.45], [0.50, 0.55]])
    errors, first = [], None
    for k in range(iterations + 1):
        h = sigma(W1 @ i + b1)
        o = sigma(W2 @ h + b2)
        errors.append(0.5 * np.sum((t - o) ** 2))
        if k == iterations:
            break
        d2 = (o - t) * o * (1 - o)
        d1 = (W2.T @ d2) * h * (1 - h)
        W1, W2 = W1 - lr * np.outer(d1, i), W2 - lr * np.outer(d2, h)
        first = first if first is not None else (W1.copy(), W2.copy())
    return errors, first


out = sys.argv[1] if len(sys.argv) > 1 else "matplotlib-report"
errors, (W1, W2) = train()
figures = []

fig, ax = plt.subplots(figsize=(8.27, 4))
pos = {"i1": (0, 1), "i2": (0, 0), "h1": (1, 1), "h2": (1, 0), "o1": (2, 1), "o2": (2, 0)}
w = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
edges = [("i1", "h1"), ("i2", "h1"), ("i1", "h2"), ("i2", "h2"), ("h1", "o1"), ("h2", "o1"), ("h1", "o2"), ("h2", "o2")]
for k, (a, b) in enumerate(edges):
    (x0, y0), (x1, y1) = pos[a], pos[b]
    ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->"))
    ax.text(x0 + 0.3 * (x1 - x0), y0 + 0.3 * (y1 - y0), f"$w_{k + 1}$ = {w[k]}", fontsize=8, backgroundcolor="white")
for name, (x, y) in pos.items():
    ax.add_patch(plt.Circle((x, y), 0.12, fc="#e3edf9", ec="#5a7fb8"))
    ax.text(x, y, f"${name[0]}_{name[1]}$", ha="center", va="center")
ax.set_xlim(-0.3, 2.3), ax.set_ylim(-0.4, 1.4), ax.axis("off"), ax.set_title("The network")
figures.append(fig)

fig, ax = plt.subplots(figsize=(8.27, 4))
ax.semilogy(errors), ax.set_xlabel("updates"), ax.set_ylabel("$E_{total}$"), ax.grid(alpha=0.3)
ax.set_title("Total error during training")
figures.append(fig)

fig, ax = plt.subplots(figsize=(8.27, 4))
old = [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
new = list(W1.ravel()) + list(W2.ravel())
ax.table(cellText=[[f"$w_{k + 1}$", f"{old[k]:.9g}", f"{new[k]:.9g}"] for k in range(8)],
         colLabels=["weight", "old", "new"], loc="center")
ax.axis("off"), ax.set_title("Weights after one update")
figures.append(fig)

with PdfPages(out + ".pdf") as pdf:
    for k, fig in enumerate(figures):
        pdf.savefig(fig)
        fig.savefig(f"{out}-{k + 1}.png", dpi=150)
print(f"{time.perf_counter() - start:.4f}")
