"""Demo and test data, kept out of the product's packages: `gongshi demo load` (load.py) with its
stories (stories.py), directory (directory.py) and case records (cases.py), and the synthetic,
labelled corpus the tests and benchmarks use (corpus.py)."""

from gongshi.demo.load import DEMO_PASSWORD, LOGINS, demo_token, load_demo

__all__ = ["DEMO_PASSWORD", "LOGINS", "demo_token", "load_demo"]
