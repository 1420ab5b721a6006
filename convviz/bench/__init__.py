"""``convviz bench``: our backends beside the libraries people use, timed alike.

``runner`` times the rows, ``peers`` wraps the libraries, ``curves`` turns a
document into the curves and the crossover, ``schema`` reads a document back,
``command`` is the command line. None of the peers is imported here.
"""

from convviz.bench.command import add_parser, format_table, run_bench
from convviz.bench.runner import DEFAULT_CONFIG, make_config, run_benchmark, tolerance
from convviz.bench.schema import SCHEMA, load_bench_json

__all__ = [
    "DEFAULT_CONFIG",
    "SCHEMA",
    "add_parser",
    "format_table",
    "load_bench_json",
    "make_config",
    "run_benchmark",
    "run_bench",
    "tolerance",
]
