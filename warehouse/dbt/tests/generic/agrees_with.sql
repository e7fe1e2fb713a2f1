{#- Fails with one row per key whose `column_name` differs from `field` of the row with the
    same key in `to`, or that only one of the two has (a NULL differs from any value). -#}
{% test agrees_with(model, column_name, to, key, field) %}
select
    coalesce(m.{{ key }}, t.{{ key }}) as {{ key }},
    m.{{ column_name }} as model_value,
    t.{{ field }} as other_value
from {{ model }} as m
full outer join {{ to }} as t on t.{{ key }} = m.{{ key }}
where m.{{ column_name }} is distinct from t.{{ field }}
{% endtest %}
