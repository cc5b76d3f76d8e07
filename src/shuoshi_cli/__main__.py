"""``python -m shuoshi_cli`` runs the command line."""

from shuoshi_cli.cli import main

main()
