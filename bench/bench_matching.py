"""Factor matching (HiGHS via scipy.optimize.milp) on seeded random districts.

.venv/bin/python bench/bench_matching.py      # 40, 200, 1 000, 3 000 candidates; best of 3
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from greenlight.pipeline import matching  # noqa: E402


def district(n: int, subdistricts: int = 10, seed: int = 8):
    """n candidates over 10 subdistrict land pools and 4 shared pools, about half fitting."""
    rng = random.Random(seed)
    items = []
    for i in range(n):
        needs = {
            f"land:{i % subdistricts}": rng.randint(5, 45) * 1000.0,
            "energy": float(rng.randint(200, 6000)),
            "environment": float(rng.randint(1, 30)),
        }
        if rng.random() < 0.4:
            needs["fiscal"] = rng.randint(1000, 60000) * 1.0
            needs["bond"] = rng.randint(1000, 40000) * 1.0
        items.append(matching.Item(i, rng.randint(8, 160) * 1000.0 * rng.randint(1, 5), needs))
    cap = {f"land:{s}": n * 1500.0 for s in range(subdistricts)}
    cap.update(energy=n * 1500.0, environment=n * 8.0, fiscal=n * 6000.0, bond=n * 4000.0)
    return items, cap


def main() -> None:
    print("| candidates | pools | selected | seconds (best of 3) |")
    print("|---:|---:|---:|---:|")
    for n in (40, 200, 1000, 3000):
        items, cap = district(n)
        best = None
        for _ in range(3):
            t = time.perf_counter()
            result = matching.match(items, cap)
            best = min(best or 1e9, time.perf_counter() - t)
        print(f"| {n} | {len(cap)} | {len(result.selected)} | {best:.3f} |")


if __name__ == "__main__":
    main()
