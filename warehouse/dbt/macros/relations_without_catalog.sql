{#- DuckDB names the catalog after the file ('warehouse' for warehouse.duckdb). A view that
    said "warehouse"."core"."fact_article" would break once the file is copied or renamed, so
    references are rendered without the catalog: schema.table, resolved in the file itself. -#}
{% macro ref() -%}
    {%- do return(builtins.ref(*varargs, **kwargs).include(database=false)) -%}
{%- endmacro %}

{% macro source() -%}
    {%- do return(builtins.source(*varargs, **kwargs).include(database=false)) -%}
{%- endmacro %}
