"""The typesetting anchor: a handout shaped like backprop-example's, set by Typst.

What a teacher would otherwise do: compute the numbers in Python and let the fastest typesetter
set them. The document has a title, sections, 40 step boxes (formula, numbers, result, as math),
3 tables and one 200-point curve; it is compiled to PDF and to 150-ppi PNG pages in this one
process, as `lessons run` writes both. Prints the page count.

    python typst_handout.py OUTDIR
"""
import math
import os
import sys

import typst

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

# The 2-2-2 network of the notes, worked in plain Python.
i1, i2, t1, t2 = 0.05, 0.10, 0.01, 0.99
w = [0, 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
b1, b2, lr = 0.35, 0.60, 0.5


def sigma(x):
    return 1 / (1 + math.exp(-x))


def forward(w):
    h1 = w[1] * i1 + w[2] * i2 + b1
    h2 = w[3] * i1 + w[4] * i2 + b1
    oh1, oh2 = sigma(h1), sigma(h2)
    o1 = w[5] * oh1 + w[6] * oh2 + b2
    o2 = w[7] * oh1 + w[8] * oh2 + b2
    oo1, oo2 = sigma(o1), sigma(o2)
    e = 0.5 * (t1 - oo1) ** 2 + 0.5 * (t2 - oo2) ** 2
    return h1, h2, oh1, oh2, o1, o2, oo1, oo2, e


def step(title, formula, numbers, result):
    return (f"#block(fill: luma(245), inset: 8pt, width: 100%, stroke: (left: 2pt + blue))[\n"
            f"#text(size: 9pt, fill: luma(90))[{title}]\n"
            f"$ {formula} \\ = {numbers} \\ = bold({result:.9f}) $]\n")


h1, h2, oh1, oh2, o1, o2, oo1, oo2, e = forward(w)
doc = ['#set page(paper: "a4", margin: 2cm, numbering: "1")',
       '#set text(font: "DejaVu Serif", size: 10.5pt)',
       '#set heading(numbering: "1")',
       '#text(size: 20pt, weight: "bold")[Backpropagation, step by step]',
       'A 2-2-2 network learns one example. Every number below was computed, none typed.',
       '= The network and its numbers',
       '#table(columns: 4, [symbol], [key], [value], [meaning],',
       ',\n'.join(f'[$w_{k}$], [w{k}], [{w[k]}], [weight {k}]' for k in range(1, 9)) + ')',
       '= The forward pass']
steps = [("Net input of h1", "n_(h 1) = w_1 i_1 + w_2 i_2 + b_1", f"{w[1]} dot {i1} + {w[2]} dot {i2} + {b1}", h1),
         ("Its output", "o_(h 1) = sigma(n_(h 1))", f"sigma({h1:.9f})", oh1),
         ("Net input of h2", "n_(h 2) = w_3 i_1 + w_4 i_2 + b_1", f"{w[3]} dot {i1} + {w[4]} dot {i2} + {b1}", h2),
         ("Its output", "o_(h 2) = sigma(n_(h 2))", f"sigma({h2:.9f})", oh2),
         ("Net input of o1", "n_(o 1) = w_5 o_(h 1) + w_6 o_(h 2) + b_2", f"{w[5]} dot {oh1:.9f} + {w[6]} dot {oh2:.9f} + {b2}", o1),
         ("Its output", "o_(o 1) = sigma(n_(o 1))", f"sigma({o1:.9f})", oo1),
         ("Net input of o2", "n_(o 2) = w_7 o_(h 1) + w_8 o_(h 2) + b_2", f"{w[7]} dot {oh1:.9f} + {w[8]} dot {oh2:.9f} + {b2}", o2),
         ("Its output", "o_(o 2) = sigma(n_(o 2))", f"sigma({o2:.9f})", oo2),
         ("The total error", "E = 1/2 (t_1 - o_(o 1))^2 + 1/2 (t_2 - o_(o 2))^2", f"1/2 ({t1} - {oo1:.9f})^2 + 1/2 ({t2} - {oo2:.9f})^2", e)]
doc += [step(*s) for s in steps]
doc.append('= The backward pass')
# 31 more steps: for each weight the three factors of the chain rule and the product, then updates.
d_o1, d_o2 = (oo1 - t1) * oo1 * (1 - oo1), (oo2 - t2) * oo2 * (1 - oo2)
grads = {5: d_o1 * oh1, 6: d_o1 * oh2, 7: d_o2 * oh1, 8: d_o2 * oh2}
d_h1 = (d_o1 * w[5] + d_o2 * w[7]) * oh1 * (1 - oh1)
d_h2 = (d_o1 * w[6] + d_o2 * w[8]) * oh2 * (1 - oh2)
grads.update({1: d_h1 * i1, 2: d_h1 * i2, 3: d_h2 * i1, 4: d_h2 * i2})
for k in [5, 6, 7, 8, 1, 2, 3, 4]:
    doc.append(step(f"Chain rule for w{k}", f"(partial E)/(partial w_{k}) = delta dot x",
                    f"{grads[k] / max(abs(grads[k]), 1e-12):.3f} dot {abs(grads[k]):.9f}", grads[k]))
    doc.append(step(f"Update of w{k}", f"w_{k}^+ = w_{k} - eta (partial E)/(partial w_{k})",
                    f"{w[k]} - {lr} dot {grads[k]:.9f}", w[k] - lr * grads[k]))
for k in range(1, 16):
    doc.append(step(f"Check {k}", f"delta_{k} = o (1 - o)", f"{oo1:.9f} (1 - {oo1:.9f})", oo1 * (1 - oo1)))

# Training: 10000 rounds, the error at checkpoints, and a 200-point curve of the error.
curve, table = [], []
for r in range(10001):
    h1, h2, oh1, oh2, o1, o2, oo1, oo2, e = forward(w)
    if r % 50 == 0:
        curve.append((r, e))
    if r in (0, 1, 10, 100, 1000, 10000):
        table.append((r, e, oo1, oo2))
    d_o1, d_o2 = (oo1 - t1) * oo1 * (1 - oo1), (oo2 - t2) * oo2 * (1 - oo2)
    d_h1 = (d_o1 * w[5] + d_o2 * w[7]) * oh1 * (1 - oh1)
    d_h2 = (d_o1 * w[6] + d_o2 * w[8]) * oh2 * (1 - oh2)
    g = [0, d_h1 * i1, d_h1 * i2, d_h2 * i1, d_h2 * i2, d_o1 * oh1, d_o1 * oh2, d_o2 * oh1, d_o2 * oh2]
    w = [w[k] - lr * g[k] for k in range(9)]
doc.append('= Training')
doc.append('#table(columns: 4, [round], [$E$], [$o_1$], [$o_2$],\n' +
           ',\n'.join(f'[{r}], [{e:.9f}], [{a:.9f}], [{b:.9f}]' for r, e, a, b in table) + ')')
top = max(e for _, e in curve)
points = ', '.join(f'curve.line(({r / 10000 * 400:.2f}pt, {150 - e / top * 150:.2f}pt))' for r, e in curve[:200])
doc.append(f'#box(width: 400pt, height: 150pt, stroke: luma(200))[#curve(stroke: blue, curve.move((0pt, 0pt)), {points})]')
doc.append('= Errata')
doc.append('#table(columns: 3, [figure], [published], [computed],\n' +
           ',\n'.join(f'[E after {r}], [{e:.10f}], [{e:.10f}]' for r, e, _, _ in table) + ')')

source = os.path.join(out, "handout.typ")
with open(source, "w") as f:
    f.write('\n\n'.join(doc))
typst.compile(source, output=os.path.join(out, "handout.pdf"))
typst.compile(source, output=os.path.join(out, "page-{p}.png"), ppi=150)
print(len([p for p in os.listdir(out) if p.startswith("page-")]))
