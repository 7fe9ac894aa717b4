from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from archive.replicas import replica_states


@require_safe
@never_cache
def healthz(request):
    """200 when the site can reach its primary database, 503 when it cannot (for load balancers and CI).

    A replica that is down or lagging does not fail the check, since the primary serves in its place: the answer is
    still 200, and says "degraded" with a line per such replica (archive/replicas.py).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    problems = [f"{state.alias}: {state.problem}\n" for state in replica_states() if state.problem]
    if problems:
        return HttpResponse("degraded\n" + "".join(problems), content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
