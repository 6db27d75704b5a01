"""`python -m channels.telegram set-webhook URL | webhook-info | delete-webhook`."""

from channels.telegram.cli import main

raise SystemExit(main())
