{#- Schemas are exactly what a folder or model configures (`staging`, `marts`), not dbt's
    default '<target schema>_<custom schema>' (which would give `main_marts`). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
