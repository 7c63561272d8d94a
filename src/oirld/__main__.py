"""``python -m oirld`` runs the command line."""

from .cli import main

main()
