"""How build time grows with protocol size: ``python -m tools.benchmark_size [--mb 1 10]``.

Generates a valid protocol of about the size asked for (many groups of items, with the
rules a real protocol has: any item in a group, a count in a group, a named list of
items, a score), then times each step the build takes for it in a copy of the
repository: reading and validating the file, compiling it, writing its page, checking
the case studies against it, and the site generator. Growth per megabyte close to 1
means linear time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

from build_scripts.paths import ROOT

PROTOCOL_ID = "bench-size"
ITEMS_PER_GROUP = 50
TARGET_SECONDS = 60.0  # a 10 MB protocol validates and builds within a minute


def protocol_text(megabytes: float) -> str:
    """YAML for a valid protocol of about ``megabytes`` MB."""
    lines = [
        f"id: {PROTOCOL_ID}",
        "title: Size benchmark protocol",
        'version: "1"',
        "source: Generated for the size benchmark; not guidance.",
        "summary: A generated protocol used only to measure build time.",
        "groups:",
    ]
    item_lines: list[str] = []
    rule_lines: list[str] = []
    group = 0
    target = megabytes * 1_000_000
    size = 0
    while size < target:
        gid = f"g{group}"
        lines += [f"  - id: {gid}", f"    label: Group {group} of generated signs"]
        for n in range(ITEMS_PER_GROUP):
            chunk = [
                f"  - id: {gid}-i{n}",
                f"    group: {gid}",
                f"    text: Generated sign {n} of group {group}, worded at the length of a real indicator"
                " in a screening tool.",
                f"    source: Generated source reference {group}.{n}",
                f"    hint: A hint for sign {n} of group {group}, as long as the hints real protocols give.",
            ]
            item_lines += chunk
            size += sum(len(c) + 1 for c in chunk)
        some = ", ".join(f"{gid}-i{n}" for n in range(0, ITEMS_PER_GROUP, 10))
        rules = [
            f"  - id: {gid}-any",
            f"    says: Any sign of group {group} is present.",
            f"    when: {{any_in: {gid}}}",
            "    then: medium",
            f"  - id: {gid}-many",
            f"    says: Three or more signs of group {group} are present.",
            f"    when: {{count_in: {gid}, at_least: 3}}",
            "    then: high",
            f"  - id: {gid}-named",
            f"    says: One of the named signs of group {group} is present.",
            f"    when: {{all: [{{any_of: [{some}]}}, {{score_at_least: 2}}]}}",
            "    then: high",
        ]
        rule_lines += rules
        size += sum(len(r) + 1 for r in rules) + 60
        group += 1
    lines += ["items:", *item_lines]
    lines += [
        "levels:",
        "  - {id: low, label: Low, description: Nothing seen., next_steps: [Keep watching.]}",
        "  - {id: medium, label: Medium, description: Something seen., next_steps: [Talk to your manager.]}",
        "  - {id: high, label: High, description: A lot seen., next_steps: [Refer today.]}",
        "rules:",
        *rule_lines,
        "scoring:",
        "  bands:",
        "    - {from: 0, label: None, level: low}",
        "    - {from: 5, label: Some, level: medium}",
    ]
    return "\n".join(lines) + "\n"


def copy_repository(tmp: Path) -> Path:
    """The repository's sources under ``tmp``/repo, to build a changed copy without touching it."""
    copy = tmp / "repo"
    shutil.copytree(
        ROOT,
        copy,
        symlinks=True,
        ignore=shutil.ignore_patterns(".git", ".venv", "node_modules", "site", "build", "__pycache__", ".*_cache"),
    )
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def _add_protocol(copy: Path, text: str) -> None:
    """Put the protocol in the copy, in its menu and its settings' published tools, and give
    every case study answers for it."""
    (copy / "protocols" / f"{PROTOCOL_ID}.yaml").write_text(text, encoding="utf-8")
    settings = copy / "partnership.yml"
    tools = "screening_tools:\n"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace(tools, f"{tools}  - {PROTOCOL_ID}\n", 1), encoding="utf-8"
    )
    config = copy / "mkdocs.yml"
    entry = "      - screening/index.md\n"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            entry, f"{entry}      - Size benchmark: screening/{PROTOCOL_ID}.md\n"
        ),
        encoding="utf-8",
    )
    for case in (copy / "case-studies").glob("*.yaml"):
        data: dict[str, Any] = yaml.safe_load(case.read_text(encoding="utf-8"))
        data["answers"][PROTOCOL_ID] = {"answers": {}, "level": "low"}
        case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


STEPS = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from screening_cli.protocol_files import check_file
protocol, problems = check_file(Path("protocols/bench-size.yaml"))
assert not problems, [str(p) for p in problems[:5]]
times = {"read and validate": time.perf_counter() - t}
from build_scripts import engine_assets, screening_pages, case_studies
from screening_cli.protocol_files import load_directory
protocols = load_directory(Path("protocols"))
t = time.perf_counter()
engine_assets.compile_protocols(protocols)
times["compile to JSON"] = time.perf_counter() - t
t = time.perf_counter()
screening_pages.render_page(protocol, "x.json")
times["write the page"] = time.perf_counter() - t
t = time.perf_counter()
case_studies.load_cases(protocols)
times["check the case studies"] = time.perf_counter() - t
print(json.dumps(times))
"""


def _run(command: list[str], cwd: Path) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.perf_counter() - started, result.stdout


def measure(megabytes: float) -> dict[str, float]:
    """Seconds for each step, and for the whole build, of a protocol of ``megabytes`` MB."""
    import json

    text = protocol_text(megabytes)
    with tempfile.TemporaryDirectory() as tmp:
        copy = copy_repository(Path(tmp))
        _add_protocol(copy, text)
        _, out = _run([sys.executable, "-c", STEPS], copy)
        times: dict[str, float] = json.loads(out.strip().splitlines()[-1])
        times["whole build (prepare + site generator)"], _ = _run([sys.executable, "-m", "build_scripts.build"], copy)
    times["size (MB)"] = len(text.encode("utf-8")) / 1_000_000
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark_size", description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[1.0, 10.0], help="protocol sizes in MB (default 1 10)")
    args = parser.parse_args(argv)
    results = [measure(mb) for mb in args.mb]
    names = [name for name in results[0] if name != "size (MB)"]
    header = f"| {'Step (s)':40} | " + " | ".join(f"{r['size (MB)']:7.1f} MB" for r in results) + " |"
    print(header)
    print("|" + "-" * 42 + "|" + "|".join("-" * 12 for _ in results) + "|")
    for name in names:
        print(f"| {name:40} | " + " | ".join(f"{r[name]:10.2f}" for r in results) + " |")
    if len(results) > 1:
        first, last = results[0], results[-1]
        key = "whole build (prepare + site generator)"
        growth = (last[key] / first[key]) / (last["size (MB)"] / first["size (MB)"])
        print(f"\nBuild time per MB, largest / smallest: {growth:.2f} (1.0 is linear; below 1, fixed costs dominate)")
        verdict = "met" if last[key] < TARGET_SECONDS else "MISSED"
        print(f"Largest protocol built in {last[key]:.1f} s (target < {TARGET_SECONDS:.0f} s): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
