"""Build step for the optional compiled kernel (everything else is in pyproject.toml).

``stopship.match._kernel`` is C: the matcher's inner loops, computing exactly what the
Python code computes. It is optional: when no C compiler is available the build goes on
without it and stopship runs its pure-Python code (the same results, slower).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "stopship.match._kernel",
            sources=["src/stopship/match/_kernel.c"],
            # the same doubles as Python's arithmetic: no fused multiply-add, no fast-math
            extra_compile_args=["-O2", "-ffp-contract=off", "-fno-fast-math"],
            optional=True,
        )
    ]
)
