"""The `deskpemilu` command: the project's manage.py (every Django command works)."""

import os
import sys


def main() -> None:
    # What the service writes (database, secret key, photos, backups) is its own (core/files.py).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpemilu.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
