"""`python -m gongshi.cli`."""

from gongshi.cli import main

main()
