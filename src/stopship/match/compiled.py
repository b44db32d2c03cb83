"""The one seam to the optional compiled kernel (``stopship.match._kernel``, built from
``_kernel.c`` by setup.py): ``kernel`` is the module, or None in a build without a C
compiler, where the Python code runs instead (the same results, slower). The modules
that use it bind it as their own ``_kernel``, so a test can turn it off per module."""

from __future__ import annotations

try:
    from stopship.match import _kernel as kernel
except ImportError:  # pragma: no cover - a build without a C compiler
    kernel = None  # type: ignore[assignment]

__all__ = ["kernel"]
