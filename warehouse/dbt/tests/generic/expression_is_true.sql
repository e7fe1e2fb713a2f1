{#- Fails with every row for which `expression` is not true (NULL counts as a failure).
    Usable on a model or on a column (the column is then only where the test is listed). -#}
{% test expression_is_true(model, expression, column_name=none) %}
select *
from {{ model }}
where not coalesce(({{ expression }}), false)
{% endtest %}
