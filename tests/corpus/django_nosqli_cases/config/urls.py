from django.urls import path

from library import api, views

urlpatterns = [
    path("api/v1/books/search", views.search_books),
    path("api/v1/books/lookup", views.lookup_book),
    path("api/v1/books/stats", views.stats),
    path("api/v1/loans/", api.LoanList.as_view()),
    path("api/v1/loans/query", api.loan_query),
    path("api/v1/members/find", api.find_member),
    path("api/v1/members/find-typed", api.find_member_typed),
]
