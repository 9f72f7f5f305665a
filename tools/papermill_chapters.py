"""Run every chapter with other parameters (CI): a different seed and larger sizes.

    python tools/papermill_chapters.py [--out DIR]

For each notebook, the `parameters` cell's values are overridden by `CI_PARAMETERS`
(only the names the notebook declares), the notebook is executed with papermill, and the
run fails on the first notebook that raises. Outputs go to DIR (default: a temp dir), never
over the committed notebooks.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI_PARAMETERS = {"seed": 12345, "n_keys": 2000, "n_requests": 20000, "size": 2000}


def declared_parameters(path: Path) -> set[str]:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    names: set[str] = set()
    for cell in nb.cells:
        if "parameters" in cell.metadata.get("tags", []):
            for line in cell.source.splitlines():
                if "=" in line and not line.lstrip().startswith("#"):
                    names.add(line.split("=", 1)[0].strip())
    return names


def main(argv: list[str] | None = None) -> int:
    import papermill as pm

    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path)
    ap.add_argument("notebooks", nargs="*")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="papermill-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ["PYTHONHASHSEED"] = "0"
    paths = [Path(p).resolve() for p in args.notebooks] or sorted(
        p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    for path in paths:
        params = {k: v for k, v in CI_PARAMETERS.items() if k in declared_parameters(path)}
        target = out / path.relative_to(ROOT / "chapters")
        target.parent.mkdir(parents=True, exist_ok=True)
        pm.execute_notebook(str(path), str(target), parameters=params, cwd=str(path.parent),
                            progress_bar=False, store_widget_state=False, kernel_name="python3")
        print(f"papermill ok: {path.relative_to(ROOT)} {params}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
