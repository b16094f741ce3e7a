"""Benchmark: wall time, tables per second and peak memory.

    python benchmarks/bench.py [--tables 1000] [--repeat 3] [--seeds ../shared/seeds]

Measures, each as a separate process (start-up included, best of --repeat):

1. ``python -c "import pandas, pandera.pandas"`` — the floor any pandas/pandera tool pays;
2. ``budgetlint check --format json`` on each seed document;
3. a generated corpus of disclosure tables (支出总体情况表 layout, split 类/款/项 codes,
   合计 = 基本支出 + 项目支出, a few deliberate mistakes), checked by budgetlint, and by a
   hand-written vectorised pandas script doing the same sums (code hierarchy, total row,
   column cross-foot) on the same files.

Prints a Markdown table (used in the README's performance section).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PY = sys.executable
BL = [PY, "-m", "budgetlint.cli"]

PANDAS_SCRIPT = r'''
import sys, glob, io
import pandas as pd
frames = []
for i, path in enumerate(sorted(glob.glob(sys.argv[1] + "/*.txt"))):
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    # keep only body rows: lines whose first cell is a code or empty and that carry amounts
    blocks = text.split("\n表 ")
    for j, block in enumerate(blocks):
        rows = [ln for ln in block.split("\n") if ln.count("\t") >= 6 and not ln.startswith(("科目", "功能", "类", "※"))]
        if not rows:
            continue
        df = pd.read_csv(io.StringIO("\n".join(rows)), sep="\t", header=None, dtype=str, keep_default_na=False)
        df["table_id"] = f"{i}:{j}"
        frames.append(df)
df = pd.concat(frames, ignore_index=True)
df.columns = ["lei", "kuan", "xiang", "name", "total", "basic", "project", "table_id"]
for c in ("total", "basic", "project"):
    df[c] = pd.to_numeric(df[c].str.replace(",", ""), errors="coerce").fillna(0.0)
df["code"] = df["lei"] + df["kuan"] + df["xiang"]
df["level"] = df["code"].str.len()
errors = 0
# cross-foot: total = basic + project
errors += int(((df["total"] - df["basic"] - df["project"]).abs() > 0.015).sum())
body = df[df["level"] > 0]
for child_len, parent_len in ((7, 5), (5, 3)):
    kids = body[body["level"] == child_len].copy()
    kids["parent"] = kids["code"].str[:parent_len]
    sums = kids.groupby(["table_id", "parent"])[["total", "basic", "project"]].sum()
    parents = body[body["level"] == parent_len].set_index(["table_id", "code"])[["total", "basic", "project"]]
    diff = (parents - sums.reindex(parents.index).fillna(0)).abs()
    errors += int((diff > 0.05).to_numpy().sum())
tops = body[body["level"] == 3].groupby("table_id")[["total", "basic", "project"]].sum()
grand = df[df["name"] == "总计"].set_index("table_id")[["total", "basic", "project"]]
errors += int(((grand - tops.reindex(grand.index)).abs() > 0.05).to_numpy().sum())
print(len(df["table_id"].unique()), errors)
'''


def generate_corpus(folder: Path, n_tables: int, per_file: int = 10, seed: int = 7) -> int:
    """Write n_tables 支出总体情况表-like tables, per_file to a document; returns the number of mistakes."""
    rng = random.Random(seed)
    mistakes = 0
    names = ["一般公共服务支出", "社会保障和就业支出", "卫生健康支出", "节能环保支出", "城乡社区支出", "农林水支出", "自然资源海洋气象等支出", "住房保障支出"]
    tables_done = 0
    file_no = 0
    while tables_done < n_tables:
        lines = [f"示例单位{file_no} 2024 年单位预算公开", ""]
        for k in range(min(per_file, n_tables - tables_done)):
            body = []
            grand = [0, 0, 0]
            for lei in sorted(rng.sample(range(201, 230), rng.randint(3, 5))):
                lei_rows, lei_sum = [], [0, 0, 0]
                for kuan in sorted(rng.sample(range(1, 20), rng.randint(1, 3))):
                    kuan_rows, kuan_sum = [], [0, 0, 0]
                    for xiang in sorted(rng.sample(range(1, 99), rng.randint(1, 3))):
                        basic = rng.randint(0, 2_000_000)
                        project = rng.randint(0, 800_000) if rng.random() < 0.5 else 0
                        vals = [basic + project, basic, project]
                        kuan_rows.append((f"{lei}\t{kuan:02d}\t{xiang:02d}", f"项目{xiang}", vals))
                        kuan_sum = [a + b for a, b in zip(kuan_sum, vals)]
                    lei_rows.append((f"{lei}\t{kuan:02d}\t", f"款{kuan}", kuan_sum))
                    lei_rows.extend(kuan_rows)
                    lei_sum = [a + b for a, b in zip(lei_sum, kuan_sum)]
                body.append((f"{lei}\t\t", names[lei % len(names)], lei_sum))
                body.extend(lei_rows)
                grand = [a + b for a, b in zip(grand, lei_sum)]
            if rng.random() < 0.05:  # a typing mistake in a detail row
                i = rng.randrange(len(body))
                code, name, vals = body[i]
                body[i] = (code, name, [vals[0] + 1000, vals[1] + 1000, vals[2]])
                mistakes += 1

            def fmt(v: int) -> str:
                return f"{v / 100:,.2f}" if v else ""

            lines += [f"表 {k + 1}", "", "单位支出总体情况表", "", "编制单位：示例单位", "", "单位：万元", "",
                      "科目\t\t\t支出预算\t\t\t", "功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出",
                      "类\t款\t项\t\t\t\t", "※\t※\t※\t※\t1\t2\t3",
                      f"\t\t\t总计\t{fmt(grand[0])}\t{fmt(grand[1])}\t{fmt(grand[2])}"]
            lines += [f"{code}\t{name}\t{fmt(v[0])}\t{fmt(v[1])}\t{fmt(v[2])}" for code, name, v in body]
            lines.append("")
            tables_done += 1
        (folder / f"doc{file_no:04d}.txt").write_text("\n".join(lines), encoding="utf-8")
        file_no += 1
    return mistakes


def timed(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, int, str]:
    """Best wall time (s), peak RSS (KiB) of that run, and its stdout."""
    best, rss, out = float("inf"), 0, ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=REPO)
        stdout = proc.stdout.read()
        _, _, usage = os.wait4(proc.pid, 0)
        dt = time.perf_counter() - t0
        proc.returncode = 0
        if dt < best:
            best, rss, out = dt, usage.ru_maxrss, stdout.decode("utf-8", "replace")
    return best, rss, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tables", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seeds", default=str(REPO.parent / "shared" / "seeds"))
    args = ap.parse_args()
    import json

    # Installed packages carry their bytecode; make sure this checkout's is written too
    # (PYTHONDONTWRITEBYTECODE would otherwise make every run compile the sources again).
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "budgetlint"), str(REPO / "rules")], check=False,
                   stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        mistakes = generate_corpus(folder, args.tables)
        script = folder / "pandas_sums.py"
        script.write_text(PANDAS_SCRIPT, encoding="utf-8")
        runs: list[tuple[str, list[str]]] = [("import pandas, pandera.pandas", [PY, "-c", "import pandas, pandera.pandas"])]
        for seed in sorted(Path(args.seeds).glob("*.txt")):
            runs.append((f"budgetlint: {seed.name} ({seed.stat().st_size // 1024} KB)", BL + ["check", "--format", "json", str(seed)]))
        n_files = len(list(folder.glob("*.txt")))
        runs.append((f"budgetlint: corpus, {n_files} files ({mistakes} planted mistakes, {{errors}} errors reported)",
                     BL + ["check", "--format", "json", "--select", "S,C", str(folder)]))
        runs.append(("budgetlint --jobs 1 (everything in one process), same corpus",
                     BL + ["check", "--format", "json", "--select", "S,C", "--jobs", "1", str(folder)]))
        runs.append(("hand-written vectorised pandas script, same corpus and sums ({errors} mismatches)", [PY, str(script), str(folder)]))
        # Rounds interleave the commands so a slow spell of the machine hits them all alike.
        best = {name: (float("inf"), 0, "") for name, _ in runs}
        for _ in range(args.repeat):
            for name, cmd in runs:
                t, rss, out = timed(cmd, 1)
                if t < best[name][0]:
                    best[name] = (t, rss, out)
    rows = []
    for name, _ in runs:
        t, rss, out = best[name]
        if name.startswith("import"):
            rows.append((name, "—", t, None, rss))
        elif name.startswith("hand-written"):
            n, errs = out.split()
            rows.append((name.format(errors=errs), int(n), t, int(n) / t, rss))
        else:
            data = json.loads(out)
            n = data["summary"]["tables"]
            rows.append((name.format(errors=data["summary"]["errors"]), n, t, n / t, rss))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print()
    print("| run | tables | wall time (s) | tables/s | peak RSS of the main process (MiB) |")
    print("|---|---:|---:|---:|---:|")
    for name, n, t, tps, rss in rows:
        print(f"| {name} | {n} | {t:.2f} | {'' if tps is None else f'{tps:,.0f}'} | {rss / 1024:.0f} |")


if __name__ == "__main__":
    main()
