customer_urlpatterns: list = []
