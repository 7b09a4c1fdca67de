{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- A node's schema is its custom schema as written (staging, intermediate, reference,
        internal, audit), not dbt's default `<target schema>_<custom>`; nodes without one go to
        the target schema (`main`), where only the marts live. -#}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
