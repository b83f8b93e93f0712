from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


def home(request):
    if request.user.is_authenticated:
        return redirect("customers:list")
    return redirect("login")


def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "unavailable"}, status=503)
    return JsonResponse({"status": "ok"})
