"""``python -m shuoshi_cli`` runs the command line."""

from shuoshi_cli.cli import main

# Guarded: on Windows the sweeps' worker processes start by importing the main module again
# (multiprocessing "spawn"), and must not run the command a second time.
if __name__ == "__main__":
    main()
