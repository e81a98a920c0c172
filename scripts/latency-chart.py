#!/usr/bin/env python3
"""Draws the new-connection latency distributions of port-forwards as an SVG.

usage: scripts/latency-chart.py [--out docs/forward-latency.svg] [--title TEXT] LABEL=FILE[,FILE...]...

Each FILE holds latencies in microseconds, one a line (`klient-bench pf-load
latency --out FILE`); the files of one LABEL are pooled. The chart is a
cumulative distribution: latency on a logarithmic x axis, and on the y axis
the fraction of connections at or below it, on a "nines" scale (0, 50 %,
90 %, 99 %, 99.9 %) so the median and the tail are both readable. The
p50 and p99 of each series are marked and listed in the legend.
scripts/bench-forward.sh runs it; the standard library only, the SVG is
written by hand.
"""
import math
import sys

WIDTH, HEIGHT = 820, 500
LEFT, RIGHT, TOP, BOTTOM = 70, 250, 50, 60
COLORS = {"klientd": "#1f77b4", "klientd-channel": "#2ca02c", "kubectl-1.33": "#d62728", "kubectl-1.27": "#ff7f0e", "direct": "#7f7f7f"}
NAMES = {"klientd": "klientd forward", "klientd-channel": "klientd, --mode channel", "kubectl-1.33": "kubectl 1.33 port-forward",
         "kubectl-1.27": "kubectl 1.27 port-forward", "direct": "direct (no forward)"}
SPARE = ["#9467bd", "#8c564b", "#e377c2"]


def usage(message):
    sys.exit(f"latency-chart: {message}\n{__doc__.splitlines()[2]}")


def parse(argv):
    out, title, series = "docs/forward-latency.svg", None, []
    it = iter(argv)
    for arg in it:
        if arg == "--out":
            out = next(it, None) or usage("--out needs a file")
        elif arg == "--title":
            title = next(it, None) or usage("--title needs text")
        elif "=" in arg:
            label, files = arg.split("=", 1)
            values = []
            for path in filter(None, files.split(",")):
                with open(path) as f:
                    values += [float(line) for line in f if line.strip()]
            if values:
                series.append((label, sorted(values)))
        else:
            usage(f"unexpected argument {arg}")
    if not series:
        usage("no latency samples")
    return out, title, series


def quantile(sorted_values, p):
    """Nearest-rank quantile, p in (0, 1]."""
    rank = max(1, min(len(sorted_values), math.ceil(p * len(sorted_values))))
    return sorted_values[rank - 1]


def nines(p):
    """The y coordinate (in nines) of cumulative fraction p < 1."""
    return -math.log10(1 - p)


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(title, series):
    lo = min(s[0] for _, s in series)
    hi = max(s[-1] for _, s in series)
    x0 = math.floor(math.log10(max(lo, 1)))
    x1 = max(math.ceil(math.log10(hi)), x0 + 1)
    ymax = max(nines(len(s) / (len(s) + 1)) for _, s in series)
    ymax = max(2, math.ceil(ymax * 2) / 2)
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def X(us):
        return LEFT + (math.log10(max(us, 10 ** x0)) - x0) / (x1 - x0) * pw

    def Y(n):
        return TOP + ph - n / ymax * ph

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" '
         'font-family="sans-serif" font-size="12">',
         f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>']
    o.append(f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold">'
             f'{esc(title or "New-connection latency through a port-forward (connect + 1-byte echo)")}</text>')
    # Grid and axes: decades with 2 and 5 between; nines on y.
    for d in range(x0, x1 + 1):
        for m in (1, 2, 5):
            v = m * 10 ** d
            if v > 10 ** x1:
                break
            x = X(v)
            o.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + ph}" stroke="{"#ccc" if m == 1 else "#eee"}"/>')
            label = f"{v:g} µs" if v < 1000 else (f"{v / 1000:g} ms" if v < 1_000_000 else f"{v / 1e6:g} s")
            if m != 1 and pw / (x1 - x0) < 200:
                label = f"{m}"  # narrow decades: a bare multiplier, so labels do not collide
            o.append(f'<text x="{x:.1f}" y="{TOP + ph + 16}" text-anchor="middle" fill="{"#333" if m == 1 else "#888"}">{label}</text>')
    ticks = [(0, "0 %"), (nines(0.5), "50 %"), (1, "90 %"), (2, "99 %"), (3, "99.9 %"), (4, "99.99 %")]
    for n, label in ticks:
        if n > ymax:
            break
        y = Y(n)
        o.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + pw}" y2="{y:.1f}" stroke="#ccc"/>')
        o.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    o.append(f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="none" stroke="#333"/>')
    o.append(f'<text x="{LEFT + pw / 2}" y="{HEIGHT - 18}" text-anchor="middle">latency (log scale)</text>')
    o.append(f'<text transform="translate(18 {TOP + ph / 2}) rotate(-90)" text-anchor="middle">'
             'connections at or below (cumulative)</text>')
    # One line per series, sampled evenly in nines, plus the slowest connection.
    spare = iter(SPARE)
    for index, (label, values) in enumerate(series):
        color = COLORS.get(label) or next(spare, "#000")
        n = len(values)
        top = nines(n / (n + 1))
        points = []
        steps = 400
        for i in range(steps + 1):
            y = top * i / steps
            p = 1 - 10 ** -y
            points.append((X(quantile(values, max(p, 1 / n))), Y(y)))
        points.append((X(values[-1]), Y(top)))
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        width = 2.5 if label.startswith("klientd") else 1.8
        dash = ' stroke-dasharray="5 4"' if label == "direct" else ""
        o.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="{width}"{dash}/>')
        p50, p99 = quantile(values, 0.5), quantile(values, 0.99)
        for p, v in ((0.5, p50), (0.99, p99)):
            o.append(f'<circle cx="{X(v):.1f}" cy="{Y(nines(p)):.1f}" r="3.5" fill="{color}"/>')
        ly = TOP + 10 + index * 52
        lx = LEFT + pw + 20
        o.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{color}" stroke-width="{width}"{dash}/>')
        o.append(f'<text x="{lx + 30}" y="{ly + 4}" font-weight="bold">{esc(NAMES.get(label, label))}</text>')
        o.append(f'<text x="{lx + 30}" y="{ly + 20}" fill="#333">p50 {fmt(p50)}, p99 {fmt(p99)}</text>')
        o.append(f'<text x="{lx + 30}" y="{ly + 35}" fill="#666">max {fmt(values[-1])}, n = {n}</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def fmt(us):
    return f"{us:.0f} µs" if us < 1000 else f"{us / 1000:.2f} ms"


def main():
    out, title, series = parse(sys.argv[1:])
    with open(out, "w") as f:
        f.write(render(title, series))
    print(f"latency chart: {out} ({', '.join(f'{label}: {len(v)} samples' for label, v in series)})")


if __name__ == "__main__":
    main()
