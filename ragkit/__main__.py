"""``python -m ragkit`` runs the CLI."""

from ragkit.cli import main

if __name__ == "__main__":
    main()
