from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """200 with the database status when the database answers, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unavailable", "detail": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})
