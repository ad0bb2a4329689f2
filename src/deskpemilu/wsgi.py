import os

from django.core.wsgi import get_wsgi_application

# Under another WSGI server too, what the service writes is its own (core/files.py).
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deskpemilu.settings")
application = get_wsgi_application()
