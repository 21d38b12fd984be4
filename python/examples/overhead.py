"""Per-call overhead of the Python bindings: the same 10^4-point lambda-curve from Python
and from Rust (examples/curve_timing.rs), best of 7 each, in one run.

    cargo build --release -p detridge-python --example curve_timing
    python python/examples/overhead.py [path/to/curve_timing]
"""

import subprocess
import sys
import time

import numpy as np

import detridge as dr

REPS = 7
ROUNDS = 5


def main():
    exe = sys.argv[1] if len(sys.argv) > 1 else "target/release/examples/curve_timing"
    d = 1000
    k = np.arange(1, d + 1, dtype=float)
    task = dr.Task.from_weights(k**-1.5, k**-0.5, 0.1)
    # The same grid as the Rust example (10**(-6 + 7 i/(n-1))).
    n = 10_000
    lams = 10.0 ** (-6.0 + 7.0 * np.arange(n) / (n - 1))
    # The machine is shared: interleave the two sides over several rounds and keep the
    # best time of each (the least disturbed run).
    # Wall time and this thread's CPU time (the curve runs on the calling thread, GIL
    # released); CPU time is the robust one on a loaded machine.
    best_py = best_rust = cpu_py = cpu_rust = float("inf")
    for _ in range(ROUNDS):
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout.split()
        best_rust = min(best_rust, float(out[0]))
        cpu_rust = min(cpu_rust, float(out[1]))
        check = float(out[2])
        for _ in range(REPS):
            t0, c0 = time.perf_counter(), time.thread_time()
            c = task.ridge_curve(p=500.0, lam=lams)
            best_py = min(best_py, time.perf_counter() - t0)
            cpu_py = min(cpu_py, time.thread_time() - c0)
    same = abs(check - c["test_error"].sum()) <= 1e-12 * abs(check)
    print(f"wall: python {best_py:.4f} s, rust {best_rust:.4f} s, ratio {best_py / best_rust:.3f}")
    print(f"cpu:  python {cpu_py:.4f} s, rust {cpu_rust:.4f} s, ratio {cpu_py / cpu_rust:.3f}")
    print(f"same numbers: {same}")


if __name__ == "__main__":
    main()
