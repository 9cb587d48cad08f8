"""``python -m doeagenda``."""

from doeagenda.cli import main

main()
