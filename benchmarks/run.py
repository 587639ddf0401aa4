"""Run every benchmark in one go: `make bench`."""

import os
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jalon.settings")

if __name__ == "__main__":
    names = sys.argv[1:] or sorted(p.stem for p in HERE.glob("*.py")
                                   if p.stem not in {"run", "__init__", "common", "load"})
    for name in names:
        print(f"\n== {name} ==")
        runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")
