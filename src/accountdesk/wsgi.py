import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accountdesk.settings")
application = get_wsgi_application()

# The ask box's classifier trains once per process: start it now rather than on the first question.
from accountdesk.search.understanding import warm_up  # noqa: E402

warm_up()
