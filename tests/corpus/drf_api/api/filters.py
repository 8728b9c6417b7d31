from rest_framework.filters import BaseFilterBackend


class RawSearchFilter(BaseFilterBackend):
    """Case-insensitive search on the name column, kept for API v1 clients."""

    def filter_queryset(self, request, queryset, view):
        term = request.query_params.get("search")
        if not term:
            return queryset
        return queryset.extra(where=["UPPER(name) LIKE UPPER(%s)"], params=[f"%{term}%"])  # ok: sqli


class PriceRangeFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        low = request.query_params.get("min_total")
        high = request.query_params.get("max_total")
        clauses = []
        if low:
            clauses.append(f"total >= {low}")
        if high:
            clauses.append(f"total <= {high}")
        if clauses:
            queryset = queryset.extra(where=[" AND ".join(clauses)])  # expect: sqli
        return queryset


class PriceRangeFilterV2(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        clauses, params = [], []
        for name, op in (("min_total", ">="), ("max_total", "<=")):
            value = request.query_params.get(name)
            if value:
                clauses.append(f"total {op} %s")
                params.append(value)
        if clauses:
            queryset = queryset.extra(where=[" AND ".join(clauses)], params=params)  # ok: sqli
        return queryset


class CreatedYearFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        year = request.query_params.get("year")
        if year and year.isdigit():
            queryset = queryset.extra(where=[f"EXTRACT(YEAR FROM created_at) = {int(year)}"])  # ok: sqli
        return queryset


class TagFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        tags = request.query_params.getlist("tag")
        if not tags:
            return queryset
        quoted = ", ".join("'%s'" % t for t in tags)
        return queryset.extra(where=["id IN (SELECT order_id FROM orders_tag WHERE name IN (%s))" % quoted])  # expect: sqli


class StatusFilter(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        statuses = request.query_params.getlist("status")
        if statuses:
            return queryset.filter(status__in=statuses)  # ok: sqli
        return queryset
