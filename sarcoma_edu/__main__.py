"""Allow ``python -m sarcoma_edu``, the same as the ``sarcoma-edu`` command."""

from sarcoma_edu.cli import main

raise SystemExit(main())
